// Budgets (issue 3): cold start settled ≤ 50 ms; `kubectl get pods -A` on 5,000 pods ≤ 50 ms;
// 1,000 Services + 1,000 Deployments applied and settled ≤ 2 s.
import { bench, describe } from 'vitest';
import { createCluster, type Pod } from './index';

function manyManifests(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app${i}}\nspec:\n  selector: {matchLabels: {app: app${i}}}\n  template:\n    metadata: {labels: {app: app${i}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app${i}}\nspec:\n  selector: {app: app${i}}\n  ports: [{port: 80}]\n`);
  }
  return docs.join('---\n');
}

// 5,000 pods spread over 10 namespaces, so `-A` has to merge namespaces as well as names.
const big = createCluster();
const bigDocs: string[] = [];
for (let n = 0; n < 10; n++) {
  bigDocs.push(`apiVersion: v1\nkind: Namespace\nmetadata: {name: team${n}}\n`);
  bigDocs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: many, namespace: team${n}}\nspec:\n  replicas: 500\n  selector: {matchLabels: {app: many}}\n  template:\n    metadata: {labels: {app: many}}\n    spec: {containers: [{name: c, image: nginx}]}\n`);
}
big.apply(bigDocs.join('---\n'));
big.tick(10_000);

describe('engine', () => {
  bench('cold start of the default cluster, settled (budget 50 ms)', () => {
    createCluster();
  });
  const text = manyManifests(1000);
  bench('apply 1,000 Services + 1,000 Deployments and settle (budget 2 s)', () => {
    const c = createCluster();
    c.apply(text);
    c.tick(10_000);
  }, { iterations: 3, warmupIterations: 1 });
  // What `kubectl get pods -A` asks of the engine: every pod, sorted by namespace then name,
  // freshly each time (the store keeps no sorted cache), plus reading the printed columns.
  bench('kubectl get pods -A: list + sort 5,000 pods', () => {
    const r = big.list<Pod>('Pod');
    if (!r.ok || r.value.length < 5000) throw new Error('expected 5,000 pods');
    let restarts = 0;
    for (const p of r.value) restarts += p.status?.containerStatuses?.[0]?.restartCount ?? 0;
    if (restarts < 0) throw new Error('unreachable');
  });
});
