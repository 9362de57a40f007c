import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../engine';
import { createSession, terminalText } from './index';
import { fakeTime } from './fake-time';

const manifest = (f: string) => readFileSync(new URL(`../../tests/transcripts/manifests/${f}`, import.meta.url), 'utf8');
// web: 3 nginx pods behind a Service; shoot: netshoot (iputils ping), client: busybox.
const WEB = manifest('web.yaml') + '---\n' + manifest('clients.yaml');

async function podIP(s: ReturnType<typeof createSession>, cluster: ReturnType<typeof createCluster>) {
  cluster.tick(60_000);
  return (await s.run(`kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'`)).stdout;
}

describe('Ctrl-C', () => {
  it('ends a live ping with its statistics, and a replay that knows where it stopped prints the same', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    const s = createSession({ cluster, interactive: true });
    const ip = await podIP(s, cluster);
    await s.run('kubectl exec -it shoot -- sh');
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let live = '';
    const at = cluster.now();
    const running = s.run(`ping ${ip}`, { onOutput: (t) => (live += t), signal: ctrlC.signal, time, endless: true });
    await pass(2500);
    // Streamed while it runs: the header and one reply a second (seq 1 at once, 2 at 1 s, 3 at 2 s).
    expect(live.split('\n').filter((l) => l.startsWith('64 bytes from'))).toHaveLength(3);
    ctrlC.abort();
    const r = await running;
    live += terminalText(r);
    expect(r.interrupted).toBe(true);
    expect(r.exitCode).toBe(0);
    expect(r.stoppedAt! - at).toBe(2500);
    expect(cluster.now() - at).toBe(2500);
    const lines = live.split('\n');
    expect(lines[0]).toBe(`PING ${ip} (${ip}) 56(84) bytes of data.`);
    expect(lines[1]).toMatch(new RegExp(`^64 bytes from ${ip.replace(/\./g, '\\.')}: icmp_seq=1 ttl=\\d+ time=\\d+\\.\\d{3} ms$`));
    // iputils traps SIGINT: after the tty's ^C echo, a blank line and the statistics block.
    expect(lines[4]).toBe('^C');
    expect(lines[5]).toBe(`--- ${ip} ping statistics ---`);
    expect(lines[6]).toBe('3 packets transmitted, 3 received, 0% packet loss, time 2500ms');
    expect(lines[7]).toMatch(/^rtt min\/avg\/max\/mdev = [\d.]+\/[\d.]+\/[\d.]+\/[\d.]+ ms$/);
    expect(s.place).toMatchObject({ kind: 'pod', pod: 'shoot' });

    // Replay: same seed, same inputs at the same engine times, no real time, stop where it stopped.
    const again = createCluster({ seed: 1, manifests: WEB });
    const s2 = createSession({ cluster: again, interactive: true });
    await podIP(s2, again);
    await s2.run('kubectl exec -it shoot -- sh');
    again.tick(at - again.now());
    let replayed = '';
    const r2 = await s2.run(`ping ${ip}`, { onOutput: (t) => (replayed += t), stopAt: at + 2500, endless: true });
    replayed += terminalText(r2);
    expect(replayed).toBe(live);
    expect(again.now()).toBe(cluster.now());
  });

  it('kills `sleep 30; echo done` at once: ^C, a newline from bash, exit 130, nothing after it runs', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1 });
    const s = createSession({ cluster, interactive: true });
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const t0 = cluster.now();
    const running = s.run('sleep 30; echo done', { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true });
    await pass(1200);
    ctrlC.abort();
    const r = await running;
    expect(out + terminalText(r)).toBe('^C\n');
    expect(r.exitCode).toBe(130);
    expect(cluster.now() - t0).toBe(1200);
  });

  it('kills curl waiting on a connect timeout (exit 130, no curl message)', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1 });
    const s = createSession({ cluster, interactive: true });
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const running = s.run('curl -m 20 http://10.96.200.200', { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true });
    await pass(3000);
    ctrlC.abort();
    const r = await running;
    expect(out + terminalText(r)).toBe('^C\n');
    expect(r.exitCode).toBe(130);
  });

  it('without real time (the CLI, tests) waits jump the clock and ping without -c stops after 4', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    const s = createSession({ cluster });
    const ip = await podIP(s, cluster);
    await s.run('kubectl exec -it shoot -- sh');
    const t0 = cluster.now();
    const r = await s.run(`ping ${ip}`);
    expect(r.stdout).toContain('4 packets transmitted, 4 received, 0% packet loss, time 3003ms');
    expect(cluster.now() - t0).toBe(3000);
  });
});

