/**
 * The line being edited: text and a cursor, with the edits readline binds to keys
 * (emacs mode, bash's defaults). Pure: no terminal, no I/O. Positions are UTF-16 indexes;
 * the lab terminal shows ASCII commands, so one index is one cell.
 */
export class LineBuffer {
  text = '';
  cursor = 0;
  /** The kill ring's last entry (Ctrl-U/K/W put text here, Ctrl-Y yanks it back). */
  killed = '';

  set(text: string, cursor = text.length): void {
    this.text = text;
    this.cursor = Math.max(0, Math.min(cursor, text.length));
  }

  insert(s: string): void {
    this.text = this.text.slice(0, this.cursor) + s + this.text.slice(this.cursor);
    this.cursor += s.length;
  }

  /** Backspace. */
  deleteBack(): boolean {
    if (this.cursor === 0) return false;
    this.text = this.text.slice(0, this.cursor - 1) + this.text.slice(this.cursor);
    this.cursor--;
    return true;
  }

  /** Delete (and Ctrl-D on a non-empty line). */
  deleteForward(): boolean {
    if (this.cursor >= this.text.length) return false;
    this.text = this.text.slice(0, this.cursor) + this.text.slice(this.cursor + 1);
    return true;
  }

  left(): boolean {
    if (this.cursor === 0) return false;
    this.cursor--;
    return true;
  }

  right(): boolean {
    if (this.cursor >= this.text.length) return false;
    this.cursor++;
    return true;
  }

  home(): void {
    this.cursor = 0;
  }

  end(): void {
    this.cursor = this.text.length;
  }

  /** Alt-B / Ctrl-Left: to the start of this or the previous word (readline: alphanumerics). */
  wordLeft(): void {
    let i = this.cursor;
    while (i > 0 && !isWordChar(this.text[i - 1]!)) i--;
    while (i > 0 && isWordChar(this.text[i - 1]!)) i--;
    this.cursor = i;
  }

  /** Alt-F / Ctrl-Right: to the end of this or the next word. */
  wordRight(): void {
    let i = this.cursor;
    const n = this.text.length;
    while (i < n && !isWordChar(this.text[i]!)) i++;
    while (i < n && isWordChar(this.text[i]!)) i++;
    this.cursor = i;
  }

  /** Ctrl-U (unix-line-discard): kill from the start of the line to the cursor. */
  killToStart(): void {
    if (this.cursor === 0) return;
    this.killed = this.text.slice(0, this.cursor);
    this.text = this.text.slice(this.cursor);
    this.cursor = 0;
  }

  /** Ctrl-K: kill from the cursor to the end. */
  killToEnd(): void {
    if (this.cursor >= this.text.length) return;
    this.killed = this.text.slice(this.cursor);
    this.text = this.text.slice(0, this.cursor);
  }

  /** Ctrl-W (unix-word-rubout): kill the whitespace-delimited word before the cursor. */
  killWordBack(): void {
    let i = this.cursor;
    while (i > 0 && /\s/.test(this.text[i - 1]!)) i--;
    while (i > 0 && !/\s/.test(this.text[i - 1]!)) i--;
    if (i === this.cursor) return;
    this.killed = this.text.slice(i, this.cursor);
    this.text = this.text.slice(0, i) + this.text.slice(this.cursor);
    this.cursor = i;
  }

  /** Alt-D: kill to the end of the next word. */
  killWordForward(): void {
    const start = this.cursor;
    this.wordRight();
    if (this.cursor === start) return;
    this.killed = this.text.slice(start, this.cursor);
    this.text = this.text.slice(0, start) + this.text.slice(this.cursor);
    this.cursor = start;
  }

  /** Ctrl-Y. */
  yank(): void {
    if (this.killed) this.insert(this.killed);
  }

  /** Ctrl-T: swap the two characters before the cursor (at the end: the last two). */
  transpose(): void {
    const n = this.text.length;
    if (n < 2 || this.cursor === 0) return;
    const at = this.cursor === n ? n - 1 : this.cursor;
    const t = this.text;
    this.text = t.slice(0, at - 1) + t[at] + t[at - 1] + t.slice(at + 1);
    this.cursor = at + 1;
  }
}

const isWordChar = (c: string) => /[A-Za-z0-9]/.test(c);
