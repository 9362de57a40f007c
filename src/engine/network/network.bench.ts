// Budget (issue 5): in the default lab cluster, `curl` from a pod to a Service name — DNS
// (A + AAAA through kube-dns to a CoreDNS pod), connect, HTTP reply, Traces included —
// ≤ 1 ms median.
import { bench, describe } from 'vitest';
import { createCluster, formatTrace, getaddrinfo } from '../index';

const cluster = createCluster({
  manifests: `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: nginx, image: nginx:1.27, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec: {containers: [{name: c, image: nicolaka/netshoot, command: [sleep, infinity]}]}
`,
});
cluster.tick(10_000);
const from = { pod: { namespace: 'default', name: 'client' } };

describe('network', () => {
  bench('curl web from a pod: DNS + connect + HTTP reply, Traces built (budget 1 ms)', () => {
    const env = cluster.resolver(from);
    const r = getaddrinfo('web', 'musl', env);
    const c = cluster.connect({ from, to: { ip: r.addresses[0]!, port: 80, host: 'web' }, payload: { kind: 'http', method: 'GET', path: '/', host: 'web', headers: [], userAgent: 'curl/8.14.1' } });
    if (c.outcome !== 'connected' || env.traces.length !== 2) throw new Error(`unexpected ${c.outcome}`);
    // Steady state of a session (the JIT warmed up by earlier commands), as a learner meets it.
  }, { warmupIterations: 300, time: 1000 });
  bench('… and formatted as --trace text', () => {
    const env = cluster.resolver(from);
    const r = getaddrinfo('web', 'musl', env);
    const c = cluster.connect({ from, to: { ip: r.addresses[0]!, port: 80, host: 'web' }, payload: { kind: 'http', method: 'GET', path: '/', host: 'web', headers: [] } });
    if ([...env.traces, c.trace].map(formatTrace).join('').length < 100) throw new Error('short');
  }, { warmupIterations: 300, time: 1000 });
});
