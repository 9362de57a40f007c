// Budgets (issue 3): cold start settled ≤ 50 ms; 1,000 Services + 1,000 Deployments applied
// and settled ≤ 2 s; listing 5,000 pods fast.
import { bench, describe } from 'vitest';
import { createCluster } from './index';

function manyManifests(n: number): string {
  const docs: string[] = [];
  for (let i = 0; i < n; i++) {
    docs.push(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app${i}}\nspec:\n  selector: {matchLabels: {app: app${i}}}\n  template:\n    metadata: {labels: {app: app${i}}}\n    spec: {containers: [{name: c, image: nginx}]}\n`);
    docs.push(`apiVersion: v1\nkind: Service\nmetadata: {name: app${i}}\nspec:\n  selector: {app: app${i}}\n  ports: [{port: 80}]\n`);
  }
  return docs.join('---\n');
}

const big = createCluster();
big.apply(`apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: many}\nspec:\n  replicas: 5000\n  selector: {matchLabels: {app: many}}\n  template:\n    metadata: {labels: {app: many}}\n    spec: {containers: [{name: c, image: nginx}]}\n`);

describe('engine', () => {
  bench('cold start of the default cluster (settled)', () => {
    createCluster();
  });
  const text = manyManifests(1000);
  bench('apply 1,000 Services + 1,000 Deployments and settle', () => {
    const c = createCluster();
    c.apply(text);
    c.tick(10_000);
  }, { iterations: 2, warmupIterations: 0 });
  bench('list 5,000 pods across namespaces', () => {
    big.list('Pod');
  });
});
