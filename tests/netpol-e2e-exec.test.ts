// Truth tables probed exactly as upstream's e2e suite does it: through `kubectl exec` in the
// terminal session (kubemanager.go: `kubectl exec <pod> -c <container> -n <ns> -- agnhost
// connect <ServiceIP>:<port> --timeout=1s --protocol=<p>`), success = exit 0. The cases and
// their expected 9x9 matrices are the shared ones (src/engine/netpol/truthtable.cases.ts);
// src/engine/netpol/datapath.test.ts runs all of them through cluster.connect, this runs a
// TCP and an SCTP case through the whole shell (kubectl exec, agnhost's flags, its exit code).
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCluster, type KubeObject, type Pod, type Service } from '../src/engine';
import { createSession } from '../src/shell';
import { e2eManifests } from '../src/engine/netpol/e2emodel';
import { formatTruthTable, parseTruthTable } from '../src/engine/netpol/truthtable';
import { E2E_CASES, casePolicies } from '../src/engine/netpol/truthtable.cases';

const PICK: [string, string][] = [
  ['e2e', 'should enforce policy based on PodSelector and NamespaceSelector'],
  ['e2e SCTP', 'should enforce policy based on Ports'],
];

describe('NetworkPolicy truth tables through kubectl exec … agnhost connect', () => {
  for (const [from, name] of PICK) {
    const c = E2E_CASES.find((k) => k.from === from && k.name === name)!;
    it(`[${from}] ${name} — ${c.protocol ?? 'TCP'}/${c.port}`, async () => {
      const cluster = createCluster({ seed: 3, manifests: e2eManifests() });
      cluster.tick(10_000);
      const session = createSession({ cluster });
      const get = <T extends KubeObject>(kind: string, ns: string, n: string) => {
        const r = cluster.get<T>(kind, ns, n);
        if (!r.ok) throw new Error(r.error.message);
        return r.value;
      };
      for (const p of casePolicies(c, (ns, pod) => get<Pod>('Pod', ns, pod).status!.podIP!)) {
        const r = await session.run(`kubectl apply -f - <<'EOF'\n${stringify({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.metadata.name, namespace: p.metadata.namespace }, spec: p.spec })}EOF`);
        expect(r.stdout).toBe(`networkpolicy.networking.k8s.io/${p.metadata.name} created\n`);
      }
      const expected = parseTruthTable(c.expect);
      const protocol = (c.protocol ?? 'TCP').toLowerCase();
      const values: boolean[][] = [];
      const failures = new Set<string>();
      for (const src of expected.pods) {
        const [ns, pod] = src.split('/') as [string, string];
        const row: boolean[] = [];
        for (const dst of expected.pods) {
          const [dns, dpod] = dst.split('/') as [string, string];
          const ip = get<Service>('Service', dns, `s-${dns}-${dpod}`).spec.clusterIP!;
          const r = await session.run(`kubectl exec ${pod} -c cont-${c.port}-${protocol} -n ${ns} -- agnhost connect ${ip}:${c.port} --timeout=1s --protocol=${protocol}`);
          row.push(r.exitCode === 0);
          if (r.exitCode !== 0) failures.add(r.stderr.replace(/\d+\.\d+\.\d+\.\d+:\d+/g, 'ADDR'));
        }
        values.push(row);
      }
      expect(formatTruthTable({ pods: expected.pods, values })).toBe(formatTruthTable(expected));
      // Denied probes are dropped by the CNI: upstream's TIMEOUT, never REFUSED.
      expect([...failures]).toEqual(['TIMEOUT\ncommand terminated with exit code 1\n']);
      expect(session.bugs).toEqual([]);
    });
  }
});
