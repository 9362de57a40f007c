import { parse, serialize } from 'just-bash';
import { describe, expect, it } from 'vitest';
import { terminalMark, toTerminal } from './tty';

const OURS = new Set(['kubectl', 'ping', 'curl']);

/** The line as just-bash runs it after the rewrite, and the pipes' rests. */
function rewrite(line: string) {
  const ast = parse(line);
  const pipes = toTerminal(ast, OURS);
  return { script: serialize(ast), pipes };
}

describe('toTerminal: which commands write to the terminal', () => {
  it('each command of a list and of a loop body, with its stderr; our commands are marked', () => {
    expect(rewrite('echo a; kubectl get pods && sleep 1').script).toBe(
      'echo a 1>> /dev/tty 2>> /dev/tty\nkubectl get pods 1>> /dev/tty 2>> /dev/tty 255<<< terminal && sleep 1 1>> /dev/tty 2>> /dev/tty',
    );
    expect(rewrite('for i in 1 2; do curl -s web; done').script).toBe(
      'for i in 1 2; do\ncurl -s web 1>> /dev/tty 2>> /dev/tty 255<<< terminal\ndone 1>> /dev/tty 2>> /dev/tty',
    );
  });

  it('a pipeline: the last stage writes to the terminal, the others into the pipe (their stderr to the terminal unless |&)', () => {
    const { script, pipes } = rewrite('kubectl get pods -w | grep web |& tail -2');
    expect(script).toBe('kubectl get pods -w 2>> /dev/tty 255<<< pipe\\ 0 | grep web |& tail -2 1>> /dev/tty 2>> /dev/tty');
    expect(pipes).toEqual([{ script: 'grep web |& tail -2', streams: false }]);
  });

  it('leaves alone what goes elsewhere: a substitution, a redirected command or body, a function body, exec', () => {
    expect(rewrite('x=$(kubectl get pods); f() { ping -c 1 web; }; exec >/tmp/log').script).toBe('x=$(kubectl get pods)\nf() { ping -c 1 web; }\nexec > /tmp/log');
    // stdout to a file: only its stderr is the terminal's, and kubectl is not marked.
    expect(rewrite('kubectl get pods >/tmp/p').script).toBe('kubectl get pods 1>> /dev/tty 2>> /dev/tty > /tmp/p');
    expect(rewrite('{ kubectl get pods; echo x; } 2>/dev/null >/tmp/p').script).toBe('{ kubectl get pods\necho x; } 1>> /dev/tty 2>> /dev/tty 2> /dev/null > /tmp/p');
    // `2>&1 >file`: stderr is still the terminal, stdout is not.
    expect(rewrite('while true; do ping web; done 2>&1 >/tmp/p').script).toBe('while true 2>> /dev/tty; do\nping web 2>> /dev/tty\ndone 1>> /dev/tty 2>> /dev/tty 2>& 1 > /tmp/p');
    // A function named like our command is not ours.
    expect(rewrite('kubectl() { echo fake; }; kubectl get pods').script).not.toContain('255<<<');
  });

  it('marks stdout-only when the command sends its stderr elsewhere', () => {
    expect(rewrite('kubectl get pods -w 2>/dev/null').script).toContain('255<<< terminal\\ stdout');
    expect(terminalMark(new Map([[255, 'terminal stdout\n']]))).toEqual({ kind: 'terminal', stderr: false });
    expect(terminalMark(new Map([[255, 'terminal\n']]))).toEqual({ kind: 'terminal', stderr: true });
    expect(terminalMark(new Map([[255, 'pipe 3\n']]))).toEqual({ kind: 'pipe', index: 3 });
    expect(terminalMark(new Map([[3, 'x\n']]))).toBeUndefined();
  });

  it('knows which rests of a pipe print as they read (so had printed by Ctrl-C)', () => {
    const streams = (rest: string) => rewrite(`kubectl get pods -w | ${rest}`).pipes[0]!.streams;
    for (const yes of ['grep web', 'grep -v Pending', 'sed s/web/WEB/', 'cut -c1-20', 'tr a-z A-Z', 'head -3', 'cat | grep web', 'grep --line-buffered web | cut -c1-5', 'sed -u s/a/b/ | head -2']) expect(streams(yes), yes).toBe(true);
    for (const no of ['tail -2', 'wc -l', 'sort', 'grep -c web', 'grep -q web', 'grep -ic web', 'cut -c1-3 | grep web', 'grep web | head -1', 'grep "$pattern"', 'awk "{print \\$1}"', 'uniq']) expect(streams(no), no).toBe(false);
  });
});
