// The line discipline against a real (headless) xterm.js terminal and a scripted backend.
import headless from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import type { CompletionQuery } from './completion';
import { History, type HistoryStorage } from './history';
import { ShellTerminal, spokenText, type RunResult, type ShellBackend } from './shell-terminal';

const { Terminal } = headless;
type Term = InstanceType<typeof Terminal>;

const WS = 'user@workstation:~$ ';
const NODE = 'root@worker:~# ';

/** A backend that answers like the session would for a handful of lines. */
class FakeShell implements ShellBackend {
  prompt = WS;
  ran: string[] = [];
  interrupted = 0;
  /** Answer Ctrl-C as the lab worker does (the ^C echo, exit 130); false: a shell that hangs. */
  answersInterrupt = true;
  /** Lines that never answer (until released), like `sleep 100`. */
  hold = new Map<string, (r: RunResult) => void>();
  /** How a held line ends on Ctrl-C when it does not answer with the ^C echo (a full-screen program). */
  onInterrupt = new Map<string, () => void>();
  async run(line: string, onOutput?: (text: string) => void): Promise<RunResult> {
    const base = { exitCode: 0, nested: this.prompt !== WS };
    if (/<<EOF/.test(line) && !/\nEOF$/.test(line)) return { ...base, output: '', prompt: this.prompt, incomplete: true };
    this.ran.push(line);
    if (line === 'ssh worker') {
      this.prompt = NODE;
      return { ...base, output: '', prompt: NODE, nested: true };
    }
    if (line === 'exit' && this.prompt === NODE) {
      this.prompt = WS;
      return { ...base, output: 'logout\nConnection to worker closed.\n', prompt: WS, nested: false };
    }
    // Output without a final newline, like agnhost's /hostname through wget -qO-.
    if (line === 'printf backend') return { ...base, output: 'backend', prompt: this.prompt };
    if (line.startsWith('sleep')) return new Promise((resolve) => this.hold.set(line, resolve));
    if (line.startsWith('watch')) {
      // As the session streams watch: the alternate screen, a frame, the cursor parked bottom-right.
      onOutput?.('\x1b[?1049h\x1b[22;0;0t\x1b(B\x1b[m\x1b[4l\x1b[?7h\x1b[H\x1b[2J\x1b[1;1HEvery 2.0s: date\x1b[3;1HThu Jan  1 00:00:00 UTC 2026\x1b[24;80H');
      return new Promise((resolve) => {
        this.hold.set(line, resolve);
        this.onInterrupt.set(line, () => {
          onOutput?.('\x1b[24;1H\x1b[?1049l\x1b[23;0;0t\r\x1b[?1l\x1b>');
          resolve({ ...base, output: '', prompt: this.prompt });
        });
      });
    }
    if (line.startsWith('ping')) {
      onOutput?.('PING web (10.96.0.10): 56 data bytes\n');
      return new Promise((resolve) => this.hold.set(line, resolve));
    }
    if (line === 'echo -n hi') return { ...base, output: 'hi', prompt: this.prompt };
    return { ...base, output: `ran: ${line.replace(/\n/g, '|')}\n`, prompt: this.prompt };
  }
  interrupt(): void {
    this.interrupted++;
    if (!this.answersInterrupt) return;
    for (const [line, answer] of this.hold) {
      this.hold.delete(line);
      const own = this.onInterrupt.get(line);
      if (own) own();
      else answer({ output: '^C\n', prompt: this.prompt, exitCode: 130, nested: this.prompt !== WS });
    }
  }
  complete = async (q: CompletionQuery): Promise<string[]> => {
    switch (q.kind) {
      case 'commands':
        return ['cat', 'hostname', 'kubectl', 'ls', 'ssh'];
      case 'kubectl-verbs':
        return ['apply', 'delete', 'describe', 'get', 'logs'];
      case 'kubectl-flags':
        return ['--all-namespaces', '--namespace', '--output', '-A', '-n', '-o'];
      case 'resources':
        return ['deployments', 'endpointslices', 'pods', 'services'];
      case 'names':
        if (q.resource === 'namespaces') return ['default', 'kube-system'];
        if (q.resource === 'pods' || q.resource === 'po') return q.namespace === 'kube-system' ? ['coredns-1', 'coredns-2'] : ['client', 'web-1', 'web-2'];
        return [];
      case 'nodes':
        return ['control-plane', 'worker', 'worker2'];
      case 'files':
        return ['manifests/', 'web.yaml', 'my file.yaml'].filter((f) => f.startsWith(q.prefix));
    }
  };
}

