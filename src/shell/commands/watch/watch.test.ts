// watch: procps-ng 4.0.2's on the workstation and nodes, busybox's in busybox pods. Expected
// texts and screens come from procps-ng 4.0.2 (Debian bookworm's /usr/bin/watch) run in a pty
// with TERM=xterm-256color and rendered by a terminal emulator; busybox's from its watch.c.
import { readFileSync } from 'node:fs';
import headless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../engine';
import { fakeTime } from '../../fake-time';
import { createSession, terminalText } from '../../index';
import { changedCells, fixed1, procpsBody, procpsFrame, procpsTitle } from './screen';

const manifest = (f: string) => readFileSync(new URL(`../../../../tests/transcripts/manifests/${f}`, import.meta.url), 'utf8');

/** procps-ng 4.0.2's usage text, as `watch -h` prints it. */
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

/** What a terminal of `cols`×`rows` shows after `bytes`: the active buffer's rows, trailing blanks cut. */
async function render(bytes: string, cols: number, rows: number): Promise<{ buffer: string; rows: string[]; inverse: string[] }> {
  const term = new headless.Terminal({ cols, rows, allowProposedApi: true });
  await new Promise<void>((r) => term.write(bytes.replace(/\r?\n/g, '\r\n'), r));
  const b = term.buffer.active;
  const text: string[] = [];
  const inverse: string[] = [];
  for (let y = 0; y < rows; y++) {
    const line = b.getLine(b.viewportY + y)!;
    let t = '';
    let inv = '';
    for (let x = 0; x < cols; x++) {
      const c = line.getCell(x)!;
      t += c.getChars() || ' ';
      inv += c.isInverse() ? '^' : ' ';
    }
    text.push(t.trimEnd());
    inverse.push(inv.trimEnd());
  }
  term.dispose();
  return { buffer: b.type, rows: text, inverse };
}

