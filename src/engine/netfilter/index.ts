/**
 * netfilter as data — the public face. One `Netfilter` per network namespace (node): tables,
 * chains, rules and ipsets as plain data; the `iptables`, `iptables-restore` and
 * `iptables-save` front ends over it (the very texts iptables v1.8.9 (nf_tables) prints); the
 * evaluator that walks packets through the rules with counters and conntrack.
 */
export * from './types';
export { createNetfilter, ensureTable, sortedChains, references } from './ruleset';
export { parseCommandLine, emptyRule, ParamError, type ParsedCommand } from './rulespec';
export { iptables, execute, type CommandResult, type NfError } from './command';
export { iptablesRestore, iptablesRestoreCommand, tokenizeRestoreLine, type RestoreOptions, type RestoreResult } from './restore';
export { iptablesSave, iptablesSaveCommand, saveRule, saveRuleSpec, ctime, IPTABLES_VERSION, type SaveOptions } from './save';
export { listChains, listRules, listRule, type ListOptions } from './list';
export { createIpSet, ipsetAdd, ipsetDel, ipsetTest, normaliseEntry, IPSET_TYPES } from './ipset';
export { Conntrack, CT_TIMEOUTS, tupleKey, type CtEntry, type CtFilter, type Tuple } from './conntrack';
export {
  NetfilterRuntime, processPacket, explorePacket,
  type Packet, type Proto, type Hook, type RouteDecision, type NodeNetworkContext, type Random,
  type EvalResult, type TraceStep, type ProcessOptions, type ExploredOutcome, type IpvsPacketInfo,
  type ForeignChain, type ForeignHookContext, type ForeignOutcome, type HookPacket,
} from './evaluate';
