/**
 * Reachability truth tables in the text form the upstream e2e suite prints
 * (test/e2e/network/netpol/truthtable.go, PrettyPrint): a header `-` then the destination
 * pods, one row per source pod, `.` = connected, `X` = not; rows are "from", columns "to".
 *
 *   -	x/a	x/b
 *   x/a	.	X
 *   x/b	.	.
 */
import type { Protocol } from '../model/types';
import { evaluateFlowIndexed } from './evaluate';
import { NetpolIndex } from './policyindex';
import type { NetpolInput, PodRef } from './types';

export interface TruthTable {
  /** `namespace/name`, in order; the same list for rows and columns. */
  pods: string[];
  /** values[from][to] */
  values: boolean[][];
}

/** Probe every ordered pair of pods (on `port`/`protocol`) and tabulate the verdicts. */
export function reachability(input: NetpolInput | NetpolIndex, pods: readonly (PodRef | string)[], port: number, protocol: Protocol = 'TCP'): TruthTable {
  const index = input instanceof NetpolIndex ? input : new NetpolIndex(input);
  const refs = pods.map((p) => (typeof p === 'string' ? toRef(p) : p));
  const resolved = refs.map((r) => {
    const pod = index.pod(r.namespace, r.name);
    if (!pod) throw new Error(`netpol: no pod ${r.namespace}/${r.name}`);
    return pod;
  });
  const values = resolved.map((from) => resolved.map((to) => evaluateFlowIndexed(index, { source: { pod: from }, destination: { pod: to }, port, protocol }).allowed));
  return { pods: refs.map((r) => `${r.namespace}/${r.name}`), values };
}

function toRef(s: string): PodRef {
  const i = s.indexOf('/');
  if (i < 0) throw new Error(`netpol: expected namespace/pod, got ${s}`);
  return { namespace: s.slice(0, i), name: s.slice(i + 1) };
}

/** Upstream's PrettyPrint layout: tab-separated, `-` in the corner. */
export function formatTruthTable(t: TruthTable, indent = ''): string {
  const lines = [indent + ['-', ...t.pods].join('\t')];
  t.pods.forEach((from, i) => lines.push(indent + [from, ...t.values[i]!.map((v) => (v ? '.' : 'X'))].join('\t')));
  return lines.join('\n');
}

/** Read a table back (any whitespace between cells; blank lines ignored). */
export function parseTruthTable(text: string): TruthTable {
  const rows = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((l) => l.split(/\s+/));
  const header = rows.shift();
  if (!header || header[0] !== '-') throw new Error('truth table: the first line must start with "-"');
  const pods = header.slice(1);
  if (rows.length !== pods.length) throw new Error(`truth table: ${pods.length} columns but ${rows.length} rows`);
  const values = rows.map((r, i) => {
    if (r[0] !== pods[i]) throw new Error(`truth table: row ${i + 1} is ${r[0]}, expected ${pods[i]}`);
    if (r.length !== pods.length + 1) throw new Error(`truth table: row ${r[0]} has ${r.length - 1} cells, expected ${pods.length}`);
    return r.slice(1).map((c) => {
      if (c !== '.' && c !== 'X') throw new Error(`truth table: bad cell ${JSON.stringify(c)} in row ${r[0]}`);
      return c === '.';
    });
  });
  return { pods, values };
}

/** A comparison table as upstream prints it: `.` where expected and observed agree, `X` where they differ. */
export function compareTruthTables(expected: TruthTable, observed: TruthTable): { wrong: number; table: TruthTable } {
  let wrong = 0;
  const values = expected.values.map((row, i) =>
    row.map((v, j) => {
      const same = v === observed.values[i]?.[j];
      if (!same) wrong++;
      return same;
    }),
  );
  return { wrong, table: { pods: expected.pods, values } };
}
