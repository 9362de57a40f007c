/**
 * The scale explorer's shared vocabulary, free of engine imports so the page's main thread
 * stays small: the modes, the Service counts offered, the endpoint range, and one row of
 * measurements as the worker posts it.
 */
export const MODES = ['iptables', 'ipvs', 'nftables'] as const;
export type Mode = (typeof MODES)[number];

/** The Service counts the page offers (the x axis). */
export const SERVICE_COUNTS = [10, 30, 100, 300, 1_000, 3_000, 10_000] as const;
export const MIN_ENDPOINTS = 1;
export const MAX_ENDPOINTS = 20;

export interface ScaleRow {
  mode: Mode;
  services: number;
  endpoints: number;
  /** Everything kube-proxy programmed: rules plus set/map elements, virtual/real servers, ipset entries. */
  programmed: number;
  iptablesRules: number;
  ipvsVirtualServers: number;
  ipvsRealServers: number;
  ipsetEntries: number;
  nftRules: number;
  nftElements: number;
  /** Informer events plus the proxier's full sync (rule generation), ms. */
  syncMs: number;
  /** Programming the node with it (iptables-restore, nft -f, IPVS + ipsets), ms. */
  applyMs: number;
  /** Rules the evaluator looked at for a new connection: mean and worst over the probed Services. */
  traversedMean: number;
  traversedMax: number;
  /**
   * The ruleset's size as text, our stand-in for its memory: iptables-save + nft list
   * ruleset + ipvsadm -Sn + ipset save on the node (each empty where the mode has none).
   */
  textBytes: number;
  /** Every probe connection reached an endpoint of its Service. */
  reached: boolean;
}

/** One measurement of a sweep: a mode at a Service count. */
export interface Step {
  mode: Mode;
  services: number;
}

/**
 * A sweep's measurements in order: smallest count first, the three modes at each count.
 * The workers take them in this order and the page keeps its rows (tables, CSV) in it.
 */
export function sweepSteps(counts: readonly number[]): Step[] {
  return counts.flatMap((services) => MODES.map((mode) => ({ mode, services })));
}

/** The preset counts within a From–To range (either order). */
export function countsBetween(from: number, to: number): number[] {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  return SERVICE_COUNTS.filter((n) => n >= lo && n <= hi);
}