describe('kubectl get -w', () => {
  it('prints the list, then one row per change as it happens, each as wide as its own cells; Ctrl-C exits 1', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    cluster.tick(60_000);
    const watcher = createSession({ cluster, interactive: true });
    const other = createSession({ cluster, interactive: true, share: watcher });
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const running = watcher.run('kubectl get pods -w', { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true });
    await pass(100);
    const first = out.split('\n');
    expect(first[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    expect(first.filter((l) => l.startsWith('web-'))).toHaveLength(3);
    const before = out.length;
    // The other tab scales up while the watch runs.
    expect((await other.run('kubectl scale deployment web --replicas=4')).stdout).toBe('deployment.apps/web scaled\n');
    await pass(5000);
    const rows = out.slice(before).split('\n').filter(Boolean);
    expect(rows.length).toBeGreaterThan(0);
    // No header again; a lone row is padded per tabwriter (minwidth 6, padding 3), e.g. "0/1   Pending   0     0s".
    expect(rows.every((l) => l.startsWith('web-'))).toBe(true);
    expect(rows[0]).toMatch(/^web-\S+ {3}0\/1 {3}Pending {3}0 {5}0s$/);
    ctrlC.abort();
    const r = await running;
    out += terminalText(r);
    expect(out.endsWith('^C')).toBe(true);
    expect(r.exitCode).toBe(1);
  });

  it('refuses to watch two kinds at once, as kubectl does', { timeout: 30_000 }, async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
    const r = await s.run('kubectl get pods,svc -w');
    expect(terminalText(r)).toBe('error: watch is only supported on individual resources and resource collections - more than 1 resource was found\n');
    expect(r.exitCode).toBe(1);
  });
});

describe('tabs', () => {
  it('share the workstation files and kubeconfig but keep their own directory', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1 });
    const a = createSession({ cluster });
    const b = createSession({ cluster, share: a });
    await a.run('echo hi > note.txt; cd /tmp');
    expect((await b.run('cat note.txt')).stdout).toBe('hi\n');
    expect(b.prompt()).toBe('user@workstation:~$ ');
    await b.run('kubectl config set-context --current --namespace=kube-system');
    expect((await a.run('kubectl config view --minify')).stdout).toContain('    namespace: kube-system\n');
  });
});