function memoryStorage(): HistoryStorage & { data: Map<string, string> } {
  const data = new Map<string, string>();
  return { data, getItem: (k) => data.get(k) ?? null, setItem: (k, v) => void data.set(k, v) };
}

async function setup(opts: { cols?: number; storage?: HistoryStorage; grace?: number } = {}) {
  const term: Term = new Terminal({ cols: opts.cols ?? 80, rows: 24, allowProposedApi: true });
  const shell = new FakeShell();
  const history = new History({ storage: opts.storage ?? memoryStorage(), key: 'h' });
  const shown: string[] = [];
  const st = new ShellTerminal({ term, backend: shell, history, prompt: WS, onOutput: (t) => shown.push(t), ...(opts.grace ? { interruptGraceMs: opts.grace } : {}) });
  st.start('Starting cluster…\n');
  /** Let promises settle and xterm parse what was written. */
  const flush = async () => {
    for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
    await new Promise<void>((r) => term.write('', r));
  };
  const keys = async (data: string) => {
    term.input(data, true);
    await flush();
  };
  const lines = () => {
    const b = term.buffer.active;
    const out: string[] = [];
    for (let i = 0; i < b.length; i++) {
      const row = b.getLine(i)!;
      const t = row.translateToString(true).trimEnd();
      if (row.isWrapped && out.length) out[out.length - 1] += t;
      else out.push(t);
    }
    while (out.length && out[out.length - 1] === '') out.pop();
    return out;
  };
  const last = () => lines().at(-1) ?? '';
  const cursorX = () => term.buffer.active.cursorX;
  await flush();
  return { term, shell, st, keys, lines, last, cursorX, history, flush, shown };
}

