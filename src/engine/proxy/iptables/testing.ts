/**
 * Test helpers ported from upstream's pkg/proxy/iptables/proxier_test.go and
 * pkg/util/iptables/testing: the dump parser, sortIPTablesRules (the normalisation
 * upstream applies before comparing with its expected dumps), a fake iptables that
 * applies restore input with --noflush semantics, and the packet tracer behind
 * runPacketFlowTests. Used by tests only.
 */
import { expect } from 'vitest';
import type { EndpointSlice, Service } from '../../model/types';
import { detectLocalByCIDR, type ProxierOptions } from '../config';
import { IptablesProxier, type IptablesSyncResult } from './proxier';

export interface DumpRule {
  raw: string;
  words: string[];
}
export interface DumpChain {
  name: string;
  rules: DumpRule[];
  deleted: boolean;
}
export interface DumpTable {
  name: string;
  chains: DumpChain[];
}

/** Split a rule into words; a quoted string is one word (quotes removed). */
export function ruleWords(rule: string): string[] {
  return [...rule.matchAll(/(?:^|\s)("[^"]*"|[^"\s]\S*)/g)].map((m) => m[1]!.replace(/^"|"$/g, ''));
}

/** ParseIPTablesDump. */
export function parseDump(data: string): DumpTable[] {
  const tables: DumpTable[] = [];
  let t: DumpTable | undefined;
  let inChainDecls = false;
  for (const rawLine of data.replace(/^\n+|\n+$/g, '').split('\n')) {
    const line = rawLine.trim();
    if (line === '' || line.startsWith('#')) continue;
    if (!t) {
      if (!line.startsWith('*')) throw new Error(`table starts with ${line}`);
      t = { name: line.slice(1), chains: [] };
      tables.push(t);
      inChainDecls = true;
      continue;
    }
    const decl = /^:([^ ]*) - \[\d+:\d+\]$/.exec(line);
    if (inChainDecls && decl) {
      t.chains.push({ name: decl[1]!, rules: [], deleted: false });
      continue;
    }
    inChainDecls = false;
    if (line === 'COMMIT') {
      t = undefined;
      continue;
    }
    const add = /^-A (\S+) /.exec(line);
    const del = /^-X (.*)$/.exec(line);
    const name = add?.[1] ?? del?.[1];
    const chain = t.chains.find((c) => c.name === name);
    if (!chain) throw new Error(`no such chain ${name} for ${line}`);
    if (add) chain.rules.push({ raw: line, words: ruleWords(line) });
    else if (del) chain.deleted = true;
    else throw new Error(`cannot parse ${line}`);
  }
  return tables;
}

export function dumpString(tables: DumpTable[]): string {
  let out = '';
  for (const t of tables) {
    out += `*${t.name}\n`;
    for (const c of t.chains) out += `:${c.name} - [0:0]\n`;
    for (const c of t.chains) for (const r of c.rules) out += `${r.raw}\n`;
    for (const c of t.chains) if (c.deleted) out += `-X ${c.name}\n`;
    out += 'COMMIT\n';
  }
  return out;
}

function comment(r: DumpRule): string | undefined {
  const i = r.words.indexOf('--comment');
  return i >= 0 ? r.words[i + 1] : undefined;
}

function commentServiceName(r: DumpRule): string | undefined {
  const c = comment(r);
  if (c === undefined) return undefined;
  const i = c.search(/[ :]/);
  return i === -1 ? c : c.slice(0, i);
}

/** orderByCommentServiceName as a comparator for a stable sort. */
function byServiceName(a: DumpRule, b: DumpRule): number {
  const x = commentServiceName(a);
  const y = commentServiceName(b);
  if (x === undefined || y === undefined) return 0;
  return x < y ? -1 : x > y ? 1 : 0;
}

