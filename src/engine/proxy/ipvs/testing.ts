/**
 * Test helpers mirroring upstream's pkg/proxy/ipvs/proxier_test.go: NewFakeProxier (node
 * "test-node", no-op local detector, rr), and the checks it uses — the IPVS state as
 * upstream's FakeIPVS holds it, checkIPSet, and checkIptables/getRules (the rules of one
 * chain name, nat table first, then filter, reduced to jump target and match-set).
 */
import type { EndpointSlice, Service } from '../../model/types';
import type { IpvsProxierOptions, IpvsSyncResult } from './proxier';
import { IpvsProxier } from './proxier';

export const testNodeName = 'test-node';

export class FakeIpvsProxier {
  proxier: IpvsProxier;
  last!: IpvsSyncResult;
  constructor(nodeIPs: string[] = [], over: Partial<IpvsProxierOptions> = {}) {
    this.proxier = new IpvsProxier({
      nodeName: testNodeName,
      nodeIP: nodeIPs[0] ?? '',
      nodeAddresses: nodeIPs,
      masqueradeMark: '0x4000',
      hasRandomFully: false,
      ...over,
    });
  }
  services(...svcs: Service[]): void {
    for (const s of svcs) this.proxier.onServiceAdd(s);
  }
  slices(...slices: EndpointSlice[]): void {
    for (const s of slices) this.proxier.onEndpointSliceAdd(s);
  }
  sync(): IpvsSyncResult {
    this.last = this.proxier.sync();
    return this.last;
  }
}

/** FakeIPVS: "ip:port/PROTO" → the virtual server, with "ip:port weight" destinations. */
export function ipvsState(r: IpvsSyncResult): Record<string, { scheduler: string; flags: number; timeout: number; rs: string[] }> {
  const out: Record<string, { scheduler: string; flags: number; timeout: number; rs: string[] }> = {};
  for (const vs of [...r.virtualServers].sort((a, b) => (a.address + a.port < b.address + b.port ? -1 : 1))) {
    out[`${vs.address}:${vs.port}/${vs.protocol}`] = {
      scheduler: vs.scheduler,
      flags: vs.flags,
      timeout: vs.timeout,
      rs: vs.realServers.map((rs) => `${rs.address}:${rs.port} ${rs.weight}`),
    };
  }
  return out;
}

/** The real servers of one virtual server as Destination.String() ("ip:port"). */
export function realServers(r: IpvsSyncResult, key: string): string[] {
  const vs = r.virtualServers.find((v) => `${v.address}:${v.port}/${v.protocol}` === key);
  if (!vs) throw new Error(`no virtual server ${key}`);
  return vs.realServers.map((rs) => `${rs.address}:${rs.port}`);
}

/** checkIPSet: the entries of one set, sorted. */
export function ipsetEntries(r: IpvsSyncResult, name: string): string[] {
  return [...(r.ipsets.find((s) => s.name === name)?.entries ?? [])].sort();
}

export interface ExpectedRule {
  jump: string;
  matchSet?: string;
  source?: string;
}

/** getRules: the rules of `chain` in the restore input, nat first, then filter. */
export function getRules(restore: string, chain: string): ExpectedRule[] {
  const out: ExpectedRule[] = [];
  for (const line of restore.split('\n')) {
    if (!line.startsWith(`-A ${chain} `)) continue;
    const jump = / -j (\S+)/.exec(line)![1]!;
    const set = / --match-set (\S+)/.exec(line)?.[1];
    const src = / -s (\S+)/.exec(line)?.[1];
    out.push({ jump, ...(set ? { matchSet: set } : {}), ...(src ? { source: src } : {}) });
  }
  return out;
}
