/**
 * A Trace (docs/trace.md) as rows for the packet-path diagram: the request leg hop by hop
 * (source → node hooks with the rules that matched → NetworkPolicy → wire → the server's
 * answer), the reply leg apart (it is folded on screen), and the outcome in words. Pure data
 * in, plain data out, so the Preact component only draws and the tests read real Traces.
 */
import type { AppHop, Hop, NodeHop, PolicyHop, Trace, WireHop } from '../../engine';

export type Tone = 'ok' | 'bad' | 'info';

/** One block of a hop's expanded text. `mono`: exact tool output (rules, conntrack). */
export interface HopDetail {
  label: string;
  lines: string[];
  mono: boolean;
}

export interface HopRow {
  /** Stable within one Trace (`h4`): ids for aria-controls. */
  id: string;
  kind: 'source' | 'wire' | 'node' | 'policy' | 'app';
  leg: 'request' | 'reply';
  /** Short: the SVG box and the button's first line. */
  title: string;
  /** One line under the title (what happened there). */
  summary: string;
  /** The rules that decide where a Service packet goes, shown without expanding. */
  highlights: string[];
  tone: Tone;
  details: HopDetail[];
}

export interface TraceLayout {
  /** Tab label: `TCP web:80`, `DNS A web.default.svc.cluster.local.`. */
  label: string;
  outcome: { label: string; tone: Tone; text: string };
  request: HopRow[];
  reply: HopRow[];
  /** The text alternative of the diagram. */
  description: string;
}

const OUTCOME_LABEL: Record<Trace['outcome'], string> = {
  connected: 'Connected',
  refused: 'Connection refused',
  'timed-out': 'Timed out',
  'no-route': 'No route to host',
  'net-unreachable': 'Network unreachable',
  reset: 'Connection reset',
  'bad-source': 'Source has no network',
};

/** A short name for one connection of a command (a curl is a DNS A, a DNS AAAA, then TCP). */
export function traceLabel(t: Trace): string {
  if (t.note?.startsWith('DNS query ')) return 'DNS ' + t.note.slice('DNS query '.length);
  if (t.note) return t.note;
  const where = t.to.host ?? t.to.ip;
  return t.protocol === 'ICMP' || t.to.port === undefined ? `${t.protocol} ${where}` : `${t.protocol} ${where}:${t.to.port}`;
}

/** The outcome as the client experiences it; a DNS answer's rcode counts (NXDOMAIN is not "connected" to a learner). */
export function traceOutcome(t: Trace): TraceLayout['outcome'] {
  const app = t.hops.find((h): h is AppHop => h.kind === 'app' && h.answer !== undefined);
  const rcode = app?.answer && /^DNS ([A-Z]+)/.exec(app.answer)?.[1];
  if (t.outcome === 'connected' && rcode) {
    return { label: rcode === 'NOERROR' ? `DNS ${app!.answer!.slice(4)}` : rcode, tone: rcode === 'NOERROR' ? 'ok' : 'bad', text: t.summary };
  }
  return { label: OUTCOME_LABEL[t.outcome], tone: t.outcome === 'connected' ? 'ok' : 'bad', text: t.summary };
}

export function layoutTrace(t: Trace): TraceLayout {
  const request: HopRow[] = [sourceRow(t)];
  const reply: HopRow[] = [];
  t.hops.forEach((h, i) => {
    const row = hopRow(h, `h${i}`, t);
    (rowLeg(h) === 'reply' ? reply : request).push(row);
  });
  const outcome = traceOutcome(t);
  const path = request.map((r) => `${r.title}${r.summary ? ` (${r.summary})` : ''}`).join('; then ');
  const description = `${traceLabel(t)}: ${path}. ${reply.length ? `The reply came back over ${reply.length} hops. ` : ''}Outcome: ${outcome.label}. ${t.summary}`;
  return { label: traceLabel(t), outcome, request, reply, description };
}

function rowLeg(h: Hop): 'request' | 'reply' {
  return h.kind === 'wire' || h.kind === 'node' ? h.leg : 'request';
}

function endpointName(e: Trace['from']): string {
  if (e.kind === 'pod') return `pod ${e.pod ?? e.ip}`;
  if (e.kind === 'node') return `node ${e.node ?? e.ip}`;
  return `external ${e.ip}`;
}

function sourceRow(t: Trace): HopRow {
  const f = t.from;
  const where = f.kind === 'pod' && f.node ? `${f.ip} on ${f.node}` : f.ip;
  const dest = `${t.to.host ? `${t.to.host} (${t.to.ip})` : t.to.ip}${t.to.port !== undefined ? ` port ${t.to.port}` : ''}`;
  return {
    id: 'src',
    kind: 'source',
    leg: 'request',
    title: endpointName(f),
    summary: `${where} → ${t.protocol} ${dest}`,
    highlights: [],
    tone: t.outcome === 'bad-source' ? 'bad' : 'info',
    details: [{ label: 'What the client did', lines: [t.note ?? `${t.protocol} to ${dest}`], mono: false }],
  };
}

