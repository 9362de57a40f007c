// The truth tables of truthtable.cases.ts through the real data path: the upstream e2e model
// built as a cluster (e2eManifests: agnhost servers on 80/81 TCP/UDP/SCTP, a Service per pod),
// each case's policies applied with kubectl-apply semantics, every ordered pair probed the
// way upstream's probe does (agnhost connect to the Service IP), compared with the expected
// matrix. One cluster per CNI the cases name; policies and label changes are undone after
// each case, as upstream's cleanNetworkPolicies does between tests.
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createCluster, type Cluster, type Pod } from '../index';
import { e2eManifests } from './e2emodel';
import { e2eTargets, probeE2E, type E2ETarget } from './e2ecluster';
import { compareTruthTables, formatTruthTable, parseTruthTable } from './truthtable';
import { E2E_CASES, casePolicies, type TruthTableCase } from './truthtable.cases';
import type { CniName } from './types';

function boot(cni: CniName): Cluster {
  const cluster = createCluster({ seed: 1, manifests: `apiVersion: clusterpath.dev/v1alpha1\nkind: ClusterConfig\ncni: ${cni}\n---\n${e2eManifests()}` });
  cluster.tick(10_000);
  return cluster;
}

/** Apply the case's label changes; returns the undo. */
function relabel(cluster: Cluster, labels: TruthTableCase['labels']): () => void {
  const undo: (() => void)[] = [];
  const patch = (kind: string, ns: string | undefined, name: string, add: Record<string, string>) => {
    const r = cluster.patch(kind, ns, name, { metadata: { labels: add } }, 'merge');
    if (!r.ok) throw new Error(r.error.message);
    undo.push(() => void cluster.patch(kind, ns, name, { metadata: { labels: Object.fromEntries(Object.keys(add).map((k) => [k, null])) } }, 'merge'));
  };
  for (const [pod, add] of Object.entries(labels?.pods ?? {})) patch('Pod', pod.split('/')[0], pod.split('/')[1]!, add);
  for (const [ns, add] of Object.entries(labels?.namespaces ?? {})) patch('Namespace', undefined, ns, add);
  return () => undo.forEach((u) => u());
}

const CNIS = [...new Set(E2E_CASES.map((c) => c.cni ?? 'kindnet'))];

for (const cni of CNIS) {
  describe(`NetworkPolicy truth tables through the data path (${cni})`, () => {
    let cluster: Cluster;
    let targets: E2ETarget[];
    const cleanup: (() => void)[] = [];
    beforeAll(() => {
      cluster = boot(cni);
      targets = e2eTargets(cluster);
    });
    afterEach(() => {
      while (cleanup.length) cleanup.pop()!();
    });

    it('runs the model: nine agnhost pods Running, each with its Service', () => {
      const pods = cluster.list<Pod>('Pod', { labelSelector: 'pod' });
      expect(pods.ok && pods.value.map((p) => `${p.metadata.namespace}/${p.metadata.name} ${p.status?.phase}`)).toEqual(targets.map((t) => `${t.pod} Running`));
    });

    for (const c of E2E_CASES.filter((k) => (k.cni ?? 'kindnet') === cni)) {
      it(`[${c.from}] ${c.name} — ${c.protocol ?? 'TCP'}/${c.port}`, () => {
        cleanup.push(relabel(cluster, c.labels));
        const podIP = (ns: string, name: string) => {
          const r = cluster.get<Pod>('Pod', ns, name);
          return (r.ok && r.value.status?.podIP) || '';
        };
        const policies = casePolicies(c, podIP);
        for (const p of policies) {
          const [r] = cluster.apply(stringify({ apiVersion: p.apiVersion, kind: p.kind, metadata: { name: p.metadata.name, namespace: p.metadata.namespace }, spec: p.spec }));
          expect(r?.ok, JSON.stringify(r)).toBe(true);
          cleanup.push(() => void cluster.delete('NetworkPolicy', p.metadata.namespace, p.metadata.name));
        }
        const observed = probeE2E(cluster, targets, c.port, c.protocol ?? 'TCP');
        const expected = parseTruthTable(c.expect);
        const { wrong, table } = compareTruthTables(expected, observed);
        expect({ wrong, observed: formatTruthTable(observed), comparison: formatTruthTable(table) }).toEqual({ wrong: 0, observed: formatTruthTable(expected), comparison: formatTruthTable(table) });
      });
    }
  });
}
