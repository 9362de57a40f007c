/**
 * watch: procps-ng 4.0.2's on the workstation and the nodes (Debian bookworm, kind's base), or
 * busybox's applet in busybox and Alpine pods. Every interval it runs COMMAND through `sh -c`
 * in the same place, directory and environment, the engine clock moving between runs, so
 * `watch kubectl get pods` shows pods becoming Ready.
 *
 * procps' watch is a curses program. On the terminal's alternate screen it draws a title row
 * ("Every 2.0s: COMMAND" left, "HOST: DATE" right), a blank row and the command's output cut
 * to the terminal's size (COLUMNS/LINES in the environment win, as in get_terminal_size; they
 * are exported to the command). Curses turns the tty's echo off, so Ctrl-C prints no `^C`;
 * watch catches SIGINT, leaves the alternate screen (the terminal shows what was there before)
 * and exits 0. Nothing it drew stays in the scrollback, so the line's output is empty.
 * Without a terminal (the CLI, a script, `ssh NODE watch …`) curses cannot start, and watch says
 * so as the real one does when there is no TERM (cron, ssh without -t): "Error opening terminal:
 * unknown.", exit 1.
 * -g and -q compare the command's whole output from one run to the next (curses compares the
 * cells on screen): the same thing unless the change is below the last row, and a replay,
 * which has no terminal of its size, ends the watch at the same run.
 * -e shows its message and waits for a key; keys typed while a command runs wait for the next
 * prompt here, so Ctrl-C ends it (exit 0, as SIGINT does there too).
 *
 * busybox's watch clears the screen (ESC[H ESC[J), prints its header and the command's output
 * as is, and dies of Ctrl-C (exit 130, the shell's newline). A script cannot press Ctrl-C, so
 * there it shows one screen and ends.
 */
import { terminalText } from '../../display';
import { notFoundAs } from '../../dialect';
import { getoptLong, type LongOption } from '../../getopt';
import { toolsOf } from '../../net';
import { shellQuote } from '../../quote';
import type { CommandContext, CommandModule, CommandResult, TerminalSize } from '../../types';
import { BEEP, busyboxHeader, changedCells, ENTER_SCREEN, leaveScreen, procpsBody, procpsFrame, procpsTitle } from './screen';

const USAGE = `
Usage:
 watch [options] command

Options:
  -b, --beep             beep if command has a non-zero exit
  -c, --color            interpret ANSI color and style sequences
  -d, --differences[=<permanent>]
                         highlight changes between updates
  -e, --errexit          exit if command has a non-zero exit
  -g, --chgexit          exit when output from command changes
  -q, --equexit <cycles>
                         exit when output from command does not change
  -n, --interval <secs>  seconds to wait between updates
  -p, --precise          attempt run command in precise intervals
  -t, --no-title         turn off header
  -w, --no-wrap          turn off line wrapping
  -x, --exec             pass command to exec instead of "sh -c"

 -h, --help     display this help and exit
 -v, --version  output version information and exit

For more details see watch(1).
`;

const BUSYBOX_USAGE = `BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.

Usage: watch [-n SEC] [-t] PROG ARGS

Run PROG periodically

	-n SEC	Period (default 2)
	-t	Don't print header
`;

const LONG_OPTIONS: LongOption[] = [
  { name: 'color', arg: 'none', key: 'c' },
  { name: 'differences', arg: 'optional', key: 'd' },
  { name: 'help', arg: 'none', key: 'h' },
  { name: 'interval', arg: 'required', key: 'n' },
  { name: 'beep', arg: 'none', key: 'b' },
  { name: 'errexit', arg: 'none', key: 'e' },
  { name: 'chgexit', arg: 'none', key: 'g' },
  { name: 'equexit', arg: 'required', key: 'q' },
  { name: 'exec', arg: 'none', key: 'x' },
  { name: 'precise', arg: 'none', key: 'p' },
  { name: 'no-title', arg: 'none', key: 't' },
  { name: 'no-wrap', arg: 'none', key: 'w' },
  { name: 'version', arg: 'none', key: 'v' },
];