function hopRow(h: Hop, id: string, t: Trace): HopRow {
  switch (h.kind) {
    case 'wire':
      return wireRow(h, id);
    case 'node':
      return nodeRow(h, id);
    case 'policy':
      return policyRow(h, id);
    case 'app':
      return appRow(h, id, t);
  }
}

function wireRow(h: WireHop, id: string): HopRow {
  // Both ends named `NODE eth0`: a cable between machines; otherwise a pod's veth pair.
  const cable = !h.from.startsWith('pod ') && !h.to.startsWith('pod ');
  return {
    id,
    kind: 'wire',
    leg: h.leg,
    title: `${cable ? 'cable' : 'veth'}: ${h.from} → ${h.to}`,
    summary: h.route ? `route: ${h.route}` : '',
    highlights: [],
    tone: 'info',
    details: h.route ? [{ label: 'Route taken (ip route)', lines: [h.route], mono: true }] : [],
  };
}

/** The hooks the packet crossed, with the routing decision where the kernel makes it. */
export function hookPath(h: NodeHop): string[] {
  const hooks: string[] = [];
  for (const r of h.rules) if (hooks[hooks.length - 1] !== r.hook) hooks.push(r.hook);
  if (hooks.length === 0) hooks.push(h.origin === 'in' ? 'PREROUTING' : 'OUTPUT');
  const out: string[] = [];
  for (const k of hooks) {
    out.push(k);
    if (k === 'PREROUTING' || k === 'OUTPUT') out.push('routing');
  }
  return out;
}

/** kube-proxy's per-Service chains (iptables mode), and the entry points that jump to them. */
const SERVICE_CHAIN = /^KUBE-(SERVICES|NODEPORTS|SVC-|SVL-|SEP-|EXT-|FW-)/;
const KEY_ACTION = /^(DNAT|SNAT|MASQUERADE|DROP|REJECT)/;

/** The jump or target a rule ends in (`-j KUBE-SVC-…`, `-j DNAT --to-destination 10.244.1.3:80`). */
function target(text: string): string {
  const m = / -j (.+)$/.exec(text);
  return m ? m[1]!.replace(/^DNAT --to-destination /, 'DNAT → ').replace(/ --random-fully$/, '') : text;
}

/** `KUBE-SERVICES → KUBE-SVC-…`: the Service's rules, and any NAT or drop, in walk order. */
export function keyRules(h: NodeHop): string[] {
  const out: string[] = [];
  for (const r of h.rules) {
    if (r.rule === 0) continue; // a built-in chain's policy
    const to = target(r.text);
    if ((SERVICE_CHAIN.test(r.chain) && SERVICE_CHAIN.test(to)) || KEY_ACTION.test(to)) out.push(`${r.chain} → ${to}`);
  }
  if (h.ipvs) out.push(`IPVS ${h.ipvs.service} → ${h.ipvs.realServer ?? 'no real server'}`);
  return out;
}

function packet(p: NodeHop['before']): string {
  const port = (a: string, n?: number) => (n === undefined ? a : `${a}:${n}`);
  return `${port(p.src, p.sport)} > ${port(p.dst, p.dport)} ${p.proto}`;
}

/** What NAT changed, as `DNAT 10.96.0.10:53 → 10.244.2.2:53` / `SNAT 10.244.1.3 → 172.18.0.3`. */
export function natChanges(h: NodeHop): string[] {
  const out: string[] = [];
  const ep = (ip: string, port?: number) => (port === undefined ? ip : `${ip}:${port}`);
  const { before: b, after: a } = h;
  if (b.dst !== a.dst || b.dport !== a.dport) out.push(`${h.leg === 'reply' ? 'un-NAT dst' : 'DNAT'} ${ep(b.dst, b.dport)} → ${ep(a.dst, a.dport)}`);
  if (b.src !== a.src || b.sport !== a.sport) out.push(`${h.leg === 'reply' ? 'un-NAT src' : 'SNAT'} ${ep(b.src, b.sport)} → ${ep(a.src, a.sport)}`);
  return out;
}

