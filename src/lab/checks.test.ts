import { describe, expect, it } from 'vitest';
import { createCluster, type Cluster, type Pod } from '../engine';
import { createSession, type Session } from '../shell';
import { evaluateCheck, evaluateTasks, parseTarget, type CheckEnv } from './checks';
import { checkSchema, type LabCheck } from './schema';

// A Service whose selector has a typo (no endpoints), two nginx Pods, a busybox client, and
// a namespace `locked` whose client no policy lets out. The ClusterIP is pinned so DNS and
// IPVS checks can name it.
const WORLD = `
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers: [{name: nginx, image: "nginx:1.27", ports: [{name: http, containerPort: 80}]}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: 10.96.100.10
  selector: {app: wbe}
  ports: [{name: http, port: 80, targetPort: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec:
  containers: [{name: busybox, image: "busybox:1.36", command: [sleep, "3600"]}]
---
apiVersion: v1
kind: Namespace
metadata: {name: locked}
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: locked}
spec:
  containers: [{name: busybox, image: "busybox:1.36", command: [sleep, "3600"]}]
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-egress, namespace: locked}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
    - ports: [{port: 53, protocol: UDP}]
`;

const IPVS = `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: ipvs
`;

const NFT = `
apiVersion: kubeproxy.config.k8s.io/v1alpha1
kind: KubeProxyConfiguration
mode: nftables
`;

const FIX = `kubectl patch service web -p '{"spec":{"selector":{"app":"web"}}}'`;

function world(extra = ''): { cluster: Cluster; session: Session; env: CheckEnv } {
  const cluster = createCluster({ seed: 7, manifests: [{ text: WORLD }, ...(extra ? [{ text: extra }] : [])] });
  const session = createSession({ cluster });
  const env: CheckEnv = {
    cluster,
    readFile: async (p) => (await session.fs.exists(p)) ? session.fs.readFile(p) : undefined,
  };
  return { cluster, session, env };
}

const check = (c: unknown): LabCheck => checkSchema.parse(c);

async function run(session: Session, ...lines: string[]): Promise<string> {
  let out = '';
  for (const l of lines) {
    const r = await session.run(l);
    out += `$ ${l}\n${r.stdout}${r.stderr}[${r.exitCode}]\n`;
  }
  return out;
}

describe('object checks', () => {
  it('read a field with kubectl JSONPath: equals, matches, exists', async () => {
    const { session, env } = world();
    const sel = check({ type: 'object', resource: 'service/web', jsonpath: '{.spec.selector.app}', equals: 'web' });
    const before = await evaluateCheck(env, sel);
    expect(before).toEqual({ ok: false, summary: 'service/web {.spec.selector.app} is "wbe"; expected "web"' });
    await run(session, FIX);
    expect(await evaluateCheck(env, sel)).toEqual({ ok: true, summary: 'service/web {.spec.selector.app} is "web"; expected "web"' });

    const ports = check({ type: 'object', resource: 'svc/web', jsonpath: '{.spec.ports[*].port}', matches: '^80$' });
    expect((await evaluateCheck(env, ports)).ok).toBe(true);
    const replicas = check({ type: 'object', resource: 'deploy/web', jsonpath: '{.status.readyReplicas}', equals: '3' });
    expect(await evaluateCheck(env, replicas)).toEqual({ ok: false, summary: 'deploy/web {.status.readyReplicas} is "2"; expected "3"' });
    const gone = check({ type: 'object', resource: 'networkpolicy/deny-egress', namespace: 'locked', jsonpath: '{.metadata.name}', exists: false });
    expect(await evaluateCheck(env, gone)).toEqual({ ok: false, summary: 'networkpolicy/deny-egress -n locked exists; expected it gone' });
    // A cluster-scoped kind ignores the namespace, as kubectl does.
    expect((await evaluateCheck(env, check({ type: 'object', resource: 'node/worker', jsonpath: '{.spec.podCIDR}', matches: '^10\\.244\\.\\d+\\.0/24$' }))).ok).toBe(true);
    // A long value (a whole Corefile) is cut in the one-line summary; escaped dots in keys work.
    const corefile = await evaluateCheck(env, check({ type: 'object', resource: 'configmap/coredns', namespace: 'kube-system', jsonpath: '{.data.Corefile}', matches: 'forward \\. /etc/resolv\\.conf' }));
    expect(corefile.ok).toBe(true);
    expect(corefile.summary).toMatch(/^configmap\/coredns -n kube-system \{\.data\.Corefile\} is "\.:53 \{\\n    errors\\n.*"…; expected it to match \/forward/);
    const kp = check({ type: 'object', resource: 'configmap/kube-proxy', namespace: 'kube-system', jsonpath: '{.data.config\\.conf}', matches: '\nmode: iptables\n' });
    expect((await evaluateCheck(env, kp)).ok).toBe(true);
    const missing = check({ type: 'object', resource: 'service/nope', jsonpath: '{.spec}', equals: 'x' });
    expect(await evaluateCheck(env, missing)).toEqual({ ok: false, summary: 'service/nope: services "nope" not found' });
  });
});

