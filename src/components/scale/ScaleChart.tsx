import { useEffect, useRef } from 'preact/hooks';
import type uPlot from 'uplot';
import { formatNumber, MODE_LABEL, type ChartSpec } from './charts';
import type { Mode as ScaleMode } from './rows';

/** Series colours per theme (contrast ≥ 3:1 on the page background) and a dash each, so colour is not the only cue. */
const COLOURS: Record<'light' | 'dark', Record<ScaleMode, string>> = {
  light: { iptables: '#c2410c', ipvs: '#15803d', nftables: '#1d4ed8' },
  dark: { iptables: '#fb923c', ipvs: '#4ade80', nftables: '#60a5fa' },
};
const DASH: Record<ScaleMode, number[]> = { iptables: [], ipvs: [6, 4], nftables: [2, 3] };

let uplotModule: Promise<typeof uPlot> | undefined;
/** uPlot, loaded once, when the first chart appears (its small stylesheet comes with the page). */
function loadUPlot(): Promise<typeof uPlot> {
  uplotModule ??= import('uplot').then((m) => m.default);
  return uplotModule;
}

/** Log axes tick every 1–9 × 10^k; label only the powers of ten (uPlot passes null for ticks it filtered). */
function decades(_u: uPlot, vals: (number | null)[]): string[] {
  return vals.map((v) => {
    if (v === null || v <= 0) return '';
    const e = Math.log10(v);
    if (Math.abs(e - Math.round(e)) > 1e-9) return '';
    return v >= 1 ? formatNumber(v, 0) : String(Number(v.toPrecision(1)));
  });
}

function theme(): 'light' | 'dark' {
  return document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';
}

interface Props {
  spec: ChartSpec;
  modes: readonly ScaleMode[];
  data: [number[], ...(number | null)[][]];
}

/** One uPlot chart (log x and y); rebuilt when the theme flips, resized with its box. */
export function ScaleChart({ spec, modes, data }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef(data);
  latest.current = data;

  useEffect(() => {
    let cancelled = false;
    let ro: ResizeObserver | undefined;
    let mo: MutationObserver | undefined;
    const build = (U: typeof uPlot) => {
      if (cancelled || !box.current) return;
      plot.current?.destroy();
      const css = getComputedStyle(document.documentElement);
      const fg = css.getPropertyValue('--fg-soft').trim() || '#4a5363';
      const grid = css.getPropertyValue('--border').trim() || '#d8dde6';
      const colours = COLOURS[theme()];
      const axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
      const width = Math.max(260, box.current.clientWidth);
      plot.current = new U({
        width, height: 240,
        scales: { x: { time: false, distr: 3 }, y: { distr: 3 } },
        axes: [
          { ...axis, label: 'Services', values: decades },
          { ...axis, label: spec.unit, size: 80, values: decades },
        ],
        series: [
          { label: 'Services', value: (_u, v) => formatNumber(v, 0) },
          ...modes.map((m) => ({
            label: MODE_LABEL[m], stroke: colours[m], width: 2, dash: DASH[m], spanGaps: true,
            points: { show: true, size: 6, fill: colours[m] },
            value: (_u: uPlot, v: number | null) => formatNumber(v, spec.digits),
          })),
        ],
        legend: { show: true, live: false },
      }, latest.current as uPlot.AlignedData, box.current);
    };
    let first: ReturnType<typeof setTimeout> | undefined;
    loadUPlot().then((U) => {
      // Each chart is built in a task of its own: the four in one would make one long task.
      first = setTimeout(() => build(U), 0);
      ro = new ResizeObserver(() => {
        if (box.current && plot.current) plot.current.setSize({ width: Math.max(260, box.current.clientWidth), height: 240 });
      });
      if (box.current) ro.observe(box.current);
      mo = new MutationObserver(() => build(U));
      mo.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    }, () => {
      if (!box.current) return;
      box.current.removeAttribute('aria-hidden');
      box.current.textContent = 'The chart library did not load; the table below has the numbers.';
    });
    return () => {
      cancelled = true;
      clearTimeout(first);
      ro?.disconnect();
      mo?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
  }, [spec, modes]);

  useEffect(() => {
    // Redrawn in a task of its own, like the build: new rows redraw all four charts.
    const redraw = setTimeout(() => plot.current?.setData(data as uPlot.AlignedData), 0);
    return () => clearTimeout(redraw);
  }, [data]);

  // The canvas is decorative for screen readers: the caption and the table carry the data.
  return <div class="scale-chart" ref={box} aria-hidden="true" data-chart={spec.id} />;
}
