import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../engine';
import { createSession, terminalText, type RealTime } from './index';

const manifest = (f: string) => readFileSync(new URL(`../../tests/transcripts/manifests/${f}`, import.meta.url), 'utf8');
// web: 3 nginx pods behind a Service; shoot: netshoot (iputils ping), client: busybox.
const WEB = manifest('web.yaml') + '---\n' + manifest('clients.yaml');

/**
 * Real time under the test's control: sleepers wake when `pass` moves time past them, or on
 * abort. A woken line runs on (its modules may load on first use) until its next sleep or its end.
 */
function fakeTime() {
  let now = 0;
  let sleeps = 0;
  const sleepers: { until: number; wake: () => void }[] = [];
  const time: RealTime = {
    now: () => now,
    sleep: (ms, signal) =>
      new Promise<void>((resolve) => {
        sleeps++;
        sleepers.push({ until: now + ms, wake: resolve });
        signal.addEventListener('abort', () => resolve(), { once: true });
      }),
  };
  const tick = () => new Promise<void>((r) => setTimeout(r, 2));
  /** Until the line sleeps again (or a while passes: it ended). */
  async function settle(seen: number) {
    for (let i = 0; i < 500 && sleeps === seen; i++) await tick();
  }
  async function pass(ms: number) {
    const end = now + ms;
    if (sleeps === 0) await settle(0);
    for (;;) {
      sleepers.sort((a, b) => a.until - b.until);
      const due = sleepers[0];
      if (!due || due.until > end) break;
      sleepers.shift();
      now = due.until;
      const seen = sleeps;
      due.wake();
      await settle(seen);
    }
    now = end;
  }
  return { time, pass };
}

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

describe('which lines stream', () => {
  it('only one command whose output is the terminal: a substitution, even in double quotes, is captured', async () => {
    const { isOneCommand } = await import('./session');
    expect(isOneCommand('kubectl get pods -w')).toBe(true);
    expect(isOneCommand("echo 'a | b $(c)'")).toBe(true);
    expect(isOneCommand('kubectl get pods | grep web')).toBe(false);
    expect(isOneCommand('echo "lines: $(ssh worker iptables-save | grep -c web)"')).toBe(false);
    expect(isOneCommand('echo "now `date`"')).toBe(false);
    expect(isOneCommand('echo $(hostname)')).toBe(false);
  });
});