describe('reach checks', () => {
  it('a Service without endpoints is refused; once fixed the client connects', async () => {
    const { session, env } = world();
    const reach = check({ type: 'reach', from: 'client', to: 'http://web', expect: 'allowed' });
    const before = await evaluateCheck(env, reach);
    expect(before.ok).toBe(false);
    expect(before.summary).toMatch(/^client → http:\/\/web: refused: .*rejected on .*; expected allowed$/);
    await run(session, FIX);
    const after = await evaluateCheck(env, reach);
    expect(after.ok).toBe(true);
    expect(after.summary).toMatch(/^client → http:\/\/web: connected: TCP web \(10\.96\.100\.10\) port 80: connected to default\/web-.*, HTTP 200; expected allowed$/);
    // IP:PORT: a pod IP directly, no DNS.
    const pod = env.cluster.list('Pod', { namespace: 'default', labelSelector: 'app=web' });
    const ip = pod.ok ? (pod.value[0] as { status?: { podIP?: string } }).status?.podIP : undefined;
    expect((await evaluateCheck(env, check({ type: 'reach', from: 'client', to: `${ip}:80`, expect: 'allowed' }))).ok).toBe(true);
    expect((await evaluateCheck(env, check({ type: 'reach', from: 'client', to: `${ip}:81`, expect: 'denied' }))).ok).toBe(true);
  });

  it('a NetworkPolicy that denies egress makes the flow denied; DNS still resolves (port 53 is allowed)', async () => {
    const { session, env } = world();
    await run(session, FIX);
    const denied = await evaluateCheck(env, check({ type: 'reach', from: 'client', namespace: 'locked', to: 'http://web.default', expect: 'denied' }));
    expect(denied.ok).toBe(true);
    expect(denied.summary).toMatch(/timed-out: .*dropped by NetworkPolicy/);
    const unknown = await evaluateCheck(env, check({ type: 'reach', from: 'client', to: 'http://nope', expect: 'allowed' }));
    expect(unknown).toEqual({ ok: false, summary: 'client → http://nope: cannot resolve nope: NXDOMAIN; expected allowed' });
  });

  it('reads URLs and HOST:PORT, and says what it cannot read', () => {
    expect(parseTarget('http://web')).toEqual({ host: 'web', port: 80, path: '/' });
    expect(parseTarget('http://web.ns:8080/healthz')).toEqual({ host: 'web.ns', port: 8080, path: '/healthz' });
    expect(parseTarget('https://api')).toEqual({ host: 'api', port: 443, path: '/' });
    expect(parseTarget('10.96.0.10:53')).toEqual({ host: '10.96.0.10', port: 53 });
    expect(parseTarget('web')).toBe('cannot read "web": expected a URL (http://web) or HOST:PORT');
  });

  it('a missing pod fails with the API server\'s message', async () => {
    const { env } = world();
    expect(await evaluateCheck(env, check({ type: 'reach', from: 'ghost', to: 'http://web', expect: 'denied' }))).toEqual({ ok: false, summary: 'ghost: pods "ghost" not found' });
  });
});

