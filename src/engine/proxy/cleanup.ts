/**
 * What kube-proxy tears down when it starts in a mode, or with --cleanup
 * (cmd/kube-proxy/app/server_linux.go platformCleanup, pkg/proxy/iptables/cleanup.go
 * CleanupLeftovers, pkg/proxy/ipvs/proxier.go CleanupLeftovers). Descriptions are data;
 * the node carries them out.
 *
 * Note the upstream behaviour this reproduces: iptables and IPVS modes are both
 * "iptables-based", so switching between them cleans up NOTHING of the other mode. After
 * iptables → ipvs the KUBE-SVC-/KUBE-SEP- chains, KUBE-NODEPORTS and the filter
 * KUBE-EXTERNAL-SERVICES rules stay behind (unreferenced from nat KUBE-SERVICES, which the
 * IPVS proxier rewrites); after ipvs → iptables kube-ipvs0, the virtual servers and the
 * ipsets stay. Only a switch to or from nftables, or `kube-proxy --cleanup`, removes them.
 */
import { isServiceChainName } from './hash';
import { iptablesJumpRules, KUBE_FIREWALL, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_MARK_MASQ, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_PROXY_CANARY, KUBE_PROXY_FIREWALL, KUBE_SERVICES } from './iptables/proxier';
import { IPSET_INFO } from './ipvs/ipsets';
import { DEFAULT_DUMMY_DEVICE, IPVS_IPTABLES_CHAINS, ipvsJumpRules } from './ipvs/proxier';

export type ProxyMode = 'iptables' | 'ipvs' | 'nftables';
type Table = 'filter' | 'nat' | 'mangle';

export interface CleanupStep {
  /** `iptables -t TABLE -D CHAIN ARGS…` (ignored when the rule is absent). */
  deleteRules: { table: Table; chain: string; args: string[]; rule: string }[];
  /** `iptables-restore --noflush --counters` inputs, in order. */
  restores: { table: Table; input: string }[];
  /** `iptables -t TABLE -F CHAIN`, then `-X CHAIN` (ignored when absent). */
  flushChains: { table: Table; chain: string }[];
  deleteChains: { table: Table; chain: string }[];
  /** `ipvsadm --clear`. */
  flushIPVS: boolean;
  /** `ip link del DEVICE`. */
  deleteDummyDevice?: string;
  /** `ipset destroy NAME`, after the iptables rules that reference them are gone. */
  destroyIpsets: string[];
  /** nftables tables to delete (`nft delete table ip kube-proxy`). */
  deleteNftTables: string[];
}

const empty = (): CleanupStep => ({ deleteRules: [], restores: [], flushChains: [], deleteChains: [], flushIPVS: false, destroyIpsets: [], deleteNftTables: [] });

/**
 * iptables CleanupLeftovers. `existing` lists the chains now in the node's nat and filter
 * tables (upstream reads them with iptables-save); the chains are flushed and deleted
 * through one iptables-restore per table.
 */
export function iptablesCleanupLeftovers(existing: { nat: Iterable<string>; filter: Iterable<string> }): CleanupStep {
  const step = empty();
  // Unlink our chains (iptablesJumpChains; kubelet's KUBE-FIREWALL jumps stay).
  for (const j of iptablesJumpRules()) {
    if (j.target === KUBE_FIREWALL) continue;
    step.deleteRules.push({ table: j.table, chain: j.chain, args: j.args, rule: j.rule.replace(/^-A /, '-D ') });
  }
  const nat = new Set(existing.nat);
  const natChains: string[] = [];
  for (const c of [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ, KUBE_PROXY_CANARY]) if (nat.has(c)) natChains.push(c);
  // Hunt for service and endpoint chains (upstream walks a Go set; we sort).
  for (const c of [...nat].sort()) if (isServiceChainName(c)) natChains.push(c);
  step.restores.push({ table: 'nat', input: restoreDeleting('nat', natChains) });
  const filter = new Set(existing.filter);
  const filterChains = [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL, KUBE_PROXY_CANARY].filter((c) => filter.has(c));
  step.restores.push({ table: 'filter', input: restoreDeleting('filter', filterChains) });
  // The mangle canary goes with `iptables -t mangle -X`; errors ignored.
  step.deleteChains.push({ table: 'mangle', chain: KUBE_PROXY_CANARY });
  return step;
}

function restoreDeleting(table: string, chains: string[]): string {
  return `*${table}\n${chains.map((c) => `:${c} - [0:0]\n`).join('')}${chains.map((c) => `-X ${c}\n`).join('')}COMMIT\n`;
}

/** ipvs CleanupLeftovers: flush IPVS, delete kube-ipvs0, unlink and delete chains, destroy ipsets. */
export function ipvsCleanupLeftovers(): CleanupStep {
  const step = empty();
  step.flushIPVS = true;
  step.deleteDummyDevice = DEFAULT_DUMMY_DEVICE;
  for (const j of ipvsJumpRules()) step.deleteRules.push({ table: j.table, chain: j.chain, args: j.args, rule: j.rule.replace(/^-A /, '-D ') });
  // Flushing every chain first removes the links between them; then they can go.
  for (const c of IPVS_IPTABLES_CHAINS) step.flushChains.push({ ...c });
  for (const c of IPVS_IPTABLES_CHAINS) step.deleteChains.push({ ...c });
  step.destroyIpsets = IPSET_INFO.map((i) => i.name);
  return step;
}

/** nftables CleanupLeftovers: kube-proxy's tables in both families. */
export function nftablesCleanupLeftovers(): CleanupStep {
  const step = empty();
  step.deleteNftTables = ['ip kube-proxy', 'ip6 kube-proxy'];
  return step;
}

/**
 * platformCleanup: which modes' leftovers kube-proxy removes when it starts in `mode`
 * (or all of them with --cleanup), in upstream's order.
 */
export function platformCleanup(mode: ProxyMode, cleanupAndExit = false): ProxyMode[] {
  const iptablesBased = mode === 'iptables' || mode === 'ipvs';
  const out: ProxyMode[] = [];
  if (!iptablesBased || cleanupAndExit) out.push('iptables', 'ipvs');
  if (iptablesBased || cleanupAndExit) out.push('nftables');
  return out;
}

/** The cleanup steps kube-proxy runs at start-up in `mode`, given the node's chains. */
export function cleanupSteps(mode: ProxyMode, existing: { nat: Iterable<string>; filter: Iterable<string> }, cleanupAndExit = false): { mode: ProxyMode; step: CleanupStep }[] {
  return platformCleanup(mode, cleanupAndExit).map((m) => ({
    mode: m,
    step: m === 'iptables' ? iptablesCleanupLeftovers(existing) : m === 'ipvs' ? ipvsCleanupLeftovers() : nftablesCleanupLeftovers(),
  }));
}