/** curses' size when neither the environment nor the tty says (HEIGHT_FALLBACK, WIDTH_FALLBACK). */
const FALLBACK: TerminalSize = { cols: 80, rows: 24 };
/** 4.0.2 clamps the interval to [0.1 s, UINT_MAX s]. */
const MIN_INTERVAL = 0.1;
const MAX_INTERVAL = 4294967295;
/**
 * A replay of a watch that ended by itself (-g, -q) runs until the same run; this bounds one
 * whose log never gets there.
 */
const MAX_UNATTENDED_RUNS = 1000;
const ERREXIT_MESSAGE = 'command exit with a non-zero status, press a key to exit';

interface Options {
  interval: number;
  title: boolean;
  wrap: boolean;
  diff: false | 'changes' | 'permanent';
  beep: boolean;
  errexit: boolean;
  chgexit: boolean;
  /** -q CYCLES: exit after this many runs in a row printed the same. */
  equexit: number | undefined;
  exec: boolean;
  precise: boolean;
}

export const watch: CommandModule = {
  name: 'watch',
  help: USAGE.slice(1),
  async execute(argv, ctx) {
    return toolsOf(ctx.place).watch === 'busybox' ? busybox(argv, ctx) : procps(argv, ctx);
  },
};

const usageError = (message: string): CommandResult => ({ stdout: '', stderr: `watch: ${message}\n${USAGE}`, exitCode: 1 });

async function procps(argv: string[], ctx: CommandContext): Promise<CommandResult> {
  const o: Options = { interval: 2, title: true, wrap: true, diff: false, beep: false, errexit: false, chgexit: false, equexit: undefined, exec: false, precise: false };
  const parsed = getoptLong(argv, '+bced::ghq:n:ptwvx', LONG_OPTIONS);
  // Options act in order, as the real one's getopt loop: `-h -z` prints the help, `-z -h` an error.
  for (const opt of parsed.options) {
    if ('error' in opt) return usageError(opt.error);
    const arg = opt.arg ?? '';
    switch (opt.key) {
      case 'h':
        return { stdout: USAGE, stderr: '', exitCode: 0 };
      case 'v':
        return { stdout: 'watch from procps-ng 4.0.2\n', stderr: '', exitCode: 0 };
      case 'n':
      case 'q': {
        const n = parseNumber(arg, ctx.env);
        if (typeof n === 'string') return { stdout: '', stderr: `watch: failed to parse argument: '${arg}'${n}\n`, exitCode: 1 };
        if (opt.key === 'n') o.interval = n;
        else o.equexit = Math.trunc(n);
        break;
      }
      case 'b':
        o.beep = true;
        break;
      case 'd':
        o.diff = opt.arg === undefined ? 'changes' : 'permanent';
        break;
      case 'e':
        o.errexit = true;
        break;
      case 'g':
        o.chgexit = true;
        break;
      case 'p':
        o.precise = true;
        break;
      case 't':
        o.title = false;
        break;
      case 'w':
        o.wrap = false;
        break;
      case 'x':
        o.exec = true;
        break;
      // -c: colours in the output would be shown; our commands print none.
    }
  }
  const args = parsed.operands;
  if (args.length === 0) return { stdout: '', stderr: USAGE, exitCode: 1 };
  if (!ctx.session.tty) return { stdout: '', stderr: 'Error opening terminal: unknown.\n', exitCode: 1 };
  o.interval = Math.min(Math.max(o.interval, MIN_INTERVAL), MAX_INTERVAL);
  return procpsLoop(args, o, ctx);
}

/**
 * strtod_nol_or_err (procps' lib/strutils.c) as 4.0.2 has it: blanks, a sign, digits, one '.'
 * or ',' and digits, added up digit by digit (so 0.15 is a hair above 0.15, "Every 0.2s").
 * A bad number reports EINVAL; an empty one, or junk after the decimal point, reports whatever
 * errno held, which is ENOENT when a locale other than C made gettext look for its catalogue.
 */
function parseNumber(s: string, env: ReadonlyMap<string, string>): number | string {
  const stale = localized(env) ? ': No such file or directory' : '';
  if (s === '') return stale;
  let i = 0;
  while (/\s/.test(s[i] ?? '')) i++;
  let negative = false;
  if (s[i] === '-' || s[i] === '+') negative = s[i++] === '-';
  let digits = 0;
  while (/\d/.test(s[i + digits] ?? '')) digits++;
  let mult = 0.1;
  for (let k = 0; k < digits; k++) mult *= 10;
  let num = 0;
  const addDigits = () => {
    while (/\d/.test(s[i] ?? '')) {
      num += Number(s[i]) * mult;
      mult /= 10;
      i++;
    }
  };
  addDigits();
  if (i === s.length) return negative ? -num : num;
  if (s[i] !== '.' && s[i] !== ',') return ': Invalid argument';
  i++;
  addDigits();
  if (i === s.length) return negative ? -num : num;
  return stale;
}