describe('dns checks', () => {
  it('answers through the cluster resolver (search list), NXDOMAIN, and SRV', async () => {
    const { env } = world();
    expect(await evaluateCheck(env, check({ type: 'dns', from: 'client', name: 'web', expect: ['10.96.100.10'] })))
      .toEqual({ ok: true, summary: 'client: A web: 10.96.100.10; expected 10.96.100.10' });
    expect(await evaluateCheck(env, check({ type: 'dns', from: 'client', name: 'web', expect: ['10.96.0.1'] })))
      .toEqual({ ok: false, summary: 'client: A web: 10.96.100.10; expected 10.96.0.1' });
    expect(await evaluateCheck(env, check({ type: 'dns', from: 'client', name: 'nope.default.svc.cluster.local', expect: 'NXDOMAIN' })))
      .toEqual({ ok: true, summary: 'client: A nope.default.svc.cluster.local: NXDOMAIN; expected NXDOMAIN' });
    expect(await evaluateCheck(env, check({ type: 'dns', from: 'client', name: '_http._tcp.web.default.svc.cluster.local', record: 'SRV', expect: ['0 100 80 web.default.svc.cluster.local'] })))
      .toEqual({ ok: true, summary: 'client: SRV _http._tcp.web.default.svc.cluster.local: 0 100 80 web.default.svc.cluster.local; expected 0 100 80 web.default.svc.cluster.local' });
  });

  it('a lookup blocked by policy times out and fails', async () => {
    const { session, env } = world();
    await run(session, `kubectl -n locked patch networkpolicy deny-egress --type=json -p '[{"op":"remove","path":"/spec/egress"}]'`);
    expect(await evaluateCheck(env, check({ type: 'dns', from: 'client', namespace: 'locked', name: 'kubernetes.default', expect: ['10.96.0.1'] })))
      .toEqual({ ok: false, summary: 'client: A kubernetes.default: no answer (timed out); expected 10.96.0.1' });
  });
});

describe('rule and ipvs checks', () => {
  it('a line of iptables-save matches, or must not', async () => {
    const { session, env } = world();
    const svc = check({ type: 'rule', node: 'worker', matches: '^-A KUBE-SERVICES -d 10\\.96\\.100\\.10/32 .*-j KUBE-SVC-' });
    const reject = check({ type: 'rule', node: 'worker', table: 'filter', matches: 'default/web:http has no endpoints', present: false });
    expect((await evaluateCheck(env, svc))).toEqual({ ok: false, summary: 'worker iptables-save -t nat: no line matches /^-A KUBE-SERVICES -d 10\\.96\\.100\\.10/32 .*-j KUBE-SVC-/' });
    expect((await evaluateCheck(env, reject)).ok).toBe(false);
    await run(session, FIX);
    const after = await evaluateCheck(env, svc);
    expect(after.ok).toBe(true);
    expect(after.summary).toMatch(/^worker iptables-save -t nat: -A KUBE-SERVICES -d 10\.96\.100\.10\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-[A-Z0-9]{16}$/);
    expect(await evaluateCheck(env, reject)).toEqual({ ok: true, summary: 'worker iptables-save -t filter: no line matches /default/web:http has no endpoints/, as expected' });
    expect(await evaluateCheck(env, check({ type: 'rule', node: 'nodex', matches: 'x' }))).toEqual({ ok: false, summary: 'nodex: nodes "nodex" not found' });
  });

  it('with counters: a rule that has counted the connections made', async () => {
    const { session, env, cluster } = world();
    await run(session, FIX);
    const got = cluster.get<Pod>('Pod', 'default', 'client');
    const node = got.ok ? got.value.spec.nodeName! : '';
    // Only a connection's first packet walks the nat table, so the rule counts connections.
    const counted = check({ type: 'rule', node, counters: true, matches: '^\\[3:180\\] -A KUBE-SERVICES -d 10\\.96\\.100\\.10/32 ' });
    expect((await evaluateCheck(env, counted)).ok).toBe(false);
    await run(session, ...Array.from({ length: 3 }, () => 'kubectl exec client -- wget -qO- -T 2 http://web'));
    const after = await evaluateCheck(env, counted);
    expect(after.summary).toMatch(new RegExp(`^${node} iptables-save -c -t nat: \\[3:180\\] -A KUBE-SERVICES -d 10\\.96\\.100\\.10/32 -p tcp .*-j KUBE-SVC-`));
    expect(after.ok).toBe(true);
  });

  it('tool: nft matches a line of `nft list ruleset`, without its indentation', async () => {
    const { session, env } = world(NFT);
    // The Service has no endpoints: kube-proxy lists it in no-endpoint-services, not in service-ips.
    const entry = check({ type: 'rule', tool: 'nft', node: 'worker', matches: '^(elements = \\{ )?10\\.96\\.100\\.10 \\. tcp \\. 80 : goto service-' });
    const noEndpoints = check({ type: 'rule', tool: 'nft', node: 'worker', matches: '10\\.96\\.100\\.10 \\. tcp \\. 80 comment "default/web:http" : goto reject-chain', present: false });
    expect(await evaluateCheck(env, entry)).toEqual({ ok: false, summary: `worker nft list ruleset: no line matches /${entry.type === 'rule' ? entry.matches : ''}/` });
    const before = await evaluateCheck(env, noEndpoints);
    expect(before.ok).toBe(false);
    expect(before.summary).toMatch(/^worker nft list ruleset: elements = \{ 10\.96\.100\.10 \. tcp \. 80 comment "default\/web:http" : goto reject-chain \}; expected no line to match$/);
    await run(session, FIX);
    const after = await evaluateCheck(env, entry);
    expect(after.ok).toBe(true);
    expect(after.summary).toMatch(/^worker nft list ruleset: (elements = \{ )?10\.96\.100\.10 \. tcp \. 80 : goto service-[A-Z0-9]{8}-default\/web\/tcp\/http[,}]/);
    expect((await evaluateCheck(env, noEndpoints)).ok).toBe(true);
    // The chain's load balancing: one vmap entry per endpoint.
    const lb = check({ type: 'rule', tool: 'nft', node: 'worker', matches: '^numgen random mod 2 vmap \\{ 0 : goto endpoint-[A-Z0-9]{8}-default/web/tcp/http__' });
    expect((await evaluateCheck(env, lb)).ok).toBe(true);
  });

  it('tool: nft on a node whose kube-proxy runs iptables: an empty ruleset matches nothing', async () => {
    const { session, env } = world();
    await run(session, FIX);
    expect(await evaluateCheck(env, check({ type: 'rule', tool: 'nft', node: 'worker', matches: 'service-ips' })))
      .toEqual({ ok: false, summary: 'worker nft list ruleset: no line matches /service-ips/' });
  });

  it('an IPVS virtual server with its scheduler and real servers', async () => {
    const { session, env } = world(IPVS);
    const vs = check({ type: 'ipvs', node: 'worker', service: '10.96.100.10:80', scheduler: 'rr', realServers: 2 });
    expect(await evaluateCheck(env, vs)).toEqual({ ok: false, summary: 'worker ipvsadm: TCP 10.96.100.10:80: scheduler rr, 0 real server(s); expected scheduler rr, 2 real server(s)' });
    await run(session, FIX);
    expect(await evaluateCheck(env, vs)).toEqual({ ok: true, summary: 'worker ipvsadm: TCP 10.96.100.10:80: scheduler rr, 2 real server(s); expected scheduler rr, 2 real server(s)' });
    expect((await evaluateCheck(env, check({ type: 'ipvs', node: 'worker', service: '10.96.100.11:80' }))).summary).toBe('worker ipvsadm: TCP 10.96.100.11:80: no such virtual server; expected one');
  });
});

