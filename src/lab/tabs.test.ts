// Two terminal tabs on one cluster, a watch in one and a change in the other, a Ctrl-C: the
// log (with tab ids and how long the interrupted line ran) replays to the same transcript and state.
import { describe, expect, it } from 'vitest';
import { fakeTime } from '../shell';
import { loadLab } from './files';
import { parseSave } from './log';
import { LabRuntime, TRACES_PER_COMMAND, type RuntimeSetup } from './runtime';

const START = Date.UTC(2026, 10, 27, 17, 0, 0);

function labSetup(): RuntimeSetup {
  const l = loadLab('kube-proxy-first-look');
  if (!l.ok) throw new Error(l.error);
  return { slug: 'kube-proxy-first-look', seed: 7, manifests: l.manifests };
}

describe('terminal tabs', () => {
  it('a watch in tab 1 sees a pod made in tab 2; the log replays both to the same transcript and cluster', { timeout: 30_000 }, async () => {
    const { time, pass, now } = fakeTime();
    const rt = new LabRuntime(labSetup(), START, now);
    rt.clock.goLive();
    const ctrlC = new AbortController();
    let streamed = '';
    const watch = rt.run('kubectl get pods -w', { onOutput: (t) => (streamed += t), signal: ctrlC.signal, time });
    await pass(1000);
    const other = await rt.run('kubectl run extra --image=nginx:1.27', { tab: 1, time });
    expect(other.output).toBe('pod/extra created\n');
    await pass(4000);
    expect(streamed).toMatch(/\nextra {3}0\/1 {3}Pending {3}0 {5}\ds\n/);
    ctrlC.abort();
    const w = await watch;
    expect(w.exitCode).toBe(1);
    expect(streamed.endsWith('^C')).toBe(true);

    const log = rt.log();
    expect(log.events.map((e) => (e.kind === 'line' ? [e.line, e.tab ?? 0, e.ran] : e.kind))).toEqual([
      ['kubectl get pods -w', 0, 5000],
      ['kubectl run extra --image=nginx:1.27', 1, undefined],
    ]);
    // The save format keeps tab and run time.
    const parsed = parseSave(JSON.parse(JSON.stringify({ ...log, history: [], hints: 0, solution: false })), log.slug);
    expect(parsed.ok && parsed.save.events).toEqual(log.events);

    const again = new LabRuntime(labSetup(), START, () => 0);
    await again.replay(log.events);
    expect(again.transcript()).toEqual(rt.transcript());
    expect(again.clock.now()).toBe(rt.clock.now());
    const pods = async (x: LabRuntime) => (await x.session.run('kubectl get pods -o wide')).stdout;
    expect(await pods(again)).toBe(await pods(rt));
    expect(again.tabViews()).toEqual(rt.tabViews());
  });

  it('a line still running when the log is taken is logged as interrupted then (a reload ends it)', { timeout: 30_000 }, async () => {
    const { time, pass, now } = fakeTime();
    const rt = new LabRuntime(labSetup(), START, now);
    rt.clock.goLive();
    const ctrlC = new AbortController();
    const sleeping = rt.run('sleep 30', { signal: ctrlC.signal, time, onOutput: () => undefined });
    await pass(2000);
    const log = rt.log();
    expect(log.events[0]).toMatchObject({ line: 'sleep 30', ran: 2000 });
    ctrlC.abort();
    expect((await sleeping).exitCode).toBe(130);
    const again = new LabRuntime(labSetup(), START, () => 0);
    await again.replay(log.events);
    expect(again.transcript()[0]).toMatchObject({ line: 'sleep 30', output: '^C\n', exitCode: 130 });
    expect(again.clock.now()).toBe(START + 2000);
  });

  it('lines that stream (a loop; a pipe from a watch) stopped by Ctrl-C replay to exactly what the terminal showed', { timeout: 30_000 }, async () => {
    const { time, pass, now } = fakeTime();
    const rt = new LabRuntime(labSetup(), START, now);
    rt.clock.goLive();
    /** Runs `line` for `ms` of real time, then Ctrl-C: what it had shown by then, and in the end. */
    const live = async (line: string, ms: number) => {
      const ctrlC = new AbortController();
      let text = '';
      const running = rt.run(line, { onOutput: (t) => (text += t), signal: ctrlC.signal, time });
      await pass(ms);
      const before = text;
      ctrlC.abort();
      const r = await running;
      return { before, screen: text + r.output };
    };
    const loop = await live('for i in 1 2 3; do kubectl get pods -o name | head -1; sleep 1; done', 1500);
    expect(loop.before).toMatch(/^pod\/\S+\npod\/\S+\n$/);
    expect(loop.screen).toBe(loop.before + '^C\n');
    const pipe = await live('kubectl get pods -w | grep web', 2000);
    expect(pipe.before).toBe('');
    expect(pipe.screen).toMatch(/^(web-\S+ +1\/1 +Running +0 +\S+\n)+\^C\n$/);

    const log = rt.log();
    // Both were interrupted; the replay stops each where it stopped.
    expect(log.events.map((e) => e.kind === 'line' && e.ran! > 0)).toEqual([true, true]);
    const again = new LabRuntime(labSetup(), START, () => 0);
    await again.replay(log.events);
    expect(rt.transcript().map((e) => e.kind === 'line' && e.output)).toEqual([loop.screen, pipe.screen]);
    expect(again.transcript()).toEqual(rt.transcript());
  });

  it("each line's result carries only its own connections, while a ping in the other tab makes its own", { timeout: 30_000 }, async () => {
    const { time, pass, now, nextSleep } = fakeTime();
    const rt = new LabRuntime(labSetup(), START, now);
    rt.clock.goLive();
    const ips = (await rt.run(`kubectl get pods -l app=web -o jsonpath='{.items[*].status.podIP}'`, { time })).output.split(' ');
    expect(ips).toHaveLength(2);
    const [a, b] = ips as [string, string];
    const ctrlC = new AbortController();
    let pinged = '';
    expect((await rt.run('kubectl exec -it client -- sh', { tab: 1, time })).prompt).toBe('/ # ');
    const ping = rt.run(`ping ${b}`, { tab: 1, signal: ctrlC.signal, time, onOutput: (t) => (pinged += t) });
    await pass(1500);
    // Tab 1's ping sends an echo request a second while tab 0's line waits between its two connections.
    const waiting = nextSleep();
    const fetch = rt.run(`kubectl exec client -- wget -q -O /dev/null http://${a}; sleep 3; kubectl exec client -- wget -q -O /dev/null http://${b}`, { time });
    await waiting;
    await pass(5000);
    const f = await fetch;
    expect(f.exitCode).toBe(0);
    expect(f.traces.map((t) => `${t.protocol} ${t.to.ip}:${t.to.port}`)).toEqual([`TCP ${a}:80`, `TCP ${b}:80`]);
    expect(f.traces.every((t) => t.outcome === 'connected')).toBe(true);
    ctrlC.abort();
    const p = await ping;
    pinged += p.output;
    expect(pinged).toMatch(/^\d+ packets transmitted, \d+ packets received, 0% packet loss$/m);
    const sent = Number(/^(\d+) packets transmitted/m.exec(pinged)![1]);
    expect(sent).toBeGreaterThanOrEqual(6);
    // The last few of the ping's echo requests, and nothing of tab 0's.
    expect(p.traces).toHaveLength(Math.min(sent, TRACES_PER_COMMAND));
    expect(p.traces.every((t) => t.protocol === 'ICMP' && t.to.ip === b)).toBe(true);
    // A line that connects nowhere has none, though the other tab's ping ran through it earlier.
    expect((await rt.run('echo quiet', { time })).traces).toEqual([]);
  });

  it('refuses a save with a tab out of range or a negative run time', () => {
    const base = { v: 1, slug: 's', seed: 1, start: 0 };
    expect(parseSave({ ...base, events: [{ at: 1, kind: 'line', line: 'ls', tab: 9 }] }, 's')).toMatchObject({ ok: false, reason: 'corrupt' });
    expect(parseSave({ ...base, events: [{ at: 1, kind: 'line', line: 'ls', ran: -5 }] }, 's')).toMatchObject({ ok: false, reason: 'corrupt' });
  });
});
