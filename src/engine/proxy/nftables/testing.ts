/**
 * Test helpers after upstream's pkg/proxy/nftables tests: a knftables.Fake-like store that
 * applies transaction text as knftables' fake does (objects and rule text as written), and
 * a comparison that reads upstream's expected dumps the way assertNFTablesTransactionEqual
 * does: object lines as a set, each chain's rules in order. Used by tests only.
 */
import { expect } from 'vitest';
import { detectLocalByCIDR } from '../config';
import { NftablesProxier, type NftablesProxierOptions, type NftablesSyncResult } from './proxier';
import { makeTestEndpointSlice, makeTestService, testNodeIP, testNodeIPAlt, testNodeName } from '../iptables/testing';

export { makeTestEndpointSlice, makeTestService };

const OBJ = /^(add|delete|flush) (table|chain|set|map|element|rule) ip kube-proxy ?(\S*)(.*)$/;

/** What knftables.Fake would hold after running the transactions. */
export class FakeNft {
  decls = new Map<string, string>();
  rules = new Map<string, string[]>();
  elements = new Map<string, Map<string, string>>();
  run(text: string): void {
    for (const line of text.split('\n')) {
      if (!line) continue;
      const m = OBJ.exec(line);
      if (!m) throw new Error(`unparsed: ${line}`);
      const [, verb, kind, name, rest] = m as unknown as [string, string, string, string, string];
      const id = `${kind === 'map' ? 'set' : kind} ${name}`;
      if (kind === 'table') {
        if (verb === 'add') this.decls.set('table', line);
        continue;
      }
      if (kind === 'rule') {
        this.rules.get(name)!.push(rest.trim());
        continue;
      }
      if (kind === 'element') {
        const body = rest.trim().replace(/^\{ | \}$/g, '');
        const key = body.replace(/ comment ".*"/, '').split(' : ')[0]!;
        const els = this.elements.get(name)!;
        if (verb === 'add') els.set(key, line);
        else els.delete(key);
        continue;
      }
      if (verb === 'add') {
        if (!this.decls.has(id)) this.decls.set(id, line);
        if (kind === 'chain' && !this.rules.has(name)) this.rules.set(name, []);
        if (kind !== 'chain' && !this.elements.has(name)) this.elements.set(name, new Map());
      } else if (verb === 'flush') {
        if (kind === 'chain') this.rules.set(name, []);
        else this.elements.get(name)!.clear();
      } else {
        this.decls.delete(id);
        if (kind === 'chain') this.rules.delete(name);
        else this.elements.delete(name);
      }
    }
  }
  /** Object lines (table, chains, sets, maps, elements), sorted, and each chain's rules. */
  dump(): { objects: string[]; rules: Record<string, string[]> } {
    const objects = [...this.decls.values()];
    for (const els of this.elements.values()) objects.push(...els.values());
    const rules: Record<string, string[]> = {};
    for (const [c, rs] of this.rules) if (rs.length) rules[c] = rs;
    return { objects: objects.sort(), rules };
  }
}

/** Upstream's expected text read the same way. */
export function parseExpected(text: string): { objects: string[]; rules: Record<string, string[]> } {
  const objects: string[] = [];
  const rules: Record<string, string[]> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const r = /^add rule ip kube-proxy (\S+) (.*)$/.exec(line);
    if (r) (rules[r[1]!] ??= []).push(r[2]!);
    else objects.push(line);
  }
  return { objects: objects.sort(), rules };
}

export class FakeNftProxier {
  nft = new FakeNft();
  proxier: NftablesProxier;
  last!: NftablesSyncResult;
  constructor(over: Partial<NftablesProxierOptions> = {}) {
    this.proxier = new NftablesProxier({
      nodeName: testNodeName,
      nodeIP: testNodeIP,
      nodeAddresses: ['127.0.0.1', testNodeIP, testNodeIPAlt, '192.168.99.11'],
      localDetector: detectLocalByCIDR('10.0.0.0/8'),
      masqueradeMark: '0x4000',
      nodePortAddresses: [`${testNodeIP}/32`],
      serviceCIDRs: ['172.30.0.0/16'],
      existingChains: () => this.nft.rules.keys(),
      existingSets: () => [...this.nft.decls.keys()].filter((k) => k.startsWith('set ')).map((k) => k.slice(4)),
      ...over,
    });
  }
  sync(): NftablesSyncResult {
    this.last = this.proxier.sync();
    this.nft.run(this.last.cleanup);
    this.nft.run(this.last.transaction);
    return this.last;
  }
  expectDump(expected: string): void {
    expect(this.nft.dump()).toEqual(parseExpected(expected));
  }
}