function localized(env: ReadonlyMap<string, string>): boolean {
  return [...env].some(([k, v]) => (k === 'LANG' || k.startsWith('LC_')) && v !== '' && v !== 'C' && v !== 'POSIX');
}

/** LINES and COLUMNS from the environment when they hold a positive number, else the tty's size. */
function procpsSize(ctx: CommandContext): TerminalSize {
  const tty = ctx.session.terminalSize() ?? FALLBACK;
  const fixed = (name: string) => {
    const v = ctx.env.get(name);
    return v !== undefined && /^\d+$/.test(v) && Number(v) > 0 ? Number(v) : undefined;
  };
  return { cols: fixed('COLUMNS') ?? tty.cols, rows: fixed('LINES') ?? tty.rows };
}

async function procpsLoop(args: string[], o: Options, ctx: CommandContext): Promise<CommandResult> {
  const session = ctx.session;
  const draw = session.fullScreen();
  session.catchInterrupt();
  const command = args.join(' ');
  const host = ctx.place.kind === 'node' ? ctx.place.node : ctx.place.kind === 'pod' ? ctx.place.pod : 'workstation';
  const top = o.title ? 2 : 0;
  let size = procpsSize(ctx);
  draw(ENTER_SCREEN);
  let previous: { size: TerminalSize; rows: string[]; marks: boolean[][]; text: string } | undefined;
  let unchanged = 0;
  let exitCode = 0;
  for (let run = 1; ; run++) {
    size = procpsSize(ctx);
    const started = ctx.cluster.now();
    const title = o.title ? procpsTitle(size.cols, o.interval, command, host, started) : undefined;
    const r = await runCommand(args, o.exec, size, ctx);
    // SIGINT while the command ran: watch leaves at once, drawing nothing more.
    if (session.signal.aborted) break;
    const text = terminalText(r);
    const body = procpsBody(text, size.cols, Math.max(0, size.rows - top), o.wrap);
    const rows = [...(title !== undefined ? [title, ' '.repeat(size.cols)] : []), ...body.rows];
    // A resized screen starts over: nothing is marked as changed on it.
    const before = previous && previous.size.cols === size.cols && previous.size.rows === size.rows ? previous : undefined;
    const marks = changedCells(rows, top, before, o.diff === 'permanent');
    let out = procpsFrame(rows, size.cols, o.diff ? marks : undefined);
    if (body.beep || (o.beep && r.exitCode !== 0)) out += BEEP;
    if (o.errexit && r.exitCode !== 0) {
      out += `\x1b[${size.rows};1H${ERREXIT_MESSAGE.slice(0, size.cols)}\x1b[${size.rows};${size.cols}H`;
      draw(out);
      // Any key exits 8; here only Ctrl-C can reach it (which exits 0 through SIGINT).
      if (!session.endless) {
        exitCode = 8;
        break;
      }
      while (!session.signal.aborted) await session.wait(60_000);
      break;
    }
    draw(out);
    const same = previous !== undefined && text === previous.text;
    if (o.chgexit && previous !== undefined && !same) break;
    unchanged = same ? unchanged + 1 : 0;
    if (o.equexit !== undefined && unchanged >= o.equexit) break;
    previous = { size, rows, marks, text };
    // No one can press Ctrl-C: one screen, or (a replay of -g, -q) until it ends by itself.
    if (!session.endless && ((o.chgexit === false && o.equexit === undefined) || run >= MAX_UNATTENDED_RUNS)) break;
    const took = ctx.cluster.now() - started;
    await session.wait(Math.max(0, Math.round(o.interval * 1000) - (o.precise ? took : 0)));
    if (session.signal.aborted) break;
  }
  draw(leaveScreen(size.rows));
  return { stdout: '', stderr: '', exitCode };
}

