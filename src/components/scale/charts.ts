/**
 * What the page plots: one chart per measure, the Service count on a log x axis, one series
 * per mode. Pure data shaping (unit-tested); ScaleChart.tsx draws it with uPlot.
 */
import type { Mode as ScaleMode, ScaleRow } from './rows';

export interface ChartSpec {
  id: string;
  title: string;
  /** The caption: what is measured and how to read it. */
  caption: string;
  unit: string;
  value: (r: ScaleRow) => number;
  /** Digits after the point in the table. */
  digits: number;
}

export const MODE_LABEL: Readonly<Record<ScaleMode, string>> = { iptables: 'iptables', ipvs: 'IPVS', nftables: 'nftables' };

export const CHARTS: readonly ChartSpec[] = [
  {
    id: 'programmed', title: 'Rules and elements programmed', unit: 'objects', digits: 0,
    caption: 'Everything kube-proxy put in the node\'s kernel tables: iptables rules (all tables), IPVS virtual and real servers with ipset entries (plus IPVS mode\'s few iptables rules), nftables rules with set and map elements.',
    value: (r) => r.programmed,
  },
  {
    id: 'sync', title: 'Full sync time in our engine', unit: 'ms', digits: 1,
    caption: 'Our TypeScript kube-proxy in your browser: informer events, the full sync that generates the rules, and programming the emulated node (iptables-restore, nft -f, IPVS and ipsets). Not a real kernel\'s time.',
    value: (r) => r.syncMs + r.applyMs,
  },
  {
    id: 'traversed', title: 'Rules a new connection walks', unit: 'rules', digits: 1,
    caption: 'Rules the packet evaluator looked at for the first packet of a new connection from a pod to a ClusterIP, averaged over five Services spread through the list. iptables walks KUBE-SERVICES rule by rule; nftables does one verdict-map lookup; IPVS matches a few ipset rules, then one hash lookup of the virtual server (not a rule, not counted).',
    value: (r) => r.traversedMean,
  },
  {
    id: 'text', title: 'Ruleset size as text (a stand-in for memory)', unit: 'bytes', digits: 0,
    caption: 'Bytes of what the node\'s tools print for the ruleset: iptables-save, nft list ruleset, ipvsadm -Sn and ipset save together. Kernel memory is not measured; text size grows the same way.',
    value: (r) => r.textBytes,
  },
];

/** uPlot's column data: x = the Service counts measured so far, one array per mode (null = not yet). */
export function chartData(rows: readonly ScaleRow[], spec: ChartSpec, modes: readonly ScaleMode[]): [number[], ...(number | null)[][]] {
  const xs = [...new Set(rows.map((r) => r.services))].sort((a, b) => a - b);
  const series = modes.map((m) => xs.map((x) => {
    const r = rows.find((row) => row.mode === m && row.services === x);
    return r ? spec.value(r) : null;
  }));
  return [xs, ...series];
}

export function formatNumber(v: number | null | undefined, digits: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  return v.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}
