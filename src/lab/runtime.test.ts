// Resume, undo and share rest on one claim: replaying a session's log on a fresh runtime
// rebuilds the exact cluster, files and shell context. Checked here on full state dumps.
import { describe, expect, it } from 'vitest';
import { evaluateTasks } from './checks';
import { loadLab } from './files';
import { fakeTime } from '../shell';
import { LabRuntime, learnerPath, type RuntimeSetup } from './runtime';

const START = Date.UTC(2026, 10, 27, 17, 0, 0);

function labSetup(): RuntimeSetup {
  const l = loadLab('kube-proxy-first-look');
  if (!l.ok) throw new Error(l.error);
  return { slug: 'kube-proxy-first-look', seed: 7, manifests: l.manifests };
}

const LAB_TASKS = (() => {
  const l = loadLab('kube-proxy-first-look');
  if (!l.ok) throw new Error(l.error);
  return l.lab.tasks;
})();

/** What the worker does after every change; it must not move the state (checks.ts is side-effect free). */
const check = (rt: LabRuntime) => evaluateTasks({ cluster: rt.cluster, readFile: (p) => rt.readFile(p) }, LAB_TASKS);

/** A runtime on a fake real-time source the test moves by hand. */
function live(setup: RuntimeSetup) {
  const real = { ms: 1000 };
  const rt = new LabRuntime(setup, START, () => real.ms);
  rt.clock.goLive();
  /** Let `ms` of real time pass with the worker's idle ticks every `every` ms. */
  const pass = (ms: number, every = 1000) => {
    for (let t = 0; t < ms; t += every) {
      real.ms += Math.min(every, ms - t);
      rt.catchUp();
    }
  };
  return { rt, pass };
}

/** Everything a later command could observe, as text. */
async function dump(rt: LabRuntime): Promise<Record<string, string>> {
  const out: Record<string, string> = { prompt: rt.session.prompt(), now: String(rt.clock.now()) };
  const run = async (line: string) => {
    const r = await rt.session.run(line);
    return `${r.exitCode}\n${r.stdout}${r.stderr}`;
  };
  // The session's context is part of the state: dump the node first, from where it is.
  out['iptables-save -c (worker)'] = await run('iptables-save -c');
  out['conntrack -L (worker)'] = await run('conntrack -L');
  out['ipvsadm -Ln (worker)'] = await run('ipvsadm -Ln');
  out['pwd (worker)'] = await run('pwd');
  out['exit'] = await run('exit');
  out['kubectl get all -A -o yaml'] = await run('kubectl get all -A -o yaml');
  out['kubectl get endpointslices -A -o yaml'] = await run('kubectl get endpointslices -A -o yaml');
  out['kubectl get events -A'] = await run('kubectl get events -A');
  out['logs'] = await run('for p in $(kubectl get pods -o name); do kubectl logs $p; done');
  out['iptables-save -c (worker2)'] = await run('ssh worker2 iptables-save -c');
  for (const p of rt.session.fs.getAllPaths().sort()) {
    const s = await rt.session.fs.stat(p);
    if (s.isFile) out[`file ${p}`] = await rt.session.fs.readFile(p);
  }
  return out;
}

const SERVICE_FILE = `apiVersion: v1
kind: Service
metadata:
  name: web2
spec:
  selector:
    app: web
  ports:
  - port: 8080
    targetPort: 80
`;