/**
 * One run of the command, its stdout and stderr on the screen (watch points both at its pipe).
 * `sh -c COMMAND` is Debian's dash; -x execs the words themselves, so a missing program is
 * watch's own message. The terminal's size goes along in COLUMNS and LINES.
 */
async function runCommand(args: string[], exec: boolean, size: TerminalSize, ctx: CommandContext): Promise<CommandResult> {
  const env = new Map(ctx.env);
  env.set('COLUMNS', String(size.cols));
  env.set('LINES', String(size.rows));
  const line = exec ? args.map(shellQuote).join(' ') : args.join(' ');
  const r = await ctx.session.runIn(ctx.place, line, undefined, { cwd: ctx.cwd, env });
  if (exec && r.exitCode === 127 && r.stderr.includes(': command not found')) {
    return { stdout: '', stderr: `watch: unable to execute '${args[0]}': No such file or directory\n`, exitCode: 4 };
  }
  return { ...r, stderr: notFoundAs(r.stderr, 'dash') };
}

/** busybox 1.37's watch: getopt32 "^+dtn:" (-d is accepted and does nothing), at least one word. */
async function busybox(argv: string[], ctx: CommandContext): Promise<CommandResult> {
  if (argv.length === 1 && argv[0] === '--help') return { stdout: '', stderr: BUSYBOX_USAGE, exitCode: 0 };
  const parsed = getoptLong(argv, '+dtn:');
  let title = true;
  let period = 2;
  for (const opt of parsed.options) {
    if ('error' in opt) return { stdout: '', stderr: `watch: ${opt.error}\n${BUSYBOX_USAGE}`, exitCode: 1 };
    if (opt.key === 't') title = false;
    if (opt.key === 'n') {
      const p = parseDuration(opt.arg!);
      if (typeof p === 'string') return { stdout: '', stderr: p, exitCode: 1 };
      period = p;
    }
  }
  const args = parsed.operands;
  if (args.length === 0) return { stdout: '', stderr: BUSYBOX_USAGE, exitCode: 1 };
  const command = args.join(' ');
  const session = ctx.session;
  for (;;) {
    let out = '\x1b[H\x1b[J';
    if (title) out += busyboxHeader(busyboxWidth(ctx), period, command, ctx.cluster.now()) + '\n\n';
    session.write(out);
    const r = await session.runIn(ctx.place, command, undefined, { cwd: ctx.cwd, env: ctx.env });
    if (session.signal.aborted) break;
    session.write(terminalText(r));
    if (!session.endless) break;
    // A zero period would spin without letting Ctrl-C in; procps' floor keeps it responsive.
    await session.wait(Math.round(Math.max(period, MIN_INTERVAL) * 1000));
    if (session.signal.aborted) break;
  }
  return { stdout: '', stderr: '', exitCode: 0 };
}

/** get_terminal_width: COLUMNS when set (atoi), else the tty's; 80 when that is not 2..29999. */
function busyboxWidth(ctx: CommandContext): number {
  const env = ctx.env.get('COLUMNS');
  const cols = env !== undefined ? Number.parseInt(env, 10) || 0 : (ctx.session.terminalSize()?.cols ?? 0);
  return cols > 1 && cols < 30000 ? cols : 80;
}

/**
 * busybox's parse_duration_str: a whole number with an optional s/m/h/d suffix, or (with a
 * '.') a decimal one; "watch: invalid number 'X'" otherwise, or its usage for a malformed decimal.
 */
function parseDuration(s: string): number | string {
  const scale: Record<string, number> = { '': 1, s: 1, m: 60, h: 3600, d: 86400 };
  if (!s.includes('.')) {
    const m = /^(\d+)([smhd]?)$/.exec(s);
    return m ? Number(m[1]) * scale[m[2]!]! : `watch: invalid number '${s}'\n`;
  }
  const len = /^[\d.]*/.exec(s)![0].length;
  const number = s.slice(0, len);
  if (!/^(\d+\.?\d*|\.\d+)$/.test(number)) return BUSYBOX_USAGE;
  // The suffix is read from "1" + suffix (the last digit is overwritten with a 1).
  const suffix = s.slice(len);
  if (!(suffix in scale)) return `watch: invalid number '1${suffix}'\n`;
  return Number(number) * scale[suffix]!;
}