describe('watch options (procps-ng 4.0.2)', () => {
  const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
  const run = async (line: string) => {
    const r = await s.run(line);
    return { out: r.stdout, err: r.stderr, code: r.exitCode };
  };

  it('prints its help and version on stdout, its usage on stderr without a command', async () => {
    expect(await run('watch -h')).toEqual({ out: USAGE, err: '', code: 0 });
    expect(await run('watch --help')).toEqual({ out: USAGE, err: '', code: 0 });
    expect(await run('watch -v')).toEqual({ out: 'watch from procps-ng 4.0.2\n', err: '', code: 0 });
    expect(await run('watch')).toEqual({ out: '', err: USAGE, code: 1 });
    expect(await run('watch -n 1')).toEqual({ out: '', err: USAGE, code: 1 });
  });

  it("words getopt_long's errors as glibc does, each followed by the usage", async () => {
    expect(await run('watch -z ls')).toEqual({ out: '', err: `watch: invalid option -- 'z'\n${USAGE}`, code: 1 });
    expect(await run('watch -C ls')).toEqual({ out: '', err: `watch: invalid option -- 'C'\n${USAGE}`, code: 1 });
    expect((await run('watch -n')).err).toBe(`watch: option requires an argument -- 'n'\n${USAGE}`);
    expect((await run('watch --bogus ls')).err).toBe(`watch: unrecognized option '--bogus'\n${USAGE}`);
    expect((await run('watch --intervalx=2 ls')).err).toBe(`watch: unrecognized option '--intervalx=2'\n${USAGE}`);
    expect((await run('watch --no ls')).err).toBe(`watch: option '--no' is ambiguous; possibilities: '--no-title' '--no-wrap'\n${USAGE}`);
    expect((await run('watch --e ls')).err).toBe(`watch: option '--e' is ambiguous; possibilities: '--errexit' '--equexit' '--exec'\n${USAGE}`);
    expect((await run('watch --beep=1 ls')).err).toBe(`watch: option '--beep' doesn't allow an argument\n${USAGE}`);
    expect((await run('watch --interval')).err).toBe(`watch: option '--interval' requires an argument\n${USAGE}`);
    // Options act in order.
    expect((await run('watch -h -z')).code).toBe(0);
    expect((await run('watch -z -h')).err).toBe(`watch: invalid option -- 'z'\n${USAGE}`);
    expect((await run('watch -v -z')).out).toBe('watch from procps-ng 4.0.2\n');
  });

  it('parses -n and -q with strtod_nol_or_err: EINVAL for junk, errno left over otherwise', async () => {
    for (const bad of ['x', '1x', '1e2', '0x10', 'inf', '12abc', '--5', '1 ']) {
      expect(await run(`watch -n '${bad}' ls`)).toEqual({ out: '', err: `watch: failed to parse argument: '${bad}': Invalid argument\n`, code: 1 });
    }
    expect((await run('watch -q 2x ls')).err).toBe("watch: failed to parse argument: '2x': Invalid argument\n");
    // Nothing set errno: without a locale the message ends there; with one, gettext left ENOENT in it.
    expect((await run("watch -n '' ls")).err).toBe("watch: failed to parse argument: ''\n");
    expect((await run('watch -n 1.5x ls')).err).toBe("watch: failed to parse argument: '1.5x'\n");
    expect((await run('watch -n 1.2.3 ls')).err).toBe("watch: failed to parse argument: '1.2.3'\n");
    expect((await run('LANG=C.UTF-8 watch -n 1.5x ls')).err).toBe("watch: failed to parse argument: '1.5x': No such file or directory\n");
    expect((await run("LC_ALL=en_US.UTF-8 watch -n '' ls")).err).toBe("watch: failed to parse argument: '': No such file or directory\n");
    expect((await run('LANG=C watch -n 1.5x ls')).err).toBe("watch: failed to parse argument: '1.5x'\n");
  });

  it('cannot start curses without a terminal (the CLI, a script), after its usage checks', async () => {
    const cli = createSession({ cluster: createCluster({ seed: 1 }) });
    const r = await cli.run('watch kubectl get pods');
    expect({ out: r.stdout, err: r.stderr, code: r.exitCode }).toEqual({ out: '', err: 'Error opening terminal: unknown.\n', code: 1 });
    expect((await cli.run('watch')).stderr).toBe(USAGE);
    expect((await cli.run('watch -n x ls')).stderr).toBe("watch: failed to parse argument: 'x': Invalid argument\n");
    // In the browser too, a command run on a node through ssh has no terminal (ssh without -t sends no TERM).
    expect(await s.run('ssh worker watch date')).toMatchObject({ stdout: '', stderr: 'Error opening terminal: unknown.\n', exitCode: 1 });
  });
});

describe('the title row', () => {
  // The real one's row 0 for `watch -n 2.5 'echo abcdefghijklmnopqrstuvwxyz0123456789'` on host vm.
  const at = (hms: string) => Date.parse(`2026-11-27T${hms}Z`);
  const COMMAND = 'echo abcdefghijklmnopqrstuvwxyz0123456789';
  it.each([
    [28, '21:19:00', ''],
    [29, '21:19:00', ' vm: Fri Nov 27 21:19:00 2026'],
    [41, '21:19:07', '             vm: Fri Nov 27 21:19:07 2026'],
    [42, '21:19:10', 'Every 2.5s:   vm: Fri Nov 27 21:19:10 2026'],
    [43, '21:19:13', 'Every 2.5s...  vm: Fri Nov 27 21:19:13 2026'],
    [44, '21:19:17', 'Every 2.5s:...  vm: Fri Nov 27 21:19:17 2026'],
    [46, '21:19:22', 'Every 2.5s: e...  vm: Fri Nov 27 21:19:22 2026'],
    [60, '21:19:32', 'Every 2.5s: echo abcdefghij...  vm: Fri Nov 27 21:19:32 2026'],
    [81, '21:19:38', 'Every 2.5s: echo abcdefghijklmnopqrstuvwxyz01234...  vm: Fri Nov 27 21:19:38 2026'],
    [82, '21:19:42', 'Every 2.5s: echo abcdefghijklmnopqrstuvwxyz0123456789 vm: Fri Nov 27 21:19:42 2026'],
    [100, '21:19:47', 'Every 2.5s: echo abcdefghijklmnopqrstuvwxyz0123456789                   vm: Fri Nov 27 21:19:47 2026'],
  ])('at %i columns', (cols, hms, row) => {
    const title = procpsTitle(cols, 2.5, COMMAND, 'vm', at(hms));
    expect(title).toHaveLength(cols);
    expect(title.trimEnd()).toBe(row);
  });

  it("pads the day as ctime does and rounds the interval as printf's %.1f (ties to even)", () => {
    expect(procpsTitle(80, 2, 'date', 'worker', Date.UTC(2026, 0, 7, 9, 5, 3)).trimEnd()).toBe(`Every 2.0s: date${' '.repeat(32)}worker: Wed Jan  7 09:05:03 2026`);
    expect([0.25, 1.25, 0.75, 2.5, 0.1, 100000].map(fixed1)).toEqual(['0.2', '1.2', '0.8', '2.5', '0.1', '100000.0']);
  });
});

