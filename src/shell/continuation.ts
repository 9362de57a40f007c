import { parse } from 'just-bash';

/**
 * Does this input need more lines before bash would run it? What an interactive bash answers
 * with its PS2 prompt ("> "): an open here-document, an unclosed quote or compound command
 * (`for … do` without `done`), or a trailing backslash. The browser terminal and
 * `clusterpath run` both use it, so a here-document typed line by line works in each.
 */
export function needsMoreInput(text: string): boolean {
  if (/(^|[^\\])(\\\\)*\\$/.test(text)) return true;
  if (openHereDocument(text)) return true;
  try {
    parse(text);
    return false;
  } catch (e) {
    // Only "ran out of input" means "keep reading"; other syntax errors are final. The
    // parser says so in words ("got EOF") or by failing just past the last character
    // (`if true; then` fails at the `fi` it expected there).
    const message = (e as Error).message;
    if (/EOF|end of (file|input)/i.test(message)) return true;
    const at = /at (\d+):(\d+)/.exec(message);
    const lines = text.split('\n');
    return at !== null && Number(at[1]) === lines.length && Number(at[2]) > lines[lines.length - 1]!.length;
  }
}

/** True while a `<<WORD` (or `<<-WORD`) has no line that closes it. Quotes on the line are
 *  skipped, so `echo "<<x"` is not a here-document; `<<<` (a here-string) is not one either. */
function openHereDocument(text: string): boolean {
  const pending: { word: string; strip: boolean }[] = [];
  for (const line of text.split('\n')) {
    if (pending.length > 0) {
      const top = pending[0]!;
      if ((top.strip ? line.replace(/^\t+/, '') : line) === top.word) pending.shift();
      continue;
    }
    const unquoted = line.replace(/'[^']*'|"(?:[^"\\]|\\.)*"/g, (q) => (/^<<-?\s*$/.test(q) ? q : ' '.repeat(q.length)));
    for (const m of line.matchAll(/(?<!<)<<(-?)\s*(['"]?)([A-Za-z_][\w.-]*)\2/g)) {
      if (unquoted.slice(m.index, m.index + 2) !== '<<') continue;
      pending.push({ word: m[3]!, strip: m[1] === '-' });
    }
  }
  return pending.length > 0;
}

/** Lines as typed, grouped into the commands bash runs (a here-document and its body are one). */
export function groupLines(lines: readonly string[]): string[] {
  const out: string[] = [];
  let pending: string | undefined;
  for (const line of lines) {
    pending = pending === undefined ? line : `${pending}\n${line}`;
    if (!needsMoreInput(pending)) {
      out.push(pending);
      pending = undefined;
    }
  }
  if (pending !== undefined) out.push(pending);
  return out;
}