function nodeRow(h: NodeHop, id: string): HopRow {
  const nat = natChanges(h);
  const verdict = h.verdict === 'ACCEPT' ? (h.delivered === 'local' ? 'delivered locally' : h.outIface ? `out ${h.outIface}` : 'ACCEPT') : `${h.verdict}${h.droppedAt ? ` in ${h.droppedAt}` : ''}`;
  const details: HopDetail[] = [
    { label: `Rules that matched (iptables-save), ${h.rulesEvaluated} evaluated`, lines: h.rules.map((r) => `${r.table.padEnd(6)} ${r.text}`), mono: true },
  ];
  if (h.ipvs) {
    details.push({
      label: 'IPVS',
      lines: [`${h.ipvs.service} → ${h.ipvs.realServer ?? '(no real server)'}${h.ipvs.existing ? ' (existing connection)' : ''}${h.ipvs.persisted ? ' (persistence)' : ''}`],
      mono: true,
    });
  }
  details.push({ label: 'Packet in → out', lines: [packet(h.before), packet(h.after)], mono: true });
  const ct = h.conntrack;
  details.push({
    label: `conntrack: ${ct.state} ${ct.direction}${ct.id !== undefined ? ` #${ct.id}` : ''}`,
    lines: ct.entry ? [ct.entry] : ['(no new entry: the packet matched an existing flow)'],
    mono: !!ct.entry,
  });
  details.push({ label: 'Verdict', lines: [`${h.verdict}${h.rejectWith ? ` (--reject-with ${h.rejectWith})` : ''}${h.droppedAt ? ` at ${h.droppedAt}` : ''}`], mono: true });
  return {
    id,
    kind: 'node',
    leg: h.leg,
    title: `${h.node}: ${hookPath(h).join(' → ')}`,
    summary: [`${h.leg} ${h.origin === 'local' ? 'from a local process' : `in ${h.inIface ?? '?'}`}`, ...nat, verdict].join(' · '),
    highlights: keyRules(h),
    tone: h.verdict === 'ACCEPT' ? 'info' : 'bad',
    details,
  };
}

function policyRow(h: PolicyHop, id: string): HopRow {
  const lines = [h.message];
  if (h.isolatedBy.length) lines.push(`isolated by: ${h.isolatedBy.join(', ')}`);
  if (h.allowedBy) lines.push(`allowed by: ${h.allowedBy}`);
  lines.push(`reason: ${h.reason}`);
  return {
    id,
    kind: 'policy',
    leg: 'request',
    title: `NetworkPolicy ${h.direction.toLowerCase()} on ${h.node}`,
    summary: `${h.allowed ? 'allowed' : 'denied'} (${h.reason})`,
    highlights: [],
    tone: h.allowed ? 'ok' : 'bad',
    details: [{ label: 'Why', lines, mono: false }],
  };
}

const GOOD_ACTIONS = new Set(['answered', 'accepted', 'echo-reply']);

function appRow(h: AppHop, id: string, t: Trace): HopRow {
  const ep = t.endpoint;
  const addr = ep ? (ep.port !== undefined ? `${ep.ip}:${ep.port}` : ep.ip) : h.port !== undefined ? `port ${h.port}` : '';
  const lines = [
    `${h.where}${h.container ? ` container ${h.container}` : ''}${h.port !== undefined ? ` port ${h.port}/${h.protocol}` : ''}: ${h.action}${h.answer ? ` (${h.answer})` : ''}`,
    `client seen as ${h.client}`,
  ];
  return {
    id,
    kind: 'app',
    leg: 'request',
    title: `${h.where}${addr ? ` ${addr}` : ''}${ep?.node ? ` on ${ep.node}` : ''}`,
    summary: `${h.action}${h.answer ? `: ${h.answer}` : ''} · saw client ${h.client}`,
    highlights: [],
    tone: GOOD_ACTIONS.has(h.action) && !/^DNS (NXDOMAIN|SERVFAIL|REFUSED)/.test(h.answer ?? '') ? 'ok' : 'bad',
    details: [{ label: 'The server', lines, mono: false }],
  };
}

/** Rows for the diagram's boxes: the request leg, then the outcome. Geometry lives here so it is tested too. */
export interface DiagramBox {
  row: HopRow | undefined;
  x: number;
  y: number;
  w: number;
  h: number;
  text: string;
  sub: string;
  tone: Tone;
}

export const DIAGRAM = { width: 300, box: 38, gap: 16, pad: 8 } as const;

export function diagramBoxes(l: TraceLayout): { boxes: DiagramBox[]; height: number } {
  const { width, box, gap, pad } = DIAGRAM;
  const w = width - 2 * pad - 28; // room on the right for the folded reply arrow
  const boxes: DiagramBox[] = l.request.map((r, i) => ({
    row: r,
    x: pad,
    y: pad + i * (box + gap),
    w,
    h: box,
    text: clip(r.title, 36),
    sub: clip(r.highlights.find((x) => /KUBE-SEP|IPVS|DNAT/.test(x)) ?? r.summary, 44),
    tone: r.tone,
  }));
  const y = pad + l.request.length * (box + gap);
  boxes.push({ row: undefined, x: pad, y, w, h: box + 6, text: l.outcome.label, sub: clip(l.label, 44), tone: l.outcome.tone });
  return { boxes, height: y + box + 6 + pad };
}

function clip(s: string, n: number): string {
  return s.length <= n ? s : s.slice(0, n - 1) + '…';
}