describe('LabRuntime: replaying the log rebuilds the session', () => {
  it('gives the same cluster, node rules, conntrack, files and shell context', async () => {
    const setup = labSetup();
    const { rt, pass: passTime } = live(setup);
    // The worker checks the tasks after every command and whenever the idle cluster changed.
    const pass = async (ms: number, every?: number) => {
      passTime(ms, every);
      await check(rt);
    };
    const run = rt.run.bind(rt);
    rt.run = async (line: string) => {
      const r = await run(line);
      await check(rt);
      return r;
    };
    await pass(2500, 700);
    await rt.run('kubectl get pods -o wide');
    await pass(4000, 1000);
    await rt.run(`kubectl patch service web -p '{"spec":{"selector":{"app":"web"}}}'`);
    await pass(1200, 300);
    await rt.run('kubectl exec client -- wget -qO- -T 2 http://web');
    await rt.run('kubectl scale deployment web --replicas=3');
    await pass(45_000, 900); // the new pods pull, start and turn ready on timers
    await rt.run('cat > ~/notes.txt <<EOF\nthe selector said wbe\nEOF');
    await rt.writeLearnerFile('~/svc.yaml', SERVICE_FILE);
    await rt.run('kubectl apply -f ~/svc.yaml');
    await pass(3000, 1700);
    await rt.run('sleep 2');
    await rt.run('mkdir -p ~/work && cd ~/work');
    await rt.run('ssh worker');
    await rt.run('iptables -t filter -A INPUT -p tcp --dport 9999 -j DROP');
    await rt.run('cd /tmp');
    await pass(5000, 1300);
    expect(rt.session.prompt()).toBe('root@worker:/tmp# ');

    const log = rt.log();
    expect(log.events.map((e) => e.kind)).toEqual(['line', 'line', 'line', 'line', 'line', 'write', 'line', 'line', 'line', 'line', 'line', 'line']);
    // The log is plain JSON: it survives localStorage and a link.
    const copy = JSON.parse(JSON.stringify(log)) as typeof log;

    const again = new LabRuntime(setup, copy.start, () => 0);
    await again.replay(copy.events);
    expect(again.session.prompt()).toBe('root@worker:/tmp# ');
    // Compare at one engine time: the replay stops at the last event, the original went on.
    const t = rt.clock.now();
    again.cluster.tick(t - again.clock.now());
    expect(again.clock.now()).toBe(t);
    const [a, b] = [await dump(rt), await dump(again)];
    expect(Object.keys(b)).toEqual(Object.keys(a));
    for (const k of Object.keys(a)) expect(b[k], k).toBe(a[k]);
    // The dumps are not empty shells: the learner's changes are in them.
    expect(a['iptables-save -c (worker)']).toContain('-A INPUT -p tcp -m tcp --dport 9999 -j DROP');
    expect(a['kubectl get all -A -o yaml']).toMatch(/name: web2\n/);
    expect(a['kubectl get all -A -o yaml']).toMatch(/replicas: 3\n/);
    expect(a['file /home/user/notes.txt']).toBe('the selector said wbe\n');
    expect(a['file /home/user/svc.yaml']).toBe(SERVICE_FILE);
    expect(a['conntrack -L (worker)']).not.toBe('');
    // The replay's transcript is what the terminal showed the first time.
    expect(again.transcript()).toEqual(rt.transcript());
    const [done, doneAgain] = [await check(rt), await check(again)];
    expect(doneAgain).toEqual(done);
    expect(done.map((t) => t.done)).toEqual([true, true, true]);
  }, 60_000);

  it('undo replays all but the last change; reads after it stay', async () => {
    const setup = labSetup();
    const { rt, pass } = live(setup);
    await rt.run(`kubectl patch service web -p '{"spec":{"selector":{"app":"web"}}}'`);
    pass(2000);
    await rt.run('kubectl get endpointslices');
    await rt.run('kubectl exec client -- wget -qO- -T 2 http://web');
    const changes = rt.transcript().map((e) => e.changed);
    expect(changes).toEqual([true, false, false]);
    const undo = rt.lastChange();
    expect(undo).toBe(0);
    const log = rt.log();
    const back = new LabRuntime(setup, log.start, () => 0);
    await back.replay(log.events.filter((_, i) => i !== undo));
    const sel = await back.session.run('kubectl get service web -o jsonpath={.spec.selector.app}');
    expect(sel.stdout).toBe('wbe');
    expect(back.transcript().map((e) => (e.kind === 'line' ? e.line : e.path))).toEqual(['kubectl get endpointslices', 'kubectl exec client -- wget -qO- -T 2 http://web']);
  });

  it('counts as a change: API writes, a new prompt, files, node rules, kubeconfig; not reads or dry runs', async () => {
    const { rt } = live(labSetup());
    const changed = async (line: string) => {
      await rt.run(line);
      return rt.transcript().at(-1)!.changed;
    };
    expect(await changed('kubectl get svc')).toBe(false);
    expect(await changed('kubectl delete pod client --dry-run=server')).toBe(false);
    expect(await changed('kubectl label pod client x=y')).toBe(true);
    expect(await changed('kubectl get pods -l app=nope')).toBe(false);
    expect(await changed('echo hi > ~/a.txt')).toBe(true);
    expect(await changed('cat ~/a.txt')).toBe(false);
    expect(await changed('kubectl config set-context --current --namespace=kube-system')).toBe(true);
    expect(await changed('ssh worker')).toBe(true);
    expect(await changed('iptables -t nat -S | wc -l')).toBe(false);
    expect(await changed('iptables -N MYCHAIN')).toBe(true);
    expect(await changed('exit')).toBe(true);
    expect(await changed('kubectl exec client -- wget -qO- -T 2 http://web')).toBe(false);
  });

  it('an editor save then Apply (which saves the same text again) is one write: once in the log, once after a replay', async () => {
    const setup = labSetup();
    const { rt, pass } = live(setup);
    await rt.writeLearnerFile('~/svc.yaml', SERVICE_FILE);
    pass(200);
    await rt.writeLearnerFile('~/svc.yaml', SERVICE_FILE);
    await rt.run('kubectl apply -f ~/svc.yaml');
    await rt.run('ls ~');
    const log = rt.log();
    expect(log.events.map((e) => (e.kind === 'write' ? `write ${e.path}` : e.line))).toEqual(['write /home/user/svc.yaml', 'kubectl apply -f ~/svc.yaml', 'ls ~']);

    const again = new LabRuntime(setup, log.start, () => 0);
    await again.replay(JSON.parse(JSON.stringify(log.events)) as typeof log.events);
    expect(again.log().events).toEqual(log.events);
    expect(again.transcript()).toEqual(rt.transcript());
    expect(again.transcript().filter((e) => e.kind === 'write')).toHaveLength(1);
    expect(again.transcript().at(-1)).toMatchObject({ line: 'ls ~', output: 'svc.yaml\n' });
    expect(await again.readFile('~/svc.yaml')).toBe(SERVICE_FILE);
    // Undo takes back the apply, then the save: the file is gone after two, not three.
    const undo = async (x: LabRuntime) => {
      const l = x.log();
      const back = new LabRuntime(setup, l.start, () => 0);
      await back.replay(l.events.filter((_, i) => i !== x.lastChange()));
      return back;
    };
    const twice = await undo(await undo(again));
    expect(await twice.readFile('~/svc.yaml')).toBeUndefined();
    // A save that changes the text is a write of its own.
    await rt.writeLearnerFile('~/svc.yaml', SERVICE_FILE.replace('8080', '8081'));
    expect(rt.log().events.filter((e) => e.kind === 'write')).toHaveLength(2);
  });

  it('writes learner files under the home directory', () => {
    expect(learnerPath('~/web.yaml')).toBe('/home/user/web.yaml');
    expect(learnerPath('web.yaml')).toBe('/home/user/web.yaml');
    expect(learnerPath('/tmp/../home/user/./x.yaml')).toBe('/home/user/x.yaml');
  });
});