describe('file checks', () => {
  it('read the learner\'s files, ~ meaning /home/user', async () => {
    const { session, env } = world();
    const c = check({ type: 'file', path: '~/policy.yaml', contains: 'kind: NetworkPolicy' });
    expect(await evaluateCheck(env, c)).toEqual({ ok: false, summary: '~/policy.yaml: no such file' });
    await run(session, `echo 'kind: Service' > ~/policy.yaml`);
    expect(await evaluateCheck(env, c)).toEqual({ ok: false, summary: '~/policy.yaml: does not contain "kind: NetworkPolicy"' });
    await run(session, `echo 'kind: NetworkPolicy' > ~/policy.yaml`);
    expect(await evaluateCheck(env, c)).toEqual({ ok: true, summary: '~/policy.yaml: contains "kind: NetworkPolicy"' });
    expect((await evaluateCheck(env, check({ type: 'file', path: '~/policy.yaml', equals: 'kind: NetworkPolicy' }))).ok).toBe(true);
  });
});

describe('evaluateTasks', () => {
  it('a task is done when every check holds', async () => {
    const { session, env } = world();
    const tasks = [
      { id: 'fix', title: 'Fix it', text: 'Fix the Service selector.', checks: [check({ type: 'object', resource: 'service/web', jsonpath: '{.spec.selector.app}', equals: 'web' }), check({ type: 'reach', from: 'client', to: 'http://web', expect: 'allowed' })] },
      { id: 'policy', title: 'Keep it', text: 'The locked client stays locked.', checks: [check({ type: 'reach', from: 'client', namespace: 'locked', to: 'http://web.default', expect: 'denied' })] },
    ];
    const before = await evaluateTasks(env, tasks);
    expect(before.map((t) => [t.id, t.done, t.checks.map((c) => c.ok)])).toEqual([['fix', false, [false, false]], ['policy', true, [true]]]);
    await run(session, FIX);
    const after = await evaluateTasks(env, tasks);
    expect(after.map((t) => [t.id, t.done, t.checks.map((c) => c.ok)])).toEqual([['fix', true, [true, true]], ['policy', true, [true]]]);
  });
});

