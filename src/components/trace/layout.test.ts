import { describe, expect, it } from 'vitest';
import { iptablesSaveCommand, type EndpointSlice, type NodeHop } from '../../engine';
import { diagramBoxes, layoutTrace, traceLabel } from './layout';
import { DENY_WEB, IPVS_MODE, WEB, tracesOf } from './testing';

/** The Service's endpoints as the EndpointSlice controller published them (`ip:port`). */
function webEndpoints(cluster: Awaited<ReturnType<typeof tracesOf>>['cluster']): string[] {
  const slices = cluster.list<EndpointSlice>('EndpointSlice', { namespace: 'default', labelSelector: 'kubernetes.io/service-name=web' });
  if (!slices.ok) throw new Error(slices.error.message);
  return slices.value.flatMap((s) => (s.endpoints ?? []).flatMap((e) => e.addresses.map((a) => `${a}:${s.ports?.[0]?.port}`)));
}

describe('packet-path layout from real traces', () => {
  it('a curl to a Service: DNS A, DNS AAAA, then TCP through KUBE-SVC/KUBE-SEP to an endpoint', async () => {
    const { cluster, traces } = await tracesOf(WEB, 'kubectl exec client -- curl -s -o /dev/null web');
    // netshoot is musl: getaddrinfo asks A and AAAA for the first search name, then connects.
    expect(traces.map(traceLabel)).toEqual(['DNS A web.default.svc.cluster.local.', 'DNS AAAA web.default.svc.cluster.local.', 'TCP web:80']);
    const tcp = traces[2]!;
    const l = layoutTrace(tcp);
    expect(l.outcome).toMatchObject({ label: 'Connected', tone: 'ok' });
    expect(l.request.map((r) => r.kind)).toEqual(expect.arrayContaining(['source', 'wire', 'node', 'policy', 'app']));
    expect(l.request[0]).toMatchObject({ kind: 'source', title: 'pod default/client' });

    // The client's node: the hooks a forwarded packet crosses, and the Service's rules.
    const first = l.request.find((r) => r.kind === 'node')!;
    expect(first.title).toMatch(/^\w+: PREROUTING → routing → FORWARD → POSTROUTING$/);
    const endpoint = `${tcp.endpoint!.ip}:${tcp.endpoint!.port}`;
    expect(webEndpoints(cluster)).toContain(endpoint);
    const [svc, sep, dnat] = first.highlights;
    expect(svc).toMatch(/^KUBE-SERVICES → KUBE-SVC-[A-Z2-7]{16}$/);
    expect(sep).toBe(`${svc!.split(' → ')[1]} → ${dnat!.split(' → ')[0]}`);
    expect(dnat).toMatch(new RegExp(`^KUBE-SEP-[A-Z2-7]{16} → DNAT → ${endpoint.replace(/\./g, '\\.')}$`));
    expect(first.summary).toContain(`DNAT 10.96.110.110:80 → ${endpoint}`);

    // Expanded, a node hop shows the rules exactly as that node's iptables-save prints them.
    const hop = tcp.hops.find((h): h is NodeHop => h.kind === 'node')!;
    const host = cluster.node(hop.node);
    if (!host.ok) throw new Error(host.error.message);
    const saved = iptablesSaveCommand(host.value.netfilter, [], 0).stdout.split('\n');
    const rules = first.details[0]!.lines.map((x) => x.slice(7)).filter((x) => x.startsWith('-A '));
    expect(rules.length).toBeGreaterThanOrEqual(3);
    for (const r of rules) expect(saved).toContain(r);
    expect(first.details.find((d) => d.label.startsWith('conntrack: NEW original'))!.lines[0]).toMatch(/^tcp {6}6 \d+ SYN_SENT src=\S+ dst=10\.96\.110\.110 /);

    // The server's answer, then the reply leg (folded on screen) back through conntrack.
    const app = l.request.find((r) => r.kind === 'app')!;
    expect(app.title).toContain(endpoint);
    expect(app.summary).toMatch(/^answered: HTTP 200/);
    expect(l.reply.length).toBeGreaterThan(0);
    expect(l.reply.every((r) => r.leg === 'reply')).toBe(true);
    expect(l.reply.some((r) => r.kind === 'node' && r.summary.includes('un-NAT src'))).toBe(true);
  });

  it('a connection a NetworkPolicy drops: the ingress verdict is red and says why; no server row', async () => {
    const { traces } = await tracesOf(WEB + DENY_WEB, 'kubectl exec client -- nc -z -w 1 10.96.110.110 80');
    const l = layoutTrace(traces[traces.length - 1]!);
    expect(l.outcome).toMatchObject({ label: 'Timed out', tone: 'bad' });
    const ingress = l.request.find((r) => r.kind === 'policy' && r.title.startsWith('NetworkPolicy ingress'))!;
    expect(ingress).toMatchObject({ tone: 'bad', summary: 'denied (no-rule-allows)' });
    expect(ingress.details[0]!.lines).toContain('isolated by: deny-web');
    expect(ingress.details[0]!.lines[0]).toMatch(/^ingress to default\/web-\S+ denied: isolated by deny-web; no rule allows TCP port 80 from default\/client/);
    expect(l.request.some((r) => r.kind === 'app')).toBe(false);
    expect(l.reply).toEqual([]);
    expect(l.description).toContain('Outcome: Timed out.');
  });

  it('a name that does not exist: the DNS answer NXDOMAIN is the outcome', async () => {
    const { traces } = await tracesOf(WEB, 'kubectl exec client -- nslookup nope');
    expect(traces.length).toBeGreaterThan(1);
    const l = layoutTrace(traces[0]!);
    expect(l.label).toBe('DNS A nope.default.svc.cluster.local.');
    expect(l.outcome).toMatchObject({ label: 'NXDOMAIN', tone: 'bad' });
    expect(l.request.find((r) => r.kind === 'app')!.summary).toMatch(/^answered: DNS NXDOMAIN/);
    expect(l.request.find((r) => r.kind === 'node')!.highlights[0]).toMatch(/^KUBE-SERVICES → KUBE-SVC-/);
  });

  it('IPVS mode: the virtual server and the real server it chose, no KUBE-SVC chain', async () => {
    const { cluster, traces } = await tracesOf(WEB + IPVS_MODE, 'kubectl exec client -- curl -s -o /dev/null web');
    const tcp = traces[traces.length - 1]!;
    const l = layoutTrace(tcp);
    expect(l.outcome.label).toBe('Connected');
    const node = l.request.find((r) => r.kind === 'node')!;
    const endpoint = `${tcp.endpoint!.ip}:${tcp.endpoint!.port}`;
    expect(webEndpoints(cluster)).toContain(endpoint);
    expect(node.highlights).toContain(`IPVS TCP 10.96.110.110:80 → ${endpoint}`);
    expect(node.highlights.some((h) => h.includes('KUBE-SVC-'))).toBe(false);
    expect(node.details.find((d) => d.label === 'IPVS')!.lines).toEqual([`TCP 10.96.110.110:80 → ${endpoint}`]);
    expect(node.summary).toContain(`DNAT 10.96.110.110:80 → ${endpoint}`);
  });

  it('the diagram: one box per request hop, then the outcome, top to bottom without overlap', async () => {
    const { traces } = await tracesOf(WEB, 'kubectl exec client -- curl -s -o /dev/null web');
    const l = layoutTrace(traces[2]!);
    const { boxes, height } = diagramBoxes(l);
    expect(boxes.length).toBe(l.request.length + 1);
    expect(boxes[boxes.length - 1]).toMatchObject({ row: undefined, text: 'Connected', tone: 'ok' });
    for (let i = 1; i < boxes.length; i++) expect(boxes[i]!.y).toBeGreaterThan(boxes[i - 1]!.y + boxes[i - 1]!.h);
    expect(height).toBeGreaterThan(boxes[boxes.length - 1]!.y + boxes[boxes.length - 1]!.h);
    expect(boxes.every((b) => b.text.length <= 36)).toBe(true);
  });
});
