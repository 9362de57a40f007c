/**
 * One point of the scale explorer: the engine builds a node in one kube-proxy mode
 * (engine `scaleRun`: the real proxier, programmed like the kube-proxy controller does it),
 * and we size what the node's own tools print for it. Runs in the worker (and in the bench).
 */
import { iptablesSaveCommand, listRuleset, scaleRun, SCALE_MODES, type ScaleMode } from '../../engine';
import { ipsetSaveText, ipvsadmSaveText } from '../../shell';

export { SCALE_MODES, type ScaleMode };

/** The Service counts the page offers (the x axis). */
export const SERVICE_COUNTS = [10, 30, 100, 300, 1_000, 3_000, 10_000] as const;
export const MIN_ENDPOINTS = 1;
export const MAX_ENDPOINTS = 20;

export interface ScaleRow {
  mode: ScaleMode;
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

/** Build and measure one mode at one size. `now` is a monotonic ms clock (performance.now). */
export function measure(mode: ScaleMode, services: number, endpoints: number, now: () => number): ScaleRow {
  const r = scaleRun(mode, { services, endpoints, now });
  const h = r.host;
  const text = iptablesSaveCommand(h.netfilter, [], h.now()).stdout.length
    + listRuleset(h.nft).length
    + (h.ipvs.services.size > 0 ? ipvsadmSaveText(h).length : 0)
    + (h.ipsets.size > 0 ? ipsetSaveText(h).length : 0);
  const p = r.programmed;
  return {
    mode, services, endpoints,
    programmed: p.total,
    iptablesRules: p.iptablesRules,
    ipvsVirtualServers: p.ipvsVirtualServers,
    ipvsRealServers: p.ipvsRealServers,
    ipsetEntries: p.ipsetEntries,
    nftRules: p.nftRules,
    nftElements: p.nftElements,
    syncMs: r.syncMs,
    applyMs: r.applyMs,
    traversedMean: r.traversed.mean,
    traversedMax: r.traversed.max,
    textBytes: text,
    reached: r.reachedEndpoints,
  };
}

/** The counts of a From–To range of the presets. */
export function countsBetween(from: number, to: number): number[] {
  const lo = Math.min(from, to);
  const hi = Math.max(from, to);
  return SERVICE_COUNTS.filter((n) => n >= lo && n <= hi);
}

/**
 * The whole sweep, smallest count first, the three modes at each count; `onRow` after each
 * step (the worker posts it). Returns the total ms.
 */
export function sweep(counts: readonly number[], endpoints: number, now: () => number, onRow: (r: ScaleRow) => void, onStep?: (mode: ScaleMode, services: number) => void): number {
  const t0 = now();
  for (const n of counts) {
    for (const mode of SCALE_MODES) {
      onStep?.(mode, n);
      onRow(measure(mode, n, endpoints, now));
    }
  }
  return now() - t0;
}