describe('checks have no side effects', () => {
  // Two identical clusters take the same commands; one also runs every kind of check, many
  // times. Afterwards every observable piece of state must read the same in both.
  const CHECKS: LabCheck[] = [
    check({ type: 'reach', from: 'client', to: 'http://web', expect: 'allowed' }),
    check({ type: 'reach', from: 'client', to: 'http://web.default.svc.cluster.local/x', expect: 'allowed' }),
    check({ type: 'reach', from: 'client', namespace: 'locked', to: 'http://web.default', expect: 'denied' }),
    check({ type: 'reach', from: 'client', to: '10.96.100.10:80', expect: 'allowed' }),
    check({ type: 'dns', from: 'client', name: 'web', expect: ['10.96.100.10'] }),
    check({ type: 'dns', from: 'client', name: 'nope', expect: 'NXDOMAIN' }),
    check({ type: 'dns', from: 'client', name: '_http._tcp.web.default.svc.cluster.local', record: 'SRV', expect: ['0 100 80 web.default.svc.cluster.local'] }),
    check({ type: 'rule', node: 'worker', matches: 'KUBE-SVC' }),
    check({ type: 'ipvs', node: 'worker', service: '10.96.100.10:80' }),
    check({ type: 'rule', tool: 'nft', node: 'worker', matches: '^numgen random mod 2 vmap' }),
    check({ type: 'object', resource: 'service/web', jsonpath: '{.spec.clusterIP}', equals: '10.96.100.10' }),
  ];
  const BEFORE = [FIX, 'kubectl exec client -- wget -qO- -T 2 http://web', 'kubectl exec client -- nslookup web'];
  const OBSERVE = [
    ...['control-plane', 'worker', 'worker2'].flatMap((n) => [`ssh ${n} iptables-save -c`, `ssh ${n} conntrack -L`, `ssh ${n} ipvsadm -Ln --stats`, `ssh ${n} ipvsadm -Lnc`, `ssh ${n} nft list ruleset`]),
    'kubectl logs -l app=web --prefix',
    'kubectl -n kube-system logs -l k8s-app=kube-dns --prefix',
    // The next ephemeral port, query id and statistic draw show in what follows.
    'kubectl exec client -- wget -qO- -T 2 http://web',
    'ssh worker conntrack -L',
    'kubectl logs -l app=web --prefix',
    'kubectl get pods -o wide',
  ];

  // Which checks can hold in each mode: a KUBE-SVC chain only in iptables mode, a virtual server only in IPVS mode, an nft chain only in nftables mode.
  const HOLDS: Record<string, (c: LabCheck) => boolean> = {
    iptables: (c) => c.type !== 'ipvs' && !(c.type === 'rule' && c.tool === 'nft'),
    ipvs: (c) => c.type !== 'rule',
    nftables: (c) => c.type !== 'ipvs' && !(c.type === 'rule' && c.tool === 'iptables-save'),
  };
  for (const [mode, extra] of [['iptables', ''], ['ipvs', IPVS], ['nftables', NFT]] as const) {
    it(`in ${mode} mode: counters, conntrack, IPVS, logs, ports, PRNG and clock are untouched`, async () => {
      const a = world(extra);
      const b = world(extra);
      const traces: unknown[] = [];
      a.cluster.onTrace((t) => void traces.push(t));
      await run(a.session, ...BEFORE);
      await run(b.session, ...BEFORE);
      traces.length = 0;
      const results = [];
      for (let i = 0; i < 3; i++) for (const c of CHECKS) results.push(await evaluateCheck(a.env, c));
      // The checks really looked (a failing probe would prove nothing).
      expect(results.slice(0, CHECKS.length).map((r) => r.ok)).toEqual(CHECKS.map(HOLDS[mode]!));
      expect(traces).toEqual([]);
      expect(a.cluster.now()).toBe(b.cluster.now());
      expect(await run(a.session, ...OBSERVE)).toBe(await run(b.session, ...OBSERVE));
      expect(a.cluster.rng.next()).toBe(b.cluster.rng.next());
      const ra = a.cluster.resolver({ pod: { namespace: 'default', name: 'client' } });
      const rb = b.cluster.resolver({ pod: { namespace: 'default', name: 'client' } });
      expect(ra.nextId()).toBe(rb.nextId());
    });
  }
});