describe('the body', () => {
  // The real screens of `watch -t [-w] cat FILE` at 30 or 25 columns.
  const TEXT = 'a\tb\tc\n12345678901\tx\nlong line number one that wraps around the narrow screen\n\ttab first\nlast\n';
  const rows = (text: string, cols: number, wrap: boolean) => procpsBody(text, cols, 8, wrap).rows.map((r) => r.trimEnd());

  it('expands tabs, wraps long lines and leaves the rest blank', () => {
    expect(rows(TEXT, 30, true)).toEqual(['a       b       c', '12345678901     x', 'long line number one that wrap', 's around the narrow screen', '        tab first', 'last', '', '']);
    expect(rows(TEXT, 25, true)).toEqual(['a       b       c', '12345678901     x', 'long line number one that', ' wraps around the narrow', 'screen', '        tab first', 'last', '']);
    // A line exactly as wide as the screen takes one row, no blank one after it.
    const exact = '1\n2\n' + '3'.repeat(30) + '\n4\n' + '6'.repeat(34) + '\n7\n';
    expect(rows(exact, 30, true)).toEqual(['1', '2', '3'.repeat(30), '4', '6'.repeat(30), '6666', '7', '']);
  });

  it('with -w cuts long lines, and (4.0.2) drops the line after one that ended short', () => {
    expect(rows(TEXT, 30, false)).toEqual(['a       b       c', 'long line number one that wrap', '        tab first', '', '', '', '', '']);
    expect(rows('1\n2\n3\n4\n5\n6\n7\n', 30, false)).toEqual(['1', '3', '5', '7', '', '', '', '']);
    const exact = '1\n2\n' + '3'.repeat(30) + '\n4\n5\n' + '6'.repeat(34) + '\n7\n8\n9\n';
    expect(rows(exact, 30, false)).toEqual(['1', '3'.repeat(30), '4', '6'.repeat(30), '7', '9', '', '']);
  });

  it('keeps what fits: rows below the last are not shown', () => {
    expect(procpsBody('1\n2\n3\n4\n', 10, 2, true).rows.map((r) => r.trimEnd())).toEqual(['1', '2']);
  });

  it('-d marks the cells that changed since the screen before; permanent keeps every cell that ever did', async () => {
    // `watch -t -n 1 -d` over output alternating between two texts (30 columns).
    const odd = procpsBody('same line\nodd  abc\nlonger line here\n', 30, 3, true).rows;
    const even = procpsBody('same line\neven xyc\nshort\n', 30, 3, true).rows;
    const show = (marks: boolean[][]) => marks.map((r) => r.map((m) => (m ? '^' : ' ')).join('').trimEnd());
    const first = changedCells(odd, 0);
    expect(show(first)).toEqual(['', '', '']);
    const second = changedCells(even, 0, { rows: odd, marks: first });
    // The real screen: "[e][v][e][n] [x][y]c" and "[s][h][o][r][t][ ] [ ][ ][ ][ ] [ ][ ][ ][ ]".
    expect(show(second)).toEqual(['', '^^^^ ^^', '^^^^^^ ^^^^ ^^^^']);
    const third = changedCells(odd, 0, { rows: even, marks: changedCells(even, 0, { rows: odd, marks: first }, true) }, true);
    // --differences=permanent: "[o][d][d][ ] [a][b]c" and "[l][o][n][g][e][r] [l][i][n][e] [h][e][r][e]".
    expect(show(third)).toEqual(['', '^^^^ ^^', '^^^^^^ ^^^^ ^^^^']);
    // On the screen they are in reverse video (curses' standout).
    const drawn = await render(procpsFrame(even, 30, second), 30, 3);
    expect(drawn.rows).toEqual(['same line', 'even xyc', 'short']);
    expect(drawn.inverse).toEqual(show(second));
  });
});

