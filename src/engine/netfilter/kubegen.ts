/**
 * Test and bench support: an iptables-restore text shaped like kube-proxy's (iptables mode,
 * pkg/proxy/iptables/proxier.go) for N Services with E endpoints each — the chains, comments,
 * probabilities, masquerade marks, affinity (`recent`) and filter rules a real node carries.
 * Chain-name suffixes are stand-ins (the proxier computes the real hashes).
 */
import { formatIPv4 } from './addr';

const B32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function fakeHash(seed: number): string {
  let x = (seed * 2654435761) >>> 0;
  let s = '';
  for (let i = 0; i < 16; i++) {
    x = (Math.imul(x ^ (x >>> 15), 2246822519) + i * 3266489917) >>> 0;
    s += B32[x & 31];
  }
  return s;
}

export interface KubeGenOptions {
  services: number;
  endpoints: number;
  /** Every k-th Service gets ClientIP affinity (recent rules). 0 = none. */
  affinityEvery?: number;
  /** Every k-th Service has no endpoints (REJECT in filter). 0 = none. */
  noEndpointsEvery?: number;
}

export interface KubeGenService {
  name: string;
  clusterIP: string;
  port: number;
  svcChain: string;
  endpoints: { ip: string; port: number; sepChain: string }[];
}

export function kubeServices(o: KubeGenOptions): KubeGenService[] {
  const out: KubeGenService[] = [];
  for (let i = 0; i < o.services; i++) {
    const clusterIP = formatIPv4((0x0a600000 + 10 + i) >>> 0); // 10.96.0.10 + i
    const none = o.noEndpointsEvery ? i % o.noEndpointsEvery === o.noEndpointsEvery - 1 : false;
    const endpoints = none ? [] : Array.from({ length: o.endpoints }, (_, e) => {
      const ip = formatIPv4((0x0af40000 + ((i * o.endpoints + e) % 65000) + 2) >>> 0); // 10.244.x.y
      return { ip, port: 8080, sepChain: `KUBE-SEP-${fakeHash(i * 1000 + e + 1)}` };
    });
    out.push({ name: `default/svc${i}:http`, clusterIP, port: 80, svcChain: `KUBE-SVC-${fakeHash(i + 7_000_000)}`, endpoints });
  }
  return out;
}

/** The full first-sync restore text (filter + nat), as kube-proxy writes it. */
export function kubeRestoreText(o: KubeGenOptions): string {
  const svcs = kubeServices(o);
  const filter: string[] = [
    '*filter',
    ':KUBE-NODEPORTS - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-EXTERNAL-SERVICES - [0:0]',
    ':KUBE-FIREWALL - [0:0]', ':KUBE-FORWARD - [0:0]', ':KUBE-PROXY-FIREWALL - [0:0]',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
    '-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A INPUT -j KUBE-FIREWALL',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
    '-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -j KUBE-FIREWALL',
    '-A KUBE-FIREWALL ! -s 127.0.0.0/8 -d 127.0.0.0/8 -m comment --comment "block incoming localnet connections" -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP',
    '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT',
    '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
  ];
  const nat: string[] = [
    '*nat',
    ':KUBE-NODEPORTS - [0:0]', ':KUBE-SERVICES - [0:0]', ':KUBE-MARK-MASQ - [0:0]', ':KUBE-POSTROUTING - [0:0]',
  ];
  const natRules: string[] = [
    '-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
    '-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
    '-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000',
    '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN',
    '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000',
    '-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully',
  ];
  const svcRules: string[] = [];
  const perSvc: string[] = [];
  for (const [i, s] of svcs.entries()) {
    const affinity = o.affinityEvery ? i % o.affinityEvery === 0 : false;
    if (s.endpoints.length === 0) {
      filter.push(`-A KUBE-SERVICES -d ${s.clusterIP}/32 -p tcp -m comment --comment "${s.name} has no endpoints" -m tcp --dport ${s.port} -j REJECT --reject-with icmp-port-unreachable`);
      continue;
    }
    nat.push(`:${s.svcChain} - [0:0]`);
    svcRules.push(`-A KUBE-SERVICES -d ${s.clusterIP}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j ${s.svcChain}`);
    perSvc.push(`-A ${s.svcChain} ! -s 10.244.0.0/16 -d ${s.clusterIP}/32 -p tcp -m comment --comment "${s.name} cluster IP" -m tcp --dport ${s.port} -j KUBE-MARK-MASQ`);
    const n = s.endpoints.length;
    if (affinity) {
      for (const e of s.endpoints) {
        perSvc.push(`-A ${s.svcChain} -m comment --comment "${s.name} -> ${e.ip}:${e.port}" -m recent --name ${e.sepChain} --mask 255.255.255.255 --rsource --rcheck --seconds 10800 --reap -j ${e.sepChain}`);
      }
    }
    s.endpoints.forEach((e, k) => {
      nat.push(`:${e.sepChain} - [0:0]`);
      const left = n - k;
      const prob = left > 1 ? ` -m statistic --mode random --probability ${(1 / left).toFixed(10)}` : '';
      perSvc.push(`-A ${s.svcChain} -m comment --comment "${s.name} -> ${e.ip}:${e.port}"${prob} -j ${e.sepChain}`);
      perSvc.push(`-A ${e.sepChain} -s ${e.ip}/32 -m comment --comment ${s.name} -j KUBE-MARK-MASQ`);
      const rec = affinity ? ` -m recent --set --name ${e.sepChain} --mask 255.255.255.255 --rsource` : '';
      perSvc.push(`-A ${e.sepChain} -p tcp -m comment --comment ${s.name}${rec} -m tcp -j DNAT --to-destination ${e.ip}:${e.port}`);
    });
  }
  svcRules.push('-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS');
  return [...filter, 'COMMIT', ...nat, ...natRules, ...svcRules, ...perSvc, 'COMMIT', ''].join('\n');
}