/** sortIPTablesRules: the normalisation upstream applies to the proxier's output. */
export function sortIPTablesRules(data: string): string {
  const tables = parseDump(data);
  tables.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const t of tables) {
    t.chains.sort((a, b) => {
      const rank = (c: DumpChain): number => (c.name === 'KUBE-NODEPORTS' ? 0 : c.name === 'KUBE-SERVICES' ? 1 : c.name.startsWith('KUBE-') ? 2 : 3);
      const ra = rank(a);
      const rb = rank(b);
      if (ra !== rb) return ra - rb;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
    for (const c of t.chains) {
      if (c.name === 'KUBE-NODEPORTS' || (c.name === 'KUBE-SERVICES' && t.name === 'filter')) c.rules.sort(byServiceName);
      if (c.name === 'KUBE-SERVICES' && t.name === 'nat') {
        const last = (r: DumpRule): boolean => (comment(r) ?? '').includes('must be the last rule');
        c.rules.sort((a, b) => (last(a) === last(b) ? byServiceName(a, b) : last(a) ? 1 : -1));
      }
    }
  }
  return dumpString(tables);
}

/** dedent for expected dumps written as indented template literals. */
export function dedent(text: string): string {
  const lines = text.replace(/^\n/, '').split('\n');
  const indent = Math.min(...lines.filter((l) => l.trim()).map((l) => /^\s*/.exec(l)![0].length));
  return lines.map((l) => l.slice(indent)).join('\n').replace(/[ \t]+$/, '');
}

/** The rules of one chain of a restore input, one per line (assertIPTablesChainEqual). */
export function chainRules(data: string, table: string, chain: string): string {
  const t = parseDump(data).find((x) => x.name === table);
  const c = t?.chains.find((x) => x.name === chain);
  return c ? c.rules.map((r) => r.raw + '\n').join('') : '';
}

/** A node's tables, updated the way `iptables-restore --noflush` and `iptables -I` do. */
export class FakeIPTables {
  tables = new Map<string, Map<string, DumpRule[]>>();

  constructor() {
    for (const [t, chains] of [
      ['filter', ['INPUT', 'FORWARD', 'OUTPUT']],
      ['nat', ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING']],
      ['mangle', ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING']],
    ] as const) {
      this.tables.set(t, new Map(chains.map((c) => [c, []])));
    }
  }

  apply(result: IptablesSyncResult): void {
    for (const { table, chain } of result.ensureChains) {
      const t = this.tables.get(table)!;
      if (!t.has(chain)) t.set(chain, []);
    }
    for (const r of result.ensureRules) {
      const rules = this.tables.get(r.table)!.get(r.chain)!;
      if (!rules.some((x) => x.raw === r.rule)) rules.unshift({ raw: r.rule, words: ruleWords(r.rule) });
    }
    this.restore(result.restore);
  }

  restore(data: string): void {
    for (const t of parseDump(data)) {
      const table = this.tables.get(t.name)!;
      for (const c of t.chains) table.set(c.name, []);
      for (const c of t.chains) table.get(c.name)!.push(...c.rules);
      for (const c of t.chains) if (c.deleted) table.delete(c.name);
    }
  }

  chains(table: string): string[] {
    return [...this.tables.get(table)!.keys()];
  }
}

// ---- the packet tracer (tracePacket / runPacketFlowTests) ----

function value(words: string[], param: string): { negated: boolean; value: string } | undefined {
  for (let i = 0; i < words.length; i++) {
    if (words[i] === param) return { negated: words[i - 1] === '!', value: words[i + 1] ?? '' };
  }
  return undefined;
}

function addressMatches(v: { negated: boolean; value: string }, ip: string): boolean {
  const toNum = (s: string): number => s.split('.').reduce((n, p) => n * 256 + Number(p), 0);
  let matches: boolean;
  if (v.value.includes('/')) {
    const [base, bits] = v.value.split('/');
    const size = 2 ** (32 - Number(bits));
    const b = toNum(base!);
    matches = toNum(ip) >= b && toNum(ip) < b + size;
  } else matches = v.value === ip;
  return v.negated ? !matches : matches;
}

export interface PacketFlowTest {
  name: string;
  sourceIP: string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
  destIP: string;
  destPort: number;
  output: string;
  masq?: boolean;
}

export class Tracer {
  matches: string[] = [];
  outputs: string[] = [];
  markMasq = false;
  private local: Set<string>;
  constructor(private ipt: FakeIPTables, nodeIPs: string[]) {
    this.local = new Set(['127.0.0.1', ...nodeIPs]);
  }

  private ruleMatches(r: DumpRule, src: string, proto: string, dst: string, dport: string): boolean {
    const w = r.words;
    const s = value(w, '-s');
    if (s && !addressMatches(s, src)) return false;
    const st = value(w, '--src-type');
    if (st && (st.value === (this.local.has(src) ? 'LOCAL' : 'not-matched')) === st.negated) return false;
    const p = value(w, '-p');
    if (p && (p.value === proto) === p.negated) return false;
    const d = value(w, '-d');
    if (d && !addressMatches(d, dst)) return false;
    const dt = value(w, '--dst-type');
    if (dt && (dt.value === (this.local.has(dst) ? 'LOCAL' : 'not-matched')) === dt.negated) return false;
    const dp = value(w, '--dport');
    if (dp && (dp.value === dport) === dp.negated) return false;
    // Anything checking past state (affinity, marks, conntrack) does not match.
    if (w.includes('--rcheck') || w.includes('--mark') || w.includes('--ctstate')) return false;
    return true;
  }

  runChain(table: string, chain: string, src: string, proto: string, dst: string, dport: string): boolean {
    const rules = this.ipt.tables.get(table)?.get(chain);
    if (!rules) return false;
    for (const r of rules) {
      const jump = value(r.words, '-j');
      if (!jump) continue;
      if (!this.ruleMatches(r, src, proto, dst, dport)) continue;
      this.matches.push(r.raw);
      switch (jump.value) {
        case 'KUBE-MARK-MASQ':
          this.markMasq = true;
          continue;
        case 'ACCEPT':
        case 'REJECT':
        case 'DROP':
          this.outputs.push(jump.value);
          return true;
        case 'DNAT':
          this.outputs.push(value(r.words, '--to-destination')!.value);
          return true;
        default: {
          const terminated = this.runChain(table, jump.value, src, proto, dst, dport);
          if (terminated && !r.words.includes('--probability')) return true;
        }
      }
    }
    return false;
  }
}

/** tracePacket: nat PREROUTING, then the kube-proxy filter chains. */
export function tracePacket(ipt: FakeIPTables, t: PacketFlowTest, nodeIPs: string[]): { output: string; masq: boolean; matches: string[] } {
  const proto = (t.protocol ?? 'TCP').toLowerCase();
  const tracer = new Tracer(ipt, nodeIPs);
  let dst = t.destIP;
  const dport = String(t.destPort);
  tracer.runChain('nat', 'PREROUTING', t.sourceIP, proto, dst, dport);
  if (tracer.outputs.length) dst = tracer.outputs[0]!.split(':')[0]!;
  for (const c of ['KUBE-SERVICES', 'KUBE-EXTERNAL-SERVICES', 'KUBE-NODEPORTS', 'KUBE-PROXY-FIREWALL']) {
    tracer.runChain('filter', c, t.sourceIP, proto, dst, dport);
  }
  return { output: tracer.outputs.join(', '), masq: tracer.markMasq, matches: tracer.matches };
}

// ---- object builders (makeTestService / makeTestEndpointSlice) ----

const meta = (namespace: string, name: string, labels?: Record<string, string>) => ({
  name,
  namespace,
  uid: `${namespace}-${name}`,
  resourceVersion: '1',
  creationTimestamp: '2026-01-01T00:00:00Z',
  ...(labels ? { labels } : {}),
});

export function makeTestService(namespace: string, name: string, f: (svc: Service) => void): Service {
  const svc: Service = { apiVersion: 'v1', kind: 'Service', metadata: meta(namespace, name), spec: {}, status: {} };
  f(svc);
  return svc;
}

export function makeTestEndpointSlice(namespace: string, name: string, sliceNum: number, f: (eps: EndpointSlice) => void): EndpointSlice {
  const eps: EndpointSlice = {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: meta(namespace, `${name}-${sliceNum}`, { 'kubernetes.io/service-name': name }),
    addressType: 'IPv4',
    endpoints: [],
    ports: [],
  };
  f(eps);
  return eps;
}

// ---- NewFakeProxier and friends ----

export const testNodeName = 'test-node';
export const testNodeIP = '192.168.0.2';
export const testNodeIPAlt = '192.168.1.2';
const testExternalIP = '192.168.99.11';
export const testExternalClient = '203.0.113.2';
export const testExternalClientBlocked = '203.0.113.130';
const testNodeIPs = [testNodeIP, testNodeIPAlt, testExternalIP];

export class FakeProxier {
  ipt = new FakeIPTables();
  proxier: IptablesProxier;
  last!: IptablesSyncResult;
  constructor(over: Partial<ProxierOptions> = {}) {
    this.proxier = new IptablesProxier({
      nodeName: testNodeName,
      nodeIP: testNodeIP,
      nodeAddresses: ['127.0.0.1', testNodeIP, testNodeIPAlt, testExternalIP],
      localDetector: detectLocalByCIDR('10.0.0.0/8'),
      masqueradeMark: '0x4000',
      localhostNodePorts: true,
      nfacct: true,
      hasRandomFully: false,
      // Like upstream, stale chains are found by reading the node's nat table.
      existingNatChains: () => this.ipt.chains('nat'),
      ...over,
    });
  }
  services(...svcs: Service[]): void {
    for (const s of svcs) this.proxier.onServiceAdd(s);
  }
  slices(...slices: EndpointSlice[]): void {
    for (const s of slices) this.proxier.onEndpointSliceAdd(s);
  }
  sync(apply = true): string {
    this.last = this.proxier.sync();
    if (apply) this.ipt.apply(this.last);
    return this.last.restore;
  }
  flows(tests: PacketFlowTest[]): void {
    for (const t of tests) {
      const r = tracePacket(this.ipt, t, testNodeIPs);
      expect({ name: t.name, output: r.output, masq: r.masq }, r.matches.join('\n')).toEqual({ name: t.name, output: t.output, masq: t.masq ?? false });
    }
  }
}

export function expectRules(expected: string, result: string): void {
  expect(sortIPTablesRules(result)).toBe(dedent(expected));
}

export const tcpPort = (name: string, port: number, extra: Record<string, unknown> = {}) => ({ name, port, protocol: 'TCP' as const, ...extra });
export const epPort = (name: string, port: number, protocol: 'TCP' | 'UDP' | 'SCTP' = 'TCP') => ({ name, port, protocol });