describe('watch in the terminal', () => {
  it('redraws `kubectl get pods` every interval as the clock moves; Ctrl-C leaves the alternate screen and exits 0', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1 });
    const s = createSession({ cluster, interactive: true });
    await s.run('kubectl create deployment web --image=nginx:1.27 --replicas=2');
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let screen = '';
    let text = '';
    const t0 = cluster.now();
    const running = s.run('watch -n 1 kubectl get pods', {
      onOutput: (t, drawn) => (drawn ? (screen += t) : (text += t)),
      signal: ctrlC.signal,
      time,
      endless: true,
      terminal: () => ({ cols: 80, rows: 10 }),
    });
    await pass(500);
    const first = await render(screen, 80, 10);
    expect(first.buffer).toBe('alternate');
    expect(first.rows[0]).toBe(`Every 1.0s: kubectl get pods${' '.repeat(15)}workstation: ${ctimeOf(t0)}`);
    expect(first.rows[1]).toBe('');
    expect(first.rows[2]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(first.rows.slice(3, 5)).toEqual([expect.stringMatching(/^web-\S+ {3}0\/1 {5}ContainerCreating {3}0 {10}0s$/), expect.stringMatching(/^web-\S+ {3}0\/1 {5}ContainerCreating {3}0 {10}0s$/)]);
    // The image pull and start take a few seconds: later screens show the pods Running.
    await pass(29_500);
    const later = await render(screen, 80, 10);
    expect(later.rows[0]).toContain(`workstation: ${ctimeOf(t0 + 30_000)}`);
    expect(later.rows.slice(3, 5)).toEqual([expect.stringMatching(/^web-\S+ {3}1\/1 {5}Running {3}0 {10}30s$/), expect.stringMatching(/^web-\S+ {3}1\/1 {5}Running {3}0 {10}30s$/)]);
    expect(cluster.now() - t0).toBe(30_000);
    ctrlC.abort();
    const r = await running;
    expect(r).toMatchObject({ exitCode: 0, interrupted: true, stdout: '', stderr: '' });
    // Curses turned echo off: no ^C; nothing it drew is the line's output.
    expect(text).toBe('');
    expect(screen).not.toContain('^C');
    expect(screen.endsWith('\x1b[10;1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>')).toBe(true);
    // A terminal that had a prompt and the command on its main screen shows them again.
    const after = await render(`user@workstation:~$ watch -n 1 kubectl get pods\n${screen}user@workstation:~$ `, 80, 10);
    expect(after.buffer).toBe('normal');
    expect(after.rows.slice(0, 3)).toEqual(['user@workstation:~$ watch -n 1 kubectl get pods', 'user@workstation:~$', '']);
  });

  it('runs the command through sh in its directory and environment, COLUMNS and LINES exported', { timeout: 30_000 }, async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
    const screenOf = async (line: string, cols = 70, rows = 6) => {
      let screen = '';
      const r = await s.run(line, { onOutput: (t, drawn) => drawn && (screen += t), terminal: () => ({ cols, rows }) });
      // A line that is not one command does not stream: what watch drew is its plain output.
      screen += r.stdout;
      return { r, rows: (await render(screen.slice(0, screen.lastIndexOf('\x1b[?1049l')), cols, rows)).rows };
    };
    // One screen without an endless terminal (nobody could press Ctrl-C).
    const env = await screenOf("cd /tmp; export GREETING=hi; watch -t 'echo cols=$COLUMNS lines=$LINES $GREETING; pwd'");
    expect(env.rows.slice(0, 2)).toEqual(['cols=70 lines=6 hi', '/tmp']);
    // COLUMNS and LINES in the environment win over the terminal's size.
    const fixed = await screenOf('COLUMNS=60 LINES=4 watch echo x');
    expect(fixed.rows[0]).toMatch(/^Every 2\.0s: echo x {5}workstation: /);
    expect(fixed.rows[0]).toHaveLength(60);
    // sh is Debian's dash; -x execs the words, so a missing program is watch's own message.
    expect((await screenOf('watch -t nosuchcmd a')).rows[0]).toBe('sh: 1: nosuchcmd: not found');
    expect((await screenOf('watch -t -x nosuchcmd a')).rows[0]).toBe("watch: unable to execute 'nosuchcmd': No such file or directory");
    expect((await screenOf("watch -t -x echo 'a  b' '$HOME'")).rows[0]).toBe('a  b $HOME');
    // The title shows the words joined, the interval as parsed (0.15 adds up to a hair more).
    expect((await screenOf("watch -n 0.15 -x echo '$HOME'")).rows[0]).toMatch(/^Every 0\.2s: echo \$HOME +workstation: /);
    expect((await screenOf('watch -n 0.01 true')).rows[0]).toMatch(/^Every 0\.1s: true +workstation: /);
    expect((await screenOf('watch -n 1,5 true')).rows[0]).toMatch(/^Every 1\.5s: true +workstation: /);
  });

  it('-g ends when the output changes, -q after so many runs without a change', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1 });
    const s = createSession({ cluster, interactive: true });
    const other = createSession({ cluster, interactive: true, share: s });
    await s.run('echo one > /tmp/f');
    const { time, pass } = fakeTime();
    const t0 = cluster.now();
    const g = s.run('watch -g -n 1 cat /tmp/f', { time, endless: true, onOutput: () => undefined });
    await pass(2500);
    await other.run('echo two > /tmp/f');
    await pass(1000);
    const r = await g;
    expect(r).toMatchObject({ exitCode: 0, stdout: '' });
    expect(r.interrupted).toBeUndefined();
    expect(cluster.now() - t0).toBe(3000);
    // -q 2: the first run, then two that print the same.
    const later = fakeTime();
    const t1 = cluster.now();
    const q = s.run('watch -q 2 -n 1 cat /tmp/f', { time: later.time, endless: true, onOutput: () => undefined });
    await later.pass(5000);
    expect((await q).exitCode).toBe(0);
    expect(cluster.now() - t1).toBe(2000);
  });

  it('-e stops at a failed run with its message on the last row (a key would exit 8; Ctrl-C exits 0)', { timeout: 30_000 }, async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
    let screen = '';
    const r = await s.run("watch -e 'echo out; false'", { onOutput: (t, drawn) => drawn && (screen += t), terminal: () => ({ cols: 50, rows: 8 }) });
    expect(r.exitCode).toBe(8);
    const shown = await render(screen.slice(0, screen.lastIndexOf('\x1b[?1049l')), 50, 8);
    expect(shown.rows[2]).toBe('out');
    expect(shown.rows[7]).toBe('command exit with a non-zero status, press a key t');
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    const waiting = s.run("watch -e 'false'", { time, endless: true, signal: ctrlC.signal, onOutput: () => undefined });
    await pass(120_000);
    ctrlC.abort();
    expect(await waiting).toMatchObject({ exitCode: 0, interrupted: true });
  });

  it("titles a node's screen with the node's name", { timeout: 30_000 }, async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
    await s.run('ssh worker');
    let screen = '';
    await s.run('watch -n 5 hostname', { onOutput: (t, drawn) => drawn && (screen += t), terminal: () => ({ cols: 60, rows: 5 }) });
    const rows = (await render(screen.slice(0, screen.lastIndexOf('\x1b[?1049l')), 60, 5)).rows;
    expect(rows[0]).toMatch(/^Every 5\.0s: hostname {8}worker: \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}$/);
    expect(rows[2]).toBe('worker');
  });
});

