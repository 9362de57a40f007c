/**
 * What a kind node's netfilter holds before kube-proxy starts, written through the same
 * parser the node's `iptables-restore` and `iptables` use.
 *
 * 1. Docker's embedded DNS (libnetwork resolver_unix.go setupIPTable): DOCKER_OUTPUT and
 *    DOCKER_POSTROUTING in nat, DNAT of port 53 to the resolver's random ports on
 *    127.0.0.11 (udp inserted first, then tcp, each with -I: tcp ends up first), then kind's
 *    entrypoint (images/base/files/usr/local/bin/entrypoint, enable_network_magic) pipes
 *    iptables-save through sed: `-d 127.0.0.11` becomes `-d <docker gateway>`, every
 *    `-A OUTPUT … -j DOCKER_OUTPUT` gets a PREROUTING twin (pods' DNS to the gateway), and
 *    `--to-source :53` becomes `--to-source <gateway>:53`. The two resolver ports are random
 *    on a real node; here they come from the node's seeded PRNG.
 * 2. kindnet's ip-masq-agent (kindnetd masq.go SyncRules): KIND-MASQ-AGENT in nat, RETURN
 *    for the pod subnet, MASQUERADE for the rest, jumped to from POSTROUTING for non-LOCAL
 *    destinations — appended (go-iptables AppendUnique: -C, then -A), with kindnet's
 *    comments. Only with `cni: kindnet`.
 *
 * 3. The kubelet's own chains (pkg/kubelet/kubelet_network_linux.go, after KEP-3178 went
 *    GA): KUBE-IPTABLES-HINT in mangle (tells other components which iptables backend is in
 *    use), KUBE-FIREWALL in filter with the "block incoming localnet connections" rule and
 *    INPUT/OUTPUT jumps prepended, then ipt.Monitor's KUBE-KUBELET-CANARY in mangle, nat and
 *    filter. The kubelet starts before any pod, so before kube-proxy and kindnet.
 *    kube-proxy's iptables mode writes an identical KUBE-FIREWALL and finds the jumps there.
 *
 * Not modelled: the kubelet's canary monitor (see syncKubeletIptables); ip6tables (the kubelet does the same for IPv6, without KUBE-FIREWALL); the
 * raw table stays empty (iptables-nft creates a table only when something is written to it).
 */
import { iptables, iptablesRestore } from '../netfilter';
import type { NodeHost } from './host';

/** Linux's default ip_local_port_range (32768–60999), where docker's resolver ports fall. */
function ephemeralPort(host: NodeHost): number {
  return 32768 + Math.floor(host.rng.next() * (60999 - 32768 + 1));
}

export function dockerDnsRules(gateway: string, tcpPort: number, udpPort: number): string {
  return [
    '*nat',
    ':PREROUTING ACCEPT [0:0]',
    ':INPUT ACCEPT [0:0]',
    ':OUTPUT ACCEPT [0:0]',
    ':POSTROUTING ACCEPT [0:0]',
    ':DOCKER_OUTPUT - [0:0]',
    ':DOCKER_POSTROUTING - [0:0]',
    `-A OUTPUT -d ${gateway}/32 -j DOCKER_OUTPUT`,
    `-A PREROUTING -d ${gateway}/32 -j DOCKER_OUTPUT`,
    `-A POSTROUTING -d ${gateway}/32 -j DOCKER_POSTROUTING`,
    `-A DOCKER_OUTPUT -d ${gateway}/32 -p tcp -m tcp --dport 53 -j DNAT --to-destination 127.0.0.11:${tcpPort}`,
    `-A DOCKER_OUTPUT -d ${gateway}/32 -p udp -m udp --dport 53 -j DNAT --to-destination 127.0.0.11:${udpPort}`,
    `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p tcp -m tcp --sport ${tcpPort} -j SNAT --to-source ${gateway}:53`,
    `-A DOCKER_POSTROUTING -s 127.0.0.11/32 -p udp -m udp --sport ${udpPort} -j SNAT --to-source ${gateway}:53`,
    'COMMIT',
    '',
  ].join('\n');
}

export const KIND_MASQ_CHAIN = 'KIND-MASQ-AGENT';