describe('streaming: bash writes each command of a line to the tty as it runs', () => {
  /** A live line in a session on WEB, Ctrl-C-able, with what the terminal has shown so far. */
  async function liveLine(line: string) {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    cluster.tick(60_000);
    const s = createSession({ cluster, interactive: true });
    const other = createSession({ cluster, interactive: true, share: s });
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    const shown = { text: '' };
    const running = s.run(line, { onOutput: (t) => (shown.text += t), signal: ctrlC.signal, time, endless: true });
    const stop = async () => {
      ctrlC.abort();
      const r = await running;
      return { r, screen: shown.text + terminalText(r) };
    };
    return { shown, pass, other, stop };
  }

  /** The first web pod's IP, from a plain session on a cluster made as liveLine makes it. */
  async function webIP(): Promise<string> {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    cluster.tick(60_000);
    return (await createSession({ cluster }).run(`kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}'`)).stdout;
  }
  const replies = (text: string) => text.split('\n').filter((l) => l.startsWith('64 bytes from')).length;

  it('kubectl exec POD -- ping: the replies show as they come; Ctrl-C kills kubectl, so no statistics (no tty: the remote ping never got the signal)', { timeout: 30_000 }, async () => {
    const ip = await webIP();
    const t = await liveLine(`kubectl exec shoot -- ping ${ip}`);
    await t.pass(2500);
    expect(t.shown.text.startsWith(`PING ${ip} (${ip}) 56(84) bytes of data.\n`)).toBe(true);
    expect(replies(t.shown.text)).toBe(3);
    const before = t.shown.text;
    const { r, screen } = await t.stop();
    // kubectl dies of SIGINT: the tty's ^C, bash's newline, status 130; the remote statistics are lost.
    expect(screen.slice(before.length)).toBe('^C\n');
    expect(screen).not.toContain('ping statistics');
    expect(r.exitCode).toBe(130);
  });

  it('kubectl exec -it POD -- ping: Ctrl-C goes through the raw terminal to the remote ping, which prints its statistics; kubectl exits with its status', { timeout: 30_000 }, async () => {
    const ip = await webIP();
    const t = await liveLine(`kubectl exec -it shoot -- ping ${ip}`);
    await t.pass(1500);
    expect(replies(t.shown.text)).toBe(2);
    const before = t.shown.text;
    const { r, screen } = await t.stop();
    const after = screen.slice(before.length).split('\n');
    expect(after[0]).toBe('^C');
    expect(after[1]).toBe(`--- ${ip} ping statistics ---`);
    expect(after[2]).toBe('2 packets transmitted, 2 received, 0% packet loss, time 1500ms');
    expect(r.exitCode).toBe(0);
  });

  it('kubectl exec -it POD -- sleep 30: the remote sleep dies of the ^C; kubectl reports its status 130', { timeout: 30_000 }, async () => {
    const t = await liveLine('kubectl exec -it shoot -- sleep 30');
    await t.pass(1000);
    const { r, screen } = await t.stop();
    // The remote pty echoes ^C (no newline: sleep did not print one, and kubectl exited on its
    // own, so bash adds none); kubectl's message follows on the same line.
    expect(screen).toBe('^Ccommand terminated with exit code 130\n');
    expect(r.exitCode).toBe(130);
  });

  it('ssh -t NODE CMD: Ctrl-C reaches the remote command through its pty; ssh says the connection closed. Without a terminal, -t is refused', { timeout: 30_000 }, async () => {
    const t = await liveLine('ssh -t worker sleep 30');
    await t.pass(1000);
    const { r, screen } = await t.stop();
    expect(screen).toBe('^CConnection to worker closed.\n');
    expect(r.exitCode).toBe(130);
    const cli = createSession({ cluster: createCluster({ seed: 1 }) });
    const r2 = await cli.run('ssh -t worker hostname');
    expect(r2.stdout).toBe('worker\n');
    expect(r2.stderr).toBe('Pseudo-terminal will not be allocated because stdin is not a terminal.\n');
  });

  it('a remote command whose output is not the terminal still hands it over at the end: a pipe, a file, stderr sent away', { timeout: 30_000 }, async () => {
    const ip = await webIP();
    const piped = await liveLine(`kubectl exec shoot -- ping -c 2 ${ip} | grep -c 'bytes from'`);
    await piped.pass(1500);
    expect(piped.shown.text).toBe('2\n');
    const quiet = await liveLine(`kubectl exec shoot -- ping -c 3 ${ip} 2>/dev/null`);
    await quiet.pass(1500);
    expect(replies(quiet.shown.text)).toBe(2);
    // The remote stderr goes where kubectl's goes.
    const ended = async (line: string) => {
      const t = await liveLine(line);
      await t.pass(30_000);
      return (await t.stop()).screen;
    };
    expect(await ended('kubectl exec shoot -- ping -c 1 no-such-host 2>/dev/null')).toBe('');
    expect(await ended('kubectl exec shoot -- ping -c 1 no-such-host')).toBe('ping: no-such-host: Name or service not known\ncommand terminated with exit code 2\n');
    const ssh = await liveLine(`ssh worker 'echo one; sleep 2; echo two'`);
    await ssh.pass(100);
    expect(ssh.shown.text).toBe('one\n');
    await ssh.pass(2000);
    expect(ssh.shown.text).toBe('one\ntwo\n');
  });

  it('a loop: each command shows when it ends, long before the line does; Ctrl-C keeps what was printed', { timeout: 30_000 }, async () => {
    const t = await liveLine('for i in 1 2 3; do echo "try $i"; kubectl get deployment web -o name; sleep 1; done; echo after');
    await t.pass(100);
    expect(t.shown.text).toBe('try 1\ndeployment.apps/web\n');
    await t.pass(1000);
    expect(t.shown.text).toBe('try 1\ndeployment.apps/web\ntry 2\ndeployment.apps/web\n');
    const { r, screen } = await t.stop();
    // sleep dies of SIGINT: bash ends the whole line, the tty echoed ^C, bash prints a newline.
    expect(screen).toBe('try 1\ndeployment.apps/web\ntry 2\ndeployment.apps/web\n^C\n');
    expect(r.exitCode).toBe(130);
  });

  it('a watch in a list prints each change as it happens; Ctrl-C ends it there and the list with it', { timeout: 30_000 }, async () => {
    const t = await liveLine('kubectl get pods -w && echo done');
    await t.pass(100);
    expect(t.shown.text.split('\n')[0]).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/);
    const before = t.shown.text;
    expect((await t.other.run('kubectl scale deployment web --replicas=4')).stdout).toBe('deployment.apps/web scaled\n');
    await t.pass(5000);
    expect(t.shown.text.slice(before.length)).toMatch(/^web-\S+ {3}0\/1 {3}Pending {3}0 {5}0s\n/);
    const { r, screen } = await t.stop();
    expect(screen.endsWith('\n^C')).toBe(true);
    expect(screen).not.toContain('done');
    expect(r.exitCode).toBe(1);
  });

  it('a pipe from a watch: grep prints on Ctrl-C what it had printed by then; tail and grep -c had printed nothing', { timeout: 30_000 }, async () => {
    for (const [filter, shows] of [['grep web', true], ['tail -2', false], ['grep -c web', false], ['cat | grep web', true], ['cut -c1-3 | grep web', false]] as const) {
      const t = await liveLine(`kubectl get pods -w | ${filter}`);
      await t.pass(100);
      // just-bash runs grep only once the watch has ended: nothing yet.
      expect(t.shown.text, filter).toBe('');
      await t.other.run('kubectl scale deployment web --replicas=4');
      await t.pass(5000);
      const { r, screen } = await t.stop();
      const lines = screen.split('\n');
      // The last stage dies of SIGINT: ^C, then bash's newline; the pipeline's status is 128+2.
      expect(lines.slice(-2), filter).toEqual(['^C', '']);
      expect(r.exitCode, filter).toBe(130);
      if (!shows) {
        expect(screen, filter).toBe('^C\n');
        continue;
      }
      // The three pods listed at the start, then the new one's rows as it was made.
      expect(lines.slice(0, -2).every((l) => /^web-\S+\s+\d\/1\s+\S+\s+\d+\s+\d+[sm]$/.test(l)), screen).toBe(true);
      expect(lines.slice(0, -2).filter((l) => / 0\/1 {3}Pending /.test(l)).length, screen).toBeGreaterThan(0);
      expect(lines.length, screen).toBeGreaterThan(5);
    }
  });

  it('writes in the order bash does: stderr between the stdout lines around it; redirections and substitutions as typed', { timeout: 30_000 }, async () => {
    const cluster = createCluster({ seed: 1, manifests: WEB });
    const s = createSession({ cluster, interactive: true });
    const show = async (line: string) => {
      const chunks: string[] = [];
      const r = await s.run(line, { onOutput: (t) => chunks.push(t) });
      return { chunks, rest: terminalText(r), exitCode: r.exitCode };
    };
    expect(await show('echo a; echo b >&2; echo c')).toEqual({ chunks: ['a\n', 'b\n', 'c\n'], rest: '', exitCode: 0 });
    expect(await show('kubectl get nope 2>/dev/null; echo "status $?"')).toEqual({ chunks: ['status 1\n'], rest: '', exitCode: 0 });
    expect(await show('kubectl get nope 2>&1 | tr a-z A-Z')).toEqual({ chunks: ['ERROR: THE SERVER DOESN\'T HAVE A RESOURCE TYPE "NOPE"\n'], rest: '', exitCode: 0 });
    // Captured output is not the terminal's: only echo prints it.
    expect(await show('names=$(kubectl get deployment -o name); echo "got $names"')).toEqual({ chunks: ['got deployment.apps/web\n'], rest: '', exitCode: 0 });
    expect(await show('kubectl get deployment -o name > ~/d.txt; cat ~/d.txt >/dev/null; wc -l < ~/d.txt')).toEqual({ chunks: ['1\n'], rest: '', exitCode: 0 });
    expect(await show('{ echo x; kubectl get deployment -o name; } | wc -l')).toEqual({ chunks: ['2\n'], rest: '', exitCode: 0 });
    expect(await show('cd /tmp && pwd; export GREETING=hi')).toEqual({ chunks: ['/tmp\n'], rest: '', exitCode: 0 });
    expect(await show('echo "$GREETING from $(pwd)"; nosuch')).toEqual({ chunks: ['hi from /tmp\n', 'bash: nosuch: command not found\n'], rest: '', exitCode: 127 });
    expect(await show('echo héllo ✓ | cat; echo to the tty >/dev/tty')).toEqual({ chunks: ['héllo ✓\n', 'to the tty\n'], rest: '', exitCode: 0 });
    // Without a terminal (the CLI) the same lines give the same text, all at the end.
    const cli = createSession({ cluster });
    expect(terminalText(await cli.run('for i in 1 2; do echo $i; done; echo to the tty >/dev/tty'))).toBe('to the tty\n1\n2\n');
  });
});