describe('ShellTerminal', () => {
  it('setPrompt (a replayed session) moves the prompt and keeps the line being typed; reset drops it', async () => {
    const t = await setup();
    await t.keys('kubectl get');
    t.st.notice('user@workstation:~$ ssh worker\n');
    t.st.setPrompt(NODE, true);
    await t.flush();
    expect(t.lines()).toEqual(['Starting cluster…', 'user@workstation:~$ ssh worker', NODE + 'kubectl get']);
    await t.keys('\x15\x04'); // Ctrl-U, then Ctrl-D on the empty line leaves the nested shell
    expect(t.shell.ran).toEqual(['exit']);
    t.st.reset(WS);
    await t.flush();
    expect(t.last()).toBe(WS.trimEnd());
  });

  it('shows the banner and the prompt, echoes keys and runs the line', async () => {
    const t = await setup();
    expect(t.lines()).toEqual(['Starting cluster…', WS.trimEnd()]);
    await t.keys('kubectl get pods');
    expect(t.last()).toBe(WS + 'kubectl get pods');
    await t.keys('\r');
    expect(t.shell.ran).toEqual(['kubectl get pods']);
    expect(t.lines().slice(-2)).toEqual(['ran: kubectl get pods', WS.trimEnd()]);
  });

  it('output without a final newline stays, and the prompt follows it on the same row as in bash', async () => {
    const t = await setup({ cols: 40 });
    await t.keys('printf backend\r');
    expect(t.last()).toBe('backend' + WS.trimEnd());
    expect(t.cursorX()).toBe('backend'.length + WS.length);
    // Redraws (typing, Ctrl-A, Ctrl-U, wrapping past the row's end) start after the output.
    await t.keys('kubectl get pods -o wide --all-namespaces');
    expect(t.lines().slice(-1)).toEqual(['backend' + WS + 'kubectl get pods -o wide --all-namespaces']);
    await t.keys('\x01');
    expect(t.cursorX()).toBe('backend'.length + WS.length);
    await t.keys('\x05\x15');
    expect(t.last()).toBe('backend' + WS.trimEnd());
    expect(t.cursorX()).toBe('backend'.length + WS.length);
    await t.keys('ls\r');
    expect(t.lines().slice(-3)).toEqual(['backend' + WS + 'ls', 'ran: ls', WS.trimEnd()]);
  });

  it('edits like readline: arrows, Home/End, Ctrl-A/E/U/K/W/Y, Delete', async () => {
    const t = await setup();
    await t.keys('kubectl get po');
    await t.keys('\x1b[D\x1b[D\x1b[D\x1b[D'); // cursor before "t po"? no: before " po"… 4 left = before "t po"
    await t.keys('X');
    expect(t.st.line).toBe('kubectl geXt po');
    await t.keys('\x7f');
    await t.keys('\x01'); // Ctrl-A
    expect(t.cursorX()).toBe(WS.length);
    await t.keys('sudo ');
    await t.keys('\x05'); // Ctrl-E
    expect(t.cursorX()).toBe(WS.length + 'sudo kubectl get po'.length);
    await t.keys('\x17'); // Ctrl-W kills "po"
    expect(t.st.line).toBe('sudo kubectl get ');
    await t.keys('\x19'); // Ctrl-Y yanks it back
    expect(t.st.line).toBe('sudo kubectl get po');
    await t.keys('\x1b[H\x1b[3~\x1b[3~\x1b[3~\x1b[3~\x1b[3~'); // Home, Delete ×5
    expect(t.st.line).toBe('kubectl get po');
    await t.keys('\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x1b[C\x0b'); // 7 right, Ctrl-K
    expect(t.st.line).toBe('kubectl');
    await t.keys('\x15'); // Ctrl-U
    expect(t.st.line).toBe('');
    expect(t.last()).toBe(WS.trimEnd());
  });

  it('Ctrl-C abandons the line with ^C and a new prompt; Ctrl-L keeps it at the top', async () => {
    const t = await setup();
    await t.keys('kubectl delete deploy web\x03');
    expect(t.shell.ran).toEqual([]);
    expect(t.lines().slice(-2)).toEqual([WS + 'kubectl delete deploy web^C', WS.trimEnd()]);
    await t.keys('ls\x0c');
    expect(t.term.buffer.active.cursorY).toBe(0);
    expect(t.st.line).toBe('ls');
  });

  it('Ctrl-C interrupts a running command: the shell answers with the ^C echo and the prompt comes back', async () => {
    const t = await setup();
    await t.keys('sleep 100\r');
    expect(t.st.busy).toBe(true);
    await t.keys('\x03');
    expect(t.shell.interrupted).toBe(1);
    expect(t.st.busy).toBe(false);
    expect(t.lines().slice(-2)).toEqual(['^C', WS.trimEnd()]);
    // Kept in history like any line bash ran.
    await t.keys('\x1b[A');
    expect(t.st.line).toBe('sleep 100');
  });

  it('a shell that does not answer Ctrl-C is left behind after the grace time; its late output is dropped', async () => {
    const t = await setup({ grace: 300 });
    t.shell.answersInterrupt = false;
    await t.keys('sleep 100\r');
    await t.keys('\x03');
    expect(t.st.busy).toBe(true);
    // The grace time passes (however slowly this machine runs timers).
    for (let i = 0; i < 200 && t.st.busy; i++) await new Promise((r) => setTimeout(r, 10));
    await t.flush();
    expect(t.st.busy).toBe(false);
    expect(t.lines().slice(-2)).toEqual(['^C', WS.trimEnd()]);
    t.shell.hold.get('sleep 100')!({ output: 'late\n', prompt: WS, exitCode: 0, nested: false });
    await t.flush();
    expect(t.lines().join('\n')).not.toContain('late');
  });

  it('shows output as it streams, before the command ends; Ctrl-C then ends it', async () => {
    const t = await setup();
    await t.keys('ping web\r');
    expect(t.st.busy).toBe(true);
    expect(t.last()).toBe('PING web (10.96.0.10): 56 data bytes');
    await t.keys('\x03');
    expect(t.lines().slice(-3)).toEqual(['PING web (10.96.0.10): 56 data bytes', '^C', WS.trimEnd()]);
    expect(t.shown).toEqual(['PING web (10.96.0.10): 56 data bytes\n', '^C\n']);
  });

  it('a full-screen command draws on the alternate screen; after Ctrl-C the earlier screen and the prompt are back', async () => {
    const t = await setup();
    await t.keys('echo -n hi\r');
    await t.keys('watch date\r');
    expect(t.term.buffer.active.type).toBe('alternate');
    expect(t.lines()).toEqual(['Every 2.0s: date', '', 'Thu Jan  1 00:00:00 UTC 2026']);
    await t.keys('\x03');
    expect(t.term.buffer.active.type).toBe('normal');
    // No ^C (curses turned echo off): the prompt is on the row below the command, at its start.
    expect(t.lines().slice(-2)).toEqual(['hi' + WS + 'watch date', WS.trimEnd()]);
    expect(t.cursorX()).toBe(WS.length);
    await t.keys('ls');
    expect(t.last()).toBe(WS + 'ls');
  });

  it("reads a full-screen program's rows as lines for a screen reader, without escape sequences", () => {
    const frame = '\x1b[?1049h\x1b[22;0;0t\x1b(B\x1b[m\x1b[H\x1b[2J\x1b[1;1HEvery 2.0s: date\x1b[3;1H\x1b[7mThu\x1b[27m Jan  1\x1b[24;80H';
    expect(spokenText(frame).split('\n').filter(Boolean)).toEqual(['Every 2.0s: date', 'Thu Jan  1']);
    expect(spokenText('plain \x1b[1;32mgreen\x1b[0m\n')).toBe('plain green\n');
  });

  it('output that ends mid-line (echo -n) keeps its text; the prompt follows it on that row, as in bash', async () => {
    const t = await setup();
    await t.keys('echo -n hi\r');
    expect(t.lines().slice(-1)).toEqual(['hi' + WS.trimEnd()]);
  });

  it('history: Up/Down walk it, the draft is kept, Ctrl-R searches backwards', async () => {
    const storage = memoryStorage();
    const t = await setup({ storage });
    await t.keys('kubectl get pods\r');
    await t.keys('kubectl get svc\r');
    await t.keys(' secret-command\r'); // ignorespace
    await t.keys('ssh worker\r');
    await t.keys('exit\r');
    await t.keys('draft');
    await t.keys('\x1b[A');
    expect(t.st.line).toBe('exit');
    await t.keys('\x1b[A\x1b[A');
    expect(t.st.line).toBe('kubectl get svc');
    await t.keys('\x1b[B\x1b[B\x1b[B');
    expect(t.st.line).toBe('draft');
    await t.keys('\x15\x12pods');
    expect(t.last()).toBe("(reverse-i-search)`pods': kubectl get pods");
    await t.keys('\x1b[C'); // a movement key ends the search, keeping the match
    expect(t.last()).toBe(WS + 'kubectl get pods');
    // Kept per lab in storage, and read back by a new terminal.
    expect(JSON.parse(storage.data.get('h')!)).toEqual({ v: 1, lines: ['kubectl get pods', 'kubectl get svc', 'ssh worker', 'exit'] });
    const again = await setup({ storage });
    await again.keys('\x1b[A');
    expect(again.st.line).toBe('exit');
  });

  it('Ctrl-R: failing search says so, Ctrl-G restores the line', async () => {
    const t = await setup();
    await t.keys('kubectl get pods\r');
    await t.keys('typed\x12zzz');
    expect(t.last()).toBe("(failed reverse-i-search)`zzz': typed");
    await t.keys('\x07');
    expect(t.last()).toBe(WS + 'typed');
  });

  it('prompts follow the context: ssh worker, exit; Ctrl-D leaves a nested shell', async () => {
    const t = await setup();
    await t.keys('ssh worker\r');
    expect(t.last()).toBe(NODE.trimEnd());
    await t.keys('\x04');
    expect(t.shell.ran.at(-1)).toBe('exit');
    expect(t.lines().slice(-3)).toEqual(['logout', 'Connection to worker closed.', WS.trimEnd()]);
    // On the workstation Ctrl-D on an empty line does nothing.
    await t.keys('\x04');
    expect(t.shell.ran.at(-1)).toBe('exit');
  });

  it('Tab completes commands, verbs, resource types and names; a second Tab lists', async () => {
    const t = await setup();
    await t.keys('kub\t');
    expect(t.st.line).toBe('kubectl ');
    await t.keys('ge\t');
    expect(t.st.line).toBe('kubectl get ');
    await t.keys('po\t');
    expect(t.st.line).toBe('kubectl get pods ');
    await t.keys('cl\t');
    expect(t.st.line).toBe('kubectl get pods client ');
    await t.keys('\x15kubectl get pods w\t');
    expect(t.st.line).toBe('kubectl get pods web-');
    await t.keys('\t');
    expect(t.lines().slice(-2)).toEqual(['web-1  web-2', WS + 'kubectl get pods web-']);
    await t.keys('\x15kubectl -n kube-system logs c\t');
    expect(t.st.line).toBe('kubectl -n kube-system logs coredns-');
    await t.keys('\x15kubectl get po/w\t');
    expect(t.st.line).toBe('kubectl get po/web-');
    await t.keys('\x15kubectl get pods -o ya\t');
    expect(t.st.line).toBe('kubectl get pods -o yaml ');
    await t.keys('\x15kubectl apply -f my\t');
    expect(t.st.line).toBe('kubectl apply -f my\\ file.yaml ');
    await t.keys('\x15ssh wo\t');
    await t.keys('\t');
    expect(t.lines().at(-2)).toBe('worker   worker2');
  });

  it('Tab pressed twice quickly (before the first answer) still lists', async () => {
    const t = await setup();
    t.term.input('kubectl get -', true);
    t.term.input('\t', true);
    t.term.input('\t', true);
    await t.flush();
    expect(t.lines().join('\n')).toContain('--all-namespaces');
  });

  it('a multi-line paste runs line by line; the last partial line stays in the editor', async () => {
    const t = await setup();
    await t.keys('\x1b[200~kubectl get pods\r\nkubectl get svc\nkubectl get no\x1b[201~');
    expect(t.shell.ran).toEqual(['kubectl get pods', 'kubectl get svc']);
    expect(t.lines()).toContain(WS + 'kubectl get svc');
    expect(t.st.line).toBe('kubectl get no');
  });

  it('a here-document gets PS2 prompts and runs as one command', async () => {
    const t = await setup();
    await t.keys('\x1b[200~cat <<EOF\nhello\nEOF\n\x1b[201~');
    expect(t.shell.ran).toEqual(['cat <<EOF\nhello\nEOF']);
    expect(t.lines()).toContain('> hello');
    expect(t.lines()).toContain('> EOF');
    expect(t.last()).toBe(WS.trimEnd());
  });

  it('keys typed while a command runs are replayed at the next prompt', async () => {
    const t = await setup();
    await t.keys('sleep 1\r');
    await t.keys('kubectl get pods\r');
    expect(t.shell.ran).toEqual(['sleep 1']);
    t.shell.hold.get('sleep 1')!({ output: '', prompt: WS, exitCode: 0, nested: false });
    await t.flush();
    expect(t.shell.ran).toEqual(['sleep 1', 'kubectl get pods']);
  });

  it('long lines wrap, the cursor moves across rows, and a resize keeps the line whole', async () => {
    const t = await setup({ cols: 30 });
    const long = 'kubectl get pods --all-namespaces -o wide';
    await t.keys(long);
    expect(t.last()).toBe(WS + long);
    await t.keys('\x01');
    expect(t.cursorX()).toBe(WS.length);
    await t.keys('x\x05');
    expect(t.st.line).toBe('x' + long);
    expect(t.last()).toBe(WS + 'x' + long);
    t.term.resize(50, 24);
    t.st.resize();
    await t.flush();
    expect(t.last()).toBe(WS + 'x' + long);
    await t.keys('\x7f\x7f\x7f\x7f\x7f');
    expect(t.last()).toBe(WS + 'x' + long.slice(0, -5));
  });
});
