/**
 * One point of the scale explorer: the engine builds a node in one kube-proxy mode
 * (engine `scaleRun`: the real proxier, programmed like the kube-proxy controller does it),
 * and we size what the node's own tools print for it. Runs in the worker (and in the bench).
 */
import { iptablesSaveCommand, listRuleset, scaleRun } from '../../engine';
import { ipsetSaveText, ipvsadmSaveText } from '../../shell';
import { sweepSteps, type Mode, type ScaleRow } from './rows';

/** Build and measure one mode at one size. `now` is a monotonic ms clock (performance.now). */
export function measure(mode: Mode, services: number, endpoints: number, now: () => number): ScaleRow {
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

/**
 * The whole sweep in one thread, in `sweepSteps` order (the bench and the tests; the page
 * spreads the steps over workers). `onRow` after each step. Returns the total ms.
 */
export function sweep(counts: readonly number[], endpoints: number, now: () => number, onRow: (r: ScaleRow) => void, onStep?: (mode: Mode, services: number) => void): number {
  const t0 = now();
  for (const { mode, services } of sweepSteps(counts)) {
    onStep?.(mode, services);
    onRow(measure(mode, services, endpoints, now));
  }
  return now() - t0;
}
