/**
 * Go's text/tabwriter, which kubectl uses for every aligned output: cells are tab-terminated;
 * a column is a run of consecutive lines that all have a terminated cell at that index, and it
 * is as wide as its widest cell plus padding (at least minwidth). The last cell of a line is
 * never padded. describe uses (minwidth 0, padding 2); get tables use (6, 3).
 */
export interface TabwriterOptions {
  minwidth: number;
  padding: number;
}

/** Go counts runes: UTF-16 length less the second half of each surrogate pair. Allocation-free,
 *  because a 5,000-row table measures 50,000 cells. */
function runeCount(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff) n--;
  }
  return n;
}

export function tabwrite(text: string, opts: TabwriterOptions): string {
  const endsWithNewline = text.endsWith('\n');
  const lines = (endsWithNewline ? text.slice(0, -1) : text).split('\n').map((l) => l.split('\t'));
  const cellWidths = lines.map((cells) => cells.map(runeCount));
  const out: string[] = [];
  const widths: number[] = [];
  const width = (line: number, cell: number) => cellWidths[line]![cell]!;

  const writeLines = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const cells = lines[i]!;
      const last = cells.length - 1;
      let row = '';
      for (let j = 0; j < cells.length; j++) {
        const c = cells[j]!;
        row += j < widths.length && j < last ? c + ' '.repeat(Math.max(0, widths[j]! - width(i, j))) : c;
      }
      out.push(row);
    }
  };

  const format = (line0: number, line1: number) => {
    const column = widths.length;
    for (let t = line0; t < line1; t++) {
      if (column >= lines[t]!.length - 1) continue;
      writeLines(line0, t);
      line0 = t;
      let w = opts.minwidth;
      for (; t < line1; t++) {
        const cells = lines[t]!;
        if (column >= cells.length - 1) break;
        w = Math.max(w, width(t, column) + opts.padding);
      }
      widths.push(w);
      format(line0, t);
      widths.pop();
      line0 = t;
      t--; // the outer loop's t++ must revisit the line that ended the block
    }
    writeLines(line0, line1);
  };
  format(0, lines.length);
  return out.join('\n') + (endsWithNewline ? '\n' : '');
}