/** kindnetd's SyncRules, as iptables argv (each applied with -C, then -A if missing). */
export function kindMasqAgentRules(noMasqueradeCIDRs: string[]): { chain: string; args: string[] }[] {
  return [
    ...noMasqueradeCIDRs.map((cidr) => ({ chain: KIND_MASQ_CHAIN, args: ['-d', cidr, '-j', 'RETURN', '-m', 'comment', '--comment', 'kind-masq-agent: local traffic is not subject to MASQUERADE'] })),
    { chain: KIND_MASQ_CHAIN, args: ['-j', 'MASQUERADE', '-m', 'comment', '--comment', 'kind-masq-agent: outbound traffic is subject to MASQUERADE (must be last in chain)'] },
    { chain: 'POSTROUTING', args: ['-m', 'addrtype', '!', '--dst-type', 'LOCAL', '-j', KIND_MASQ_CHAIN, '-m', 'comment', '--comment', 'kind-masq-agent: ensure nat POSTROUTING directs all non-LOCAL destination traffic to our custom KIND-MASQ-AGENT chain'] },
  ];
}

/** The docker + kind entrypoint rules (at node start). Throws if our own text does not parse: a bug. */
export function bootstrapDockerDns(host: NodeHost, gateway: string): void {
  const tcp = ephemeralPort(host);
  const udp = ephemeralPort(host);
  const r = iptablesRestore(host.netfilter, dockerDnsRules(gateway, tcp, udp));
  if (r.exitCode !== 0) throw new Error(`bootstrap docker DNS rules: ${r.stderr}`);
}

export const KUBE_IPTABLES_HINT = 'KUBE-IPTABLES-HINT';
export const KUBE_KUBELET_CANARY = 'KUBE-KUBELET-CANARY';
const KUBELET_FIREWALL = 'KUBE-FIREWALL';
/** The martian-packet rule (issue 90259), as the kubelet appends it. */
const LOCALNET_RULE = ['-m', 'comment', '--comment', 'block incoming localnet connections', '-d', '127.0.0.0/8', '!', '-s', '127.0.0.0/8', '-m', 'conntrack', '!', '--ctstate', 'RELATED,ESTABLISHED,DNAT', '-j', 'DROP'];

/**
 * The kubelet's syncIPTablesRules, then its canaries (EnsureChain = -N if missing;
 * EnsureRule = -C, then -I for Prepend or -A for Append). Idempotent. The kubelet's
 * Monitor, which re-runs this a minute after its canary disappears, is not modelled.
 */
export function syncKubeletIptables(host: NodeHost): void {
  const nf = host.netfilter;
  const ensureChain = (table: string, chain: string): void => {
    if (!nf.tables.get(table as 'nat')?.chains.has(chain)) iptables(nf, ['-t', table, '-N', chain]);
  };
  const ensureRule = (how: '-I' | '-A', table: string, chain: string, args: string[]): void => {
    if (iptables(nf, ['-t', table, '-C', chain, ...args]).exitCode === 0) return;
    const out = iptables(nf, ['-t', table, how, chain, ...args]);
    if (out.exitCode !== 0) throw new Error(`kubelet iptables rule: ${out.stderr}`);
  };
  ensureChain('mangle', KUBE_IPTABLES_HINT);
  ensureChain('filter', KUBELET_FIREWALL);
  ensureRule('-I', 'filter', 'OUTPUT', ['-j', KUBELET_FIREWALL]);
  ensureRule('-I', 'filter', 'INPUT', ['-j', KUBELET_FIREWALL]);
  ensureRule('-A', 'filter', KUBELET_FIREWALL, LOCALNET_RULE);
  for (const table of ['mangle', 'nat', 'filter']) ensureChain(table, KUBE_KUBELET_CANARY);
}

/** kindnet's masquerade agent: ensure the chain, then AppendUnique each rule. */
export function syncKindMasqAgent(host: NodeHost, podCIDR: string): void {
  const nf = host.netfilter;
  if (!nf.tables.get('nat')?.chains.has(KIND_MASQ_CHAIN)) iptables(nf, ['-t', 'nat', '-N', KIND_MASQ_CHAIN]);
  for (const r of kindMasqAgentRules([podCIDR])) {
    if (iptables(nf, ['-t', 'nat', '-C', r.chain, ...r.args]).exitCode !== 0) {
      const out = iptables(nf, ['-t', 'nat', '-A', r.chain, ...r.args]);
      if (out.exitCode !== 0) throw new Error(`kindnet masq rule: ${out.stderr}`);
    }
  }
}
