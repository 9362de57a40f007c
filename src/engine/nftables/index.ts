/**
 * nftables as data — the public face. One `NftRuleset` per network namespace (node):
 * tables, chains, sets/maps and rules as parsed statements; `nftRun` applies an `nft -f`
 * script as one transaction; the `list*` printers give `nft list` output (nft 1.0.6);
 * `nftHookChains` hands the base chains to the netfilter evaluator, which runs them
 * beside iptables' tables by hook and priority.
 */
export * from './types';
export { tokenize, parseRule, formatRule, formatStmt, NftSyntaxError, type Token } from './rule';
export { nftRun, formatError, parseTime, type NftRunOptions, type NftRunResult } from './script';
export { listRuleset, listTable, listTables, listChain, listChains, listSet, listSets, formatTime, formatPriority, ruleText, type ListOptions } from './print';
export { nftHookChains, runBaseChain } from './evaluate';
