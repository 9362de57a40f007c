/**
 * Cross-check our nftables engine against the real nft (v1.0.6) of this machine. Needs
 * root, `unshare` and nftables (apt-get install nftables). Not run in CI.
 *
 *   npx tsx scripts/dev/nft-crosscheck.ts                  # crosscheck, print a report
 *   npx tsx scripts/dev/nft-crosscheck.ts --report docs/nft-crosscheck.md --fixtures
 *
 * For each case, the same `nft -f` inputs (kube-proxy's transactions, one `nft -f` each, as
 * knftables runs them) go to our nftRun and to the real nft inside a fresh network
 * namespace (`unshare -n`); then `nft list ruleset` and `nft -a list ruleset` of both are
 * diffed. The live-cluster case feeds our own `nft list ruleset` of a node back to the real
 * nft and diffs its listing with ours (our output must be a fixed point of nft's).
 * --fixtures stores inputs and the real listings under src/engine/nftables/testdata, which
 * print.test.ts compares our printer with, offline.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCluster } from '../../src/engine/index';
import type { EndpointSlice, Service } from '../../src/engine/model/types';
import { createNftRuleset, listRuleset, nftRun } from '../../src/engine/nftables/index';
import { detectLocalByCIDR, ipv6SkeletonTransaction, NftablesProxier } from '../../src/engine/proxy/index';

const TESTDATA = join(import.meta.dirname, '../../src/engine/nftables/testdata');
const TRANSCRIPTS = join(import.meta.dirname, '../../tests/transcripts');

function realVersion(): string {
  return execFileSync('nft', ['--version'], { encoding: 'utf8' }).trim();
}

/** Run the inputs through the real nft in a fresh netns; return its two listings. */
function real(inputs: string[]): { list: string; listA: string; errors: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nftx-'));
  const cmds = inputs.map((t, i) => {
    writeFileSync(join(dir, `${i}.nft`), t);
    return `nft -f ${dir}/${i}.nft`;
  });
  const script = `${cmds.join(' && ')} && nft list ruleset > ${dir}/list && nft -a list ruleset > ${dir}/list-a`;
  const r = spawnSync('unshare', ['-n', 'bash', '-c', script], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const read = (f: string): string => { try { return readFileSync(join(dir, f), 'utf8'); } catch { return ''; } };
  return { list: read('list'), listA: read('list-a'), errors: r.stderr };
}

function ours(inputs: string[]): { list: string; listA: string; errors: string } {
  const rs = createNftRuleset();
  let errors = '';
  for (const t of inputs) errors += nftRun(rs, t).stderr;
  return { list: listRuleset(rs), listA: listRuleset(rs, { handles: true }), errors };
}

function diff(a: string, b: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'nftx-'));
  writeFileSync(join(dir, 'real'), a);
  writeFileSync(join(dir, 'ours'), b);
  return spawnSync('diff', ['-u', join(dir, 'real'), join(dir, 'ours')], { encoding: 'utf8' }).stdout;
}

// ---- kube-proxy transactions for synthetic clusters ----

const meta = (ns: string, name: string, labels?: Record<string, string>) => ({ name, namespace: ns, uid: `${ns}-${name}`, resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z', ...(labels ? { labels } : {}) });

function syntheticCluster(n: number, eps: number): { services: Service[]; slices: EndpointSlice[] } {
  const services: Service[] = [];
  const slices: EndpointSlice[] = [];
  for (let i = 0; i < n; i++) {
    const kind = i % 6;
    const spec: Service['spec'] = { clusterIP: `10.96.${i >> 8}.${i & 255}`, ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }] };
    const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: meta('ns' + (i % 7), `svc-${i}`), spec };
    if (kind === 1) Object.assign(spec, { type: 'NodePort', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 30000 + i }] });
    if (kind === 2) Object.assign(spec, { sessionAffinity: 'ClientIP', sessionAffinityConfig: { clientIP: { timeoutSeconds: 600 + i } } });
    if (kind === 3) {
      Object.assign(spec, { type: 'LoadBalancer', externalTrafficPolicy: 'Local', ports: [{ name: 'http', port: 80, protocol: 'TCP', nodePort: 31000 + i }], loadBalancerSourceRanges: ['203.0.113.0/25', '172.18.0.0/16'], healthCheckNodePort: 32000 + i });
      svc.status = { loadBalancer: { ingress: [{ ip: `198.51.100.${i & 255}` }] } };
    }
    if (kind === 4) Object.assign(spec, { externalIPs: [`192.168.99.${i & 255}`] });
    services.push(svc);
    if (i % 11 === 5) continue; // no endpoints
    slices.push({
      apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('ns' + (i % 7), `svc-${i}-x`, { 'kubernetes.io/service-name': `svc-${i}` }), addressType: 'IPv4',
      ports: kind === 1 || kind === 3 ? [{ name: 'http', port: 8080, protocol: 'TCP' }] : [{ name: 'http', port: 8080, protocol: 'TCP' }, { name: 'dns', port: 5353, protocol: 'UDP' }],
      endpoints: Array.from({ length: eps }, (_, e) => ({ addresses: [`10.244.${(i * eps + e) >> 8 & 255}.${(i * eps + e) & 255}`], conditions: { ready: true }, nodeName: e % 2 ? 'worker' : 'worker2' })),
    });
  }
  return { services, slices };
}

