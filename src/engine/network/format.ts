/**
 * The Trace as text (`clusterpath run --trace`): one block per connection, the hops in
 * packet order, each node's matched rules as iptables-save prints them. Documented in
 * docs/trace.md; the UI draws the same data.
 */
import type { Hop, NodeHop, PacketView, Trace } from './types';

const arrow = (p: PacketView): string => {
  const a = p.sport !== undefined ? `${p.src}:${p.sport}` : p.src;
  const b = p.dport !== undefined ? `${p.dst}:${p.dport}` : p.dst;
  return `${a} > ${b} ${p.proto}`;
};

function endpointText(e: Trace['from']): string {
  if (e.kind === 'pod') return `pod ${e.pod}${e.node ? ` on ${e.node}` : ''}`;
  if (e.kind === 'node') return `node ${e.node}`;
  return `external ${e.ip}`;
}

function nodeLines(h: NodeHop): string[] {
  const hook = h.origin === 'in' ? `in ${h.inIface ?? '?'}` : 'local process';
  const out = [`  [${h.node}] ${h.leg} ${hook}: ${arrow(h.before)}`];
  for (const r of h.rules) out.push(`    ${r.table.padEnd(6)} ${r.text}`);
  if (h.ipvs) out.push(`    ipvs   ${h.ipvs.service} -> ${h.ipvs.realServer ?? 'no real server'}${h.ipvs.existing ? ' (existing connection)' : h.ipvs.persisted ? ' (persistent)' : ''}`);
  const changed = h.before.src !== h.after.src || h.before.dst !== h.after.dst || h.before.sport !== h.after.sport || h.before.dport !== h.after.dport;
  const ct = `conntrack ${h.conntrack.state.toLowerCase()} ${h.conntrack.direction}${h.conntrack.id ? ` #${h.conntrack.id}` : ''}`;
  let verdict: string;
  if (h.verdict === 'ACCEPT') verdict = h.delivered === 'local' ? 'ACCEPT, delivered locally' : `ACCEPT, out ${h.outIface ?? '?'}`;
  else verdict = `${h.verdict}${h.rejectWith ? ` --reject-with ${h.rejectWith}` : ''}${h.droppedAt ? ` at ${h.droppedAt}` : ''}`;
  out.push(`    => ${verdict}${changed ? `: ${arrow(h.after)}` : ''} (${ct}; ${h.rulesEvaluated} rules evaluated)`);
  if (h.conntrack.entry && h.leg === 'request' && h.verdict === 'ACCEPT') out.push(`    ct     ${h.conntrack.entry}`);
  return out;
}

function hopLines(h: Hop): string[] {
  switch (h.kind) {
    case 'node':
      return nodeLines(h);
    case 'wire':
      return [`  ${h.leg === 'reply' ? '<-' : '->'} ${h.from} -> ${h.to}${h.route ? `  (${h.route})` : ''}`];
    case 'policy':
      return [`  [${h.node}] NetworkPolicy ${h.direction.toLowerCase()}: ${h.allowed ? 'allowed' : 'DENIED'} (${h.reason}) ${h.message}`];
    case 'app':
      return [`  ${h.where}${h.container ? ` container ${h.container}` : ''}${h.port !== undefined ? ` port ${h.port}/${h.protocol}` : ''}: ${h.action}${h.answer ? ` (${h.answer})` : ''}; client seen as ${h.client}`];
  }
}

/** One Trace as text, ending in a newline. */
export function formatTrace(t: Trace): string {
  const dest = `${t.to.host ? `${t.to.host} ` : ''}${t.to.ip}${t.to.port !== undefined ? `:${t.to.port}` : ''}`;
  const lines = [`trace: ${t.protocol} ${endpointText(t.from)} (${t.from.ip}) -> ${dest}${t.note ? `: ${t.note}` : ''}`];
  for (const h of t.hops) lines.push(...hopLines(h));
  lines.push(`  outcome: ${t.outcome}: ${t.summary}`);
  return lines.join('\n') + '\n';
}
