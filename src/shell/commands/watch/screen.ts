/**
 * What each watch puts on the screen, as pure functions of the text and the terminal's size.
 * procps-ng 4.0.2 (watch.c's output_header and run_command, checked against the Debian
 * bookworm binary in a pty): a title row, a blank row, then the command's output laid out by
 * curses rules, cut at the last row. busybox 1.37 (procps/watch.c): a header line, then the
 * output as is.
 */

/** Escape sequences xterm-256color's terminfo gives curses (smcup/rmcup, smso/rmso…). */
export const ENTER_SCREEN = '\x1b[?1049h\x1b[22;0;0t\x1b(B\x1b[m\x1b[4l\x1b[?7h';
/** endwin(): to the last row, rmcup (the earlier screen and cursor come back), a CR, rmkx. */
export const leaveScreen = (rows: number): string => `\x1b[${rows};1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>`;
const STANDOUT = '\x1b[7m';
const STANDEND = '\x1b[27m';
/** The bell (`\a` in the output, or -b after a failed run). */
export const BEEP = '\x07';

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const two = (n: number) => String(n).padStart(2, '0');

/** ctime(3) without its newline: `Fri Nov 27 20:21:26 2026` (UTC, the emulated machines' zone). */
export function ctime(ms: number): string {
  const d = new Date(ms);
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2)} ${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
}

/** busybox's strftime_YYYYMMDDHHMMSS: `2026-11-27 20:21:26`. */
function isoTime(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/**
 * printf("%.1f"): glibc rounds the exact binary value, a tie to even (0.25 → "0.2", where JS's
 * toFixed says "0.3").
 */
export function fixed1(x: number): string {
  const digits = x.toFixed(20);
  const tie = /\.\d50*$/.test(digits);
  if (!tie) return x.toFixed(1);
  const tenths = Math.floor(x * 10);
  return ((tenths % 2 === 0 ? tenths : tenths + 1) / 10).toFixed(1);
}

/** One row of `cols` cells. */
function blank(cols: number): string[] {
  return Array.from({ length: cols }, () => ' ');
}

function put(row: string[], at: number, text: string): void {
  for (let i = 0; i < text.length && at + i < row.length; i++) if (at + i >= 0) row[at + i] = text[i]!;
}

/**
 * procps' title row, `cols` wide: "Every 2.0s: COMMAND" left, "HOST: DATE" right, clipped the
 * way output_header does it (its right part is ctime's, newline included, so one cell narrower
 * than it counts): the date alone when the rest does not fit, the command cut with "..." when
 * it does not fit whole.
 */
export function procpsTitle(cols: number, interval: number, command: string, host: string, now: number): string {
  const row = blank(cols);
  const left = `Every ${fixed1(interval)}s: `;
  const right = `${host}: ${ctime(now)}\n`;
  const [hlen, rhlen] = [left.length, right.length];
  if (cols < rhlen) return row.join('');
  if (rhlen + hlen + 1 <= cols) {
    put(row, 0, left);
    if (rhlen + hlen + 2 <= cols) {
      if (cols < rhlen + hlen + 4) put(row, cols - rhlen - 4, '... ');
      else if (cols < rhlen + hlen + command.length) {
        put(row, hlen, command.slice(0, cols - rhlen - hlen - 4));
        put(row, cols - rhlen - 4, '... ');
      } else put(row, hlen, command.slice(0, cols - rhlen - hlen));
    }
  }
  put(row, cols - rhlen + 1, right.slice(0, -1));
  return row.join('');
}

/**
 * The command's output as run_command lays it out in `rows` rows of `cols` cells: tabs to the
 * next multiple of 8, a line longer than a row wraps, what does not fit below is dropped. With
 * -w 4.0.2 skips to the end of the line after every row: a long line is cut, and a line that
 * ended before the last column takes the next line with it (so `1 2 3 4` shows as `1 3`).
 * `\a` rings the bell. Other control characters are left out (curses shows them as ^X forms,
 * which our commands never print).
 */
export function procpsBody(text: string, cols: number, rows: number, wrap: boolean): { rows: string[]; beep: boolean } {
  const out: string[] = [];
  let beep = false;
  let i = 0;
  let carry: string | undefined;
  /** Inside a tab: spaces up to the next tab stop (one cut at a row's end goes on in the next row). */
  let tab = false;
  /** The next character to show, or '\n' / undefined (the end). */
  const next = (): string | undefined => {
    for (;;) {
      if (i >= text.length) return undefined;
      const c = text[i++]!;
      if (c === '\n' || c === '\t') return c;
      if (c === '\x07') {
        beep = true;
        continue;
      }
      if (c >= ' ' && c !== '\x7f') return c;
    }
  };
  const skipLine = () => {
    while (i < text.length && text[i] !== '\n') i++;
    i++;
  };
  for (let y = 0; y < rows; y++) {
    const row = blank(cols);
    let x = 0;
    while (x < cols || (wrap && x === cols)) {
      let c: string | undefined;
      if (carry !== undefined) {
        c = carry;
        carry = undefined;
      } else if (tab) c = ' ';
      else c = next();
      if (c === undefined || c === '\n') break;
      if (c === '\t') {
        tab = true;
        c = ' ';
      }
      if (x === cols) {
        // It does not fit: the next row starts with it.
        carry = c;
        break;
      }
      row[x] = c;
      if (tab && ((x + 1) % 8 === 0 || x === cols - 1)) tab = false;
      x++;
    }
    if (!wrap) {
      skipLine();
      tab = false;
    }
    out.push(row.join(''));
  }
  return { rows: out, beep };
}

/**
 * -d: the cells from row `top` down that differ from the screen before (a resized screen has
 * none before), or with --differences=permanent that ever did.
 */
export function changedCells(rows: string[], top: number, before?: { rows: string[]; marks: boolean[][] }, permanent = false): boolean[][] {
  return rows.map((row, y) => [...row].map((c, x) => y >= top && before !== undefined && (c !== before.rows[y]![x] || (permanent && before.marks[y]![x]!))));
}

/**
 * One full redraw: clear, each row at its place (cells marked in `standout` in reverse video,
 * as -d shows what changed), the cursor parked in the bottom-right corner where curses leaves it.
 */
export function procpsFrame(rows: string[], cols: number, standout?: boolean[][]): string {
  let out = '\x1b[H\x1b[2J';
  rows.forEach((row, y) => {
    const marks = standout?.[y];
    let end = row.length;
    while (end > 0 && row[end - 1] === ' ' && !marks?.[end - 1]) end--;
    if (end === 0) return;
    out += `\x1b[${y + 1};1H`;
    let on = false;
    for (let x = 0; x < end; x++) {
      const mark = marks?.[x] ?? false;
      if (mark !== on) out += mark ? STANDOUT : STANDEND;
      on = mark;
      out += row[x];
    }
    if (on) out += STANDEND;
  });
  return out + `\x1b[${rows.length};${cols}H`;
}

/**
 * busybox's header: "Every 2.0s: COMMAND" padded to the width, the date written over its end
 * (so it is one cell short of the width); a terminal 20 columns wide or less gets no date.
 */
export function busyboxHeader(cols: number, period: number, command: string, now: number): string {
  const header = `Every ${fixed1(period)}s: ${command.padEnd(cols)}`;
  const timeLen = 20;
  return timeLen < cols ? header.slice(0, cols - timeLen) + isoTime(now) : header;
}