function proxierTransactions(n: number, eps: number): string[] {
  let now = 0;
  const p = new NftablesProxier({
    nodeName: 'worker', nodeIP: '172.18.0.3', nodeAddresses: ['127.0.0.1', '172.18.0.3'], localDetector: detectLocalByCIDR('10.244.0.0/16'),
    nodePortAddresses: ['primary'], serviceCIDRs: ['10.96.0.0/12'], now: () => now,
  });
  const { services, slices } = syntheticCluster(n, eps);
  for (const s of services) p.onServiceAdd(s);
  for (const s of slices) p.onEndpointSliceAdd(s);
  const out: string[] = [p.sync().transaction];
  // A partial sync: one Service gone, one with an endpoint fewer.
  p.onServiceDelete(services[0]!);
  const s2 = slices[2]!;
  p.onEndpointSliceUpdate(s2, { ...s2, endpoints: (s2.endpoints ?? []).slice(1) });
  now = 500;
  out.push(p.sync().transaction);
  // Two seconds later: the stale chains are deleted.
  now = 3000;
  const r = p.sync();
  if (r.cleanup) out.push(r.cleanup);
  out.push(r.transaction);
  return out.filter((t) => t !== '');
}

// ---- the cases ----

interface Case {
  name: string;
  inputs: string[];
  /** Fixture file stem under testdata (with --fixtures). */
  fixture?: string;
  /** The input is our own listing: compare the real listing with it (no -a: handles differ). */
  roundtrip?: boolean;
}

function transcriptCluster(): string {
  const manifests = readFileSync(join(TRANSCRIPTS, 'manifests/kube-proxy-nftables.yaml'), 'utf8');
  const c = createCluster({ seed: 1, manifests });
  c.tick(5000);
  const h = c.node('worker');
  if (!h.ok) throw new Error('no worker');
  return listRuleset(h.value.nft, {});
}

const cases: Case[] = [
  { name: 'kube-proxy-sample.nft: hand-written rules of every kind kube-proxy writes, and learner-style ones', inputs: [readFileSync(join(TESTDATA, 'kube-proxy-sample.nft'), 'utf8')] },
  { name: 'kube-proxy transactions, 12 Services (NodePort, ClientIP affinity, LoadBalancer with source ranges and Local policy, external IPs, no endpoints) x 2 endpoints: full sync, partial sync, stale-chain cleanup', inputs: proxierTransactions(12, 2), fixture: 'proxier-small' },
  { name: 'kube-proxy transactions, 300 Services x 5 endpoints', inputs: proxierTransactions(300, 5) },
  { name: 'the IPv6 proxier of dual-stack kube-proxy in an IPv4 cluster: `ip6 kube-proxy`, its first and a later full sync', inputs: [ipv6SkeletonTransaction('0x00004000', true), ipv6SkeletonTransaction('0x00004000', false)] },
  { name: 'the transcript cluster (tests/transcripts/manifests/kube-proxy-nftables.yaml), node worker: our `nft list ruleset` fed back to the real nft', inputs: [transcriptCluster()], fixture: 'transcript-worker', roundtrip: true },
];

function main(): void {
  const args = process.argv.slice(2);
  const reportFile = args.includes('--report') ? args[args.indexOf('--report') + 1] : undefined;
  const fixtures = args.includes('--fixtures');
  let report = `# nftables crosscheck: our nft vs the real one\n\nGenerated by \`npx tsx scripts/dev/nft-crosscheck.ts --report docs/nft-crosscheck.md --fixtures\` against \`${realVersion()}\` (Debian bookworm's nftables, the nft of kind's node image) in a fresh network namespace per case (\`unshare -n\`). Needs root, \`unshare\` and \`nftables\`.\n\nFor each case the same \`nft -f\` inputs (one \`nft -f\` per kube-proxy transaction, as knftables runs them) go to our \`nftRun\` and to the real \`nft\`; then \`nft list ruleset\` and \`nft -a list ruleset\` are diffed (\`-a\` shows that handles are handed out as the kernel does).\n`;
  let failed = false;
  for (const c of cases) {
    const r = real(c.inputs);
    const o = c.roundtrip ? { list: c.inputs[0]!, listA: r.listA, errors: '' } : ours(c.inputs);
    const lines = r.list.split('\n').length - 1;
    const d = diff(r.list, o.list);
    const dA = diff(r.listA, o.listA);
    const ok = !d && !dA && !r.errors && !o.errors;
    failed ||= !ok;
    report += `\n## ${c.name}\n\n\`\`\`\n$ nft -f … (${c.inputs.length} transaction${c.inputs.length > 1 ? 's' : ''}, ${c.inputs.reduce((n, t) => n + t.split('\n').length - 1, 0)} lines) && nft list ruleset | diff -u - ours   # ${lines} lines\n`;
    report += ok ? `(no differences: the real nft lists exactly what we list${c.roundtrip ? '' : ', with -a too'})\n` : `${r.errors}${o.errors}${d}${dA}`;
    report += '```\n';
    console.log(`${ok ? 'ok  ' : 'DIFF'} ${c.name}`);
    if (!ok) console.log(r.errors + o.errors + d + dA);
    if (fixtures && c.fixture) {
      writeFileSync(join(TESTDATA, `${c.fixture}.nft`), c.inputs.join('\n# next transaction\n'));
      writeFileSync(join(TESTDATA, `${c.fixture}.list`), r.list);
      if (!c.roundtrip) writeFileSync(join(TESTDATA, `${c.fixture}.list-a`), r.listA);
    }
  }
  if (reportFile) writeFileSync(reportFile, report);
  process.exitCode = failed ? 1 : 0;
}

main();
