/**
 * The data path: a connection from a pod, a node or the workstation becomes packets that
 * walk the nodes' own netfilter/IPVS/conntrack state, the CNI's NetworkPolicy hooks and
 * the emulated apps, and every attempt returns a serialisable Trace (DESIGN.md §3.4).
 *
 *   const r = cluster.connect({ from: { pod: { namespace: 'default', name: 'client' } }, to: { ip: '10.96.12.34', port: 80 } });
 *   r.outcome;            // 'connected' | 'refused' | 'timed-out' | 'no-route' | …
 *   r.reply;              // what the app answered (HTTP, DNS, bytes)
 *   formatTrace(r.trace); // the hops, rules, NAT, conntrack, policy verdicts
 */
export type * from './types';
export { DataPath, type DataPathDeps, type TraceListener } from './datapath';
export { formatTrace } from './format';