describe("busybox's watch (busybox and Alpine pods)", () => {
  const cluster = createCluster({ seed: 1, manifests: manifest('clients.yaml') });
  cluster.tick(60_000);

  it('clears the screen, prints its header and the output as is; Ctrl-C kills it', { timeout: 30_000 }, async () => {
    const s = createSession({ cluster, interactive: true });
    await s.run('kubectl exec -it client -- sh');
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const t0 = cluster.now();
    const running = s.run('watch -n 1 hostname', { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true, terminal: () => ({ cols: 60, rows: 10 }) });
    await pass(1500);
    ctrlC.abort();
    const r = await running;
    out += terminalText(r);
    // "Every %.1fs: %-*s" padded to the width, the date written over its last 20 cells.
    const header = (ms: number) => `Every 1.0s: hostname${' '.repeat(20)}${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}`;
    expect(out).toBe(`\x1b[H\x1b[J${header(t0)}\n\nclient\n\x1b[H\x1b[J${header(t0 + 1000)}\n\nclient\n^C\n`);
    expect(r.exitCode).toBe(130);
  });

  it('answers its options as busybox does; a script sees one screen', { timeout: 30_000 }, async () => {
    const s = createSession({ cluster });
    await s.run('kubectl exec -it client -- sh');
    const usage = 'BusyBox v1.37.0 (2024-09-26 21:31:42 UTC) multi-call binary.\n\nUsage: watch [-n SEC] [-t] PROG ARGS\n\nRun PROG periodically\n\n\t-n SEC\tPeriod (default 2)\n\t-t\tDon\'t print header\n';
    expect(await s.run('watch')).toMatchObject({ stderr: usage, exitCode: 1 });
    expect(await s.run('watch --help')).toMatchObject({ stderr: usage, exitCode: 0 });
    expect(await s.run('watch -x ls')).toMatchObject({ stderr: `watch: invalid option -- 'x'\n${usage}`, exitCode: 1 });
    expect(await s.run('watch -n x ls')).toMatchObject({ stderr: "watch: invalid number 'x'\n", exitCode: 1 });
    expect(await s.run('watch -n 1.5x ls')).toMatchObject({ stderr: "watch: invalid number '1x'\n", exitCode: 1 });
    const r = await s.run('watch -t -n 1m nosuchcmd');
    expect(r).toMatchObject({ stdout: '\x1b[H\x1b[Jsh: nosuchcmd: not found\n', exitCode: 0 });
  });

  it('is where the image has it: busybox and Alpine images, not Debian ones', { timeout: 30_000 }, async () => {
    const { commandsFor } = await import('../../registry');
    const names = (place: Parameters<typeof commandsFor>[0]) => commandsFor(place).map((c) => c.name);
    const pod = (image: string) => ({ kind: 'pod' as const, namespace: 'default', pod: 'p', container: 'c', image });
    expect(names({ kind: 'workstation' })).toContain('watch');
    expect(names({ kind: 'node', node: 'worker' })).toContain('watch');
    expect(names(pod('busybox:1.37'))).toContain('watch');
    expect(names(pod('nicolaka/netshoot:v0.14'))).toContain('watch');
    expect(names(pod('nginx:1.27'))).not.toContain('watch');
    expect(names(pod('nginx:1.27-alpine'))).toContain('watch');
  });
});

/** ctime(3) of an engine time, as the title shows it. */
function ctimeOf(ms: number): string {
  const d = new Date(ms).toUTCString(); // "Thu, 01 Jan 2026 00:00:00 GMT"
  const [, day, date, mon, year, hms] = /^(\w+), (\d+) (\w+) (\d+) ([\d:]+) GMT$/.exec(d)!;
  return `${day} ${mon} ${date!.replace(/^0/, ' ')} ${hms} ${year}`;
}