/** Two terminal tabs on the WEB cluster, settled, and one nginx pod's name and IP. */
async function twoTabsAndAWebPod() {
  const cluster = createCluster({ seed: 1, manifests: WEB });
  cluster.tick(60_000);
  const tab1 = createSession({ cluster, interactive: true });
  const tab2 = createSession({ cluster, interactive: true, share: tab1 });
  const pod = (await tab1.run(`kubectl get pods -l app=web -o jsonpath='{.items[0].metadata.name}'`)).stdout;
  const ip = (await tab1.run(`kubectl get pod ${pod} -o jsonpath='{.status.podIP}'`)).stdout;
  return { tab1, tab2, pod, ip };
}

describe('kubectl logs -f', () => {
  it('prints the log, then each line as the container writes it (another tab curls it); Ctrl-C kills it: ^C, 130', { timeout: 30_000 }, async () => {
    const { tab1, tab2, pod, ip } = await twoTabsAndAWebPod();
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const running = tab1.run(`kubectl logs -f ${pod}`, { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true });
    await pass(100);
    // nginx's start-up lines, as `kubectl logs` alone prints them.
    expect(out).toBe((await tab2.run(`kubectl logs ${pod}`)).stdout);
    const before = out.length;
    expect((await tab2.run(`kubectl exec shoot -- curl -s -o /dev/null http://${ip}/`)).exitCode).toBe(0);
    await pass(1000);
    // The request's access-log line (nginx's combined format), and nothing else.
    expect(out.slice(before)).toMatch(/^10\.244\.\d+\.\d+ - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/[\d.]+" "-"\n$/);
    ctrlC.abort();
    const r = await running;
    out += terminalText(r);
    expect(out.endsWith('^C\n')).toBe(true);
    expect(r.exitCode).toBe(130);
  });

  it('ends (exit 0) when the container stops, after its last lines', { timeout: 30_000 }, async () => {
    const cluster = createCluster({
      seed: 1,
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata: {name: job}\nspec:\n  restartPolicy: Never\n  containers: [{name: job, image: "busybox:1.36", command: [sh, -c, "echo start; sleep 3; echo done"]}]\n',
    });
    cluster.tick(2000);
    const s = createSession({ cluster, interactive: true });
    const { time, pass } = fakeTime();
    let out = '';
    const running = s.run('kubectl logs -f job', { onOutput: (t) => (out += t), time, endless: true });
    await pass(10_000);
    const r = await running;
    expect(out + terminalText(r)).toBe('start\ndone\n');
    expect(r.exitCode).toBe(0);
  });
});

describe('kubectl attach', () => {
  it('to a server shows what it writes from now on (not its history) until Ctrl-C', { timeout: 30_000 }, async () => {
    const { tab1, tab2, pod, ip } = await twoTabsAndAWebPod();
    const { time, pass } = fakeTime();
    const ctrlC = new AbortController();
    let out = '';
    const running = tab1.run(`kubectl attach ${pod}`, { onOutput: (t) => (out += t), signal: ctrlC.signal, time, endless: true });
    await pass(100);
    expect(out).toBe(
      'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
        "If you don't see a command prompt, try pressing enter.\n",
    );
    const before = out.length;
    expect((await tab2.run(`kubectl exec shoot -- curl -s -o /dev/null http://${ip}/`)).exitCode).toBe(0);
    await pass(1000);
    expect(out.slice(before)).toMatch(/^10\.244\.\d+\.\d+ - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 615 "-" "curl\/[\d.]+" "-"\n$/);
    ctrlC.abort();
    const r = await running;
    expect(r.exitCode).toBe(130);
  });
});
