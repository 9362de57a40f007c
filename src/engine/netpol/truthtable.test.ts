// The evaluator on the shared truth tables (truthtable.cases.ts): each case's policies over the
// e2e model's objects, every ordered pair of pods, compared with upstream's expectations.
import { describe, expect, it } from 'vitest';
import { e2eModel } from './e2emodel';
import { formatTruthTable, parseTruthTable, reachability } from './truthtable';
import { buildNetpolIndex } from './policyindex';
import { E2E_CASES as CASES, casePolicies, relabel } from './truthtable.cases';

describe('NetworkPolicy truth tables on the upstream e2e model', () => {
  it('has at least 30 cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
  });
  for (const c of CASES) {
    it(`[${c.from}] ${c.name} — ${c.protocol ?? 'TCP'}/${c.port}`, () => {
      const model = relabel(e2eModel(), c.labels);
      const ipOf = (ns: string, pod: string) => model.pods.find((p) => p.metadata.namespace === ns && p.metadata.name === pod)!.status!.podIP!;
      const index = buildNetpolIndex({ policies: casePolicies(c, ipOf), pods: model.pods, namespaces: model.namespaces, nodes: model.nodes, cni: c.cni ?? 'kindnet' });
      const observed = reachability(index, model.podStrings, c.port, c.protocol ?? 'TCP');
      const expected = parseTruthTable(c.expect);
      expect(formatTruthTable(observed)).toBe(formatTruthTable(expected));
    });
  }
});