describe('kubectl edit in a replayed session', () => {
  it("answers from the log: the replay gets the editor's saved text without opening it", async () => {
    const setup = labSetup();
    const real = { ms: 1000 };
    const opened: string[] = [];
    const editor = async (file: { path: string; text: string }) => {
      opened.push(file.path);
      return file.text.replace('app: wbe', 'app: web');
    };
    const rt = new LabRuntime(setup, START, () => real.ms, editor);
    rt.clock.goLive();
    const r = await rt.run('kubectl edit service web');
    expect(r.output).toBe('service/web edited\n');
    expect(opened).toHaveLength(1);
    const log = rt.log();
    expect(log.events[0]).toMatchObject({ kind: 'line', line: 'kubectl edit service web', edits: [expect.stringContaining('app: web')] });

    const never = async (): Promise<string | null> => {
      throw new Error('the replay opened the editor');
    };
    const again = new LabRuntime(setup, log.start, () => real.ms, never);
    await again.replay(log.events);
    const selector = (x: LabRuntime) => JSON.stringify(x.cluster.get('Service', 'default', 'web'));
    expect(selector(again)).toBe(selector(rt));
    expect(again.transcript()[0]).toMatchObject({ kind: 'line', output: 'service/web edited\n' });
    expect(again.log().events).toEqual(log.events);
  });
});

describe('a full-screen command (watch) in the log', () => {
  it('draws to the terminal but leaves nothing in the transcript; the replay stops it at the same time', { timeout: 30_000 }, async () => {
    const { time, pass, now } = fakeTime();
    const rt = new LabRuntime(labSetup(), START, now);
    rt.clock.goLive();
    const ctrlC = new AbortController();
    let shown = '';
    const watching = rt.run('watch -n 1 kubectl get deploy', { onOutput: (t) => (shown += t), signal: ctrlC.signal, time, terminal: () => ({ cols: 80, rows: 12 }) });
    await pass(3500);
    ctrlC.abort();
    const r = await watching;
    expect(r).toMatchObject({ output: '', exitCode: 0 });
    // The terminal got every screen (the page shows them); the scrollback keeps none of it, as a real one.
    expect(shown.match(/Every 1\.0s: kubectl get deploy/g)).toHaveLength(4);
    expect(rt.transcript()[0]).toMatchObject({ kind: 'line', line: 'watch -n 1 kubectl get deploy', output: '', exitCode: 0 });
    const log = rt.log();
    expect(log.events[0]).toMatchObject({ line: 'watch -n 1 kubectl get deploy', ran: 3500 });
    const again = new LabRuntime(labSetup(), START, () => 0);
    await again.replay(log.events);
    expect(again.transcript()).toEqual(rt.transcript());
    expect(again.clock.now()).toBe(rt.clock.now());
  });
});
