/**
 * Rule text as the proxiers build it for iptables-restore and nft -f: hundreds of thousands
 * of lines at 10,000 Services, so it is joined into large flat chunks as it grows.
 */

export interface Block {
  text: string;
  lines: number;
}

export const EMPTY_BLOCK: Block = { text: '', lines: 0 };

/** One flat string of `lines` (V8 keeps template-literal results as rope trees until read). */
export function block(lines: string[]): Block {
  if (lines.length === 0) return EMPTY_BLOCK;
  const text = lines.join('\n');
  // Reading a character flattens the rope once, here, rather than on every later join.
  text.charCodeAt(0);
  return { text, lines: lines.length };
}

/** Where lines are written: a TextBuffer, or DISCARD. */
export interface LineSink {
  /** `l` holds `count` lines (joined by newlines; 1 unless said). */
  line(l: string, count?: number): void;
}

/** A sink that drops what it is given (output that is computed but not needed this time). */
export const DISCARD: LineSink = { line: () => {} };

/** Flush pending lines into one flat chunk past this many characters. */
const CHUNK_CHARS = 1 << 19;

/**
 * Lines accumulated, joined once at the end. Pending lines are joined into large flat
 * chunks as they pile up: a chunk that big is allocated outside the young generation, and
 * the lines (ropes of template literals) die young instead of being copied by every
 * scavenge until the end of the sync.
 */
export class TextBuffer implements LineSink {
  private chunks: string[] = [];
  private pending: string[] = [];
  private pendingChars = 0;
  lines = 0;
  line(l: string, count = 1): void {
    this.pending.push(l);
    this.lines += count;
    if ((this.pendingChars += l.length) > CHUNK_CHARS) this.flush();
  }
  all(ls: string[]): void {
    for (let i = 0; i < ls.length; i++) this.line(ls[i]!);
  }
  add(b: Block): void {
    if (b.lines === 0) return;
    this.pending.push(b.text);
    this.lines += b.lines;
    if ((this.pendingChars += b.text.length) > CHUNK_CHARS) this.flush();
  }
  private flush(): void {
    const chunk = this.pending.join('\n');
    chunk.charCodeAt(0);
    this.chunks.push(chunk);
    this.pending = [];
    this.pendingChars = 0;
  }
  /** The text as flat chunks of whole lines (no newline at either end), for joining with others. */
  chunksOf(): readonly string[] {
    if (this.pending.length > 0) this.flush();
    return this.chunks;
  }
  /** One flat string (no `+ '\n'` onto the join: that rope would be copied whole by its first reader). */
  text(): string {
    return joinLines(this.chunksOf());
  }
}

/** `parts` joined by newlines with a newline at the end, as one flat string; "" when empty. */
export function joinLines(parts: readonly string[]): string {
  if (parts.length === 0) return '';
  const all = parts.slice();
  all.push('');
  return all.join('\n');
}
