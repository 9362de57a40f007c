import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CHARTS, chartData, formatNumber, MODE_LABEL } from './charts';
import { toCsv } from './csv';
import { poolSize, runSweep, type SweepTiming, type WorkerLike } from './pool';
import { countsBetween, MAX_ENDPOINTS, MIN_ENDPOINTS, MODES, SERVICE_COUNTS, sweepSteps, type ScaleRow, type Step } from './rows';
import { ScaleChart } from './ScaleChart';

/**
 * The scale explorer island: controls, progress, one chart + data table per measure, CSV.
 * The engine runs in workers (scale.worker.ts, a few side by side: pool.ts); this file sends
 * the sweep and draws the rows as they arrive, at most once per frame. Cancel terminates
 * every worker (the next Run starts fresh ones).
 */

type Status =
  | { kind: 'idle' }
  | { kind: 'running'; text: string }
  | { kind: 'done'; text: string }
  | { kind: 'error'; text: string };

const modes = MODES;

function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'text/csv' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const and = (xs: readonly string[]): string => (xs.length < 2 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** "iptables and IPVS at 10,000 Services": the steps in flight, grouped by count. */
function describeSteps(steps: readonly Step[]): string {
  const counts = [...new Set(steps.map((s) => s.services))];
  return counts.map((n) => `${and(steps.filter((s) => s.services === n).map((s) => MODE_LABEL[s.mode]))} at ${formatNumber(n, 0)}`).join('; ') + ' Services';
}

const spawnWorker = (): WorkerLike => new Worker(new URL('./scale.worker.ts', import.meta.url), { type: 'module', name: 'clusterpath-scale' });

export default function ScaleExplorer() {
  const [from, setFrom] = useState(10);
  const [to, setTo] = useState(1_000);
  const [endpoints, setEndpoints] = useState(10);
  const [rows, setRows] = useState<ScaleRow[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const cancelSweep = useRef<(() => void) | null>(null);
  /** The sweep's rows by step index (they arrive out of order), and what the next frame draws. */
  const slots = useRef<(ScaleRow | undefined)[]>([]);
  const pending = useRef<{ rows: boolean; status?: Status; done?: SweepTiming }>({ rows: false });
  const frame = useRef(0);

  const counts = countsBetween(from, to);
  const endpointsOk = Number.isInteger(endpoints) && endpoints >= MIN_ENDPOINTS && endpoints <= MAX_ENDPOINTS;
  const running = status.kind === 'running';

  /** Apply what the workers sent since the last frame: one render however many rows came. */
  function flush(): void {
    if (frame.current) cancelAnimationFrame(frame.current);
    frame.current = 0;
    const p = pending.current;
    pending.current = { rows: false };
    if (p.rows) setRows(slots.current.filter((r): r is ScaleRow => r !== undefined));
    if (p.status) setStatus(p.status);
    if (p.done) performance.mark('clusterpath:scale-done', { detail: p.done });
  }
  function later(update: Partial<typeof pending.current>): void {
    Object.assign(pending.current, update);
    frame.current ||= requestAnimationFrame(flush);
  }

  useEffect(() => () => {
    cancelSweep.current?.();
    cancelAnimationFrame(frame.current);
  }, []);

  function run(): void {
    if (!endpointsOk || counts.length === 0) return;
    cancelSweep.current?.();
    const steps = sweepSteps(counts);
    const workers = poolSize(navigator.hardwareConcurrency, steps.length);
    slots.current = [];
    pending.current = { rows: false };
    // Keep an empty list as is: a new one would redraw the four empty charts for nothing.
    setRows((rs) => (rs.length === 0 ? rs : []));
    setStatus({ kind: 'running', text: 'Starting the engine…' });
    performance.mark('clusterpath:scale-start');
    cancelSweep.current = runSweep(steps, endpoints, workers, spawnWorker, {
      onProgress: (inFlight, done) => later({
        status: { kind: 'running', text: `Measuring ${describeSteps(inFlight)} (${done} of ${steps.length} done)…` },
      }),
      onRow: (index, row) => {
        slots.current[index] = row;
        later({ rows: true });
      },
      onDone: (t) => {
        cancelSweep.current = null;
        const how = t.workers === 1 ? 'one engine worker' : `${t.workers} engine workers side by side`;
        later({
          status: { kind: 'done', text: `Done: ${steps.length} measurements in ${formatNumber(t.workerMs / 1000, 1)} s (${how}).` },
          done: t,
        });
      },
      onError: (message, step) => {
        cancelSweep.current = null;
        const where = step ? ` measuring ${MODE_LABEL[step.mode]} at ${formatNumber(step.services, 0)} Services` : '';
        later({ status: { kind: 'error', text: `The engine failed${where}: ${message.trim().replace(/\.$/, '')}. The measurements made before it are kept.` } });
      },
    });
  }

  function cancel(): void {
    cancelSweep.current?.();
    cancelSweep.current = null;
    flush();
    const kept = slots.current.filter(Boolean).length;
    setStatus({ kind: 'done', text: `Cancelled; kept the ${kept} measurement${kept === 1 ? '' : 's'} made so far.` });
  }

  const data = useMemo(() => CHARTS.map((c) => chartData(rows, c, modes)), [rows]);
  // The same vnode between renders is skipped by Preact: a status update (every step) does not
  // re-diff the charts and tables.
  const figures = useMemo(() => (
  <div class="scale-grid">
    {CHARTS.map((c, i) => (
      <figure class="scale-figure" aria-labelledby={`scale-${c.id}-title`} aria-describedby={`scale-${c.id}-caption`}>
        <h3 id={`scale-${c.id}-title`}>{c.title}</h3>
        <ScaleChart spec={c} modes={modes} data={data[i]!} />
        <figcaption id={`scale-${c.id}-caption`} class="muted">{c.caption}</figcaption>
        <details>
          <summary>Data table: {c.title.toLowerCase()} ({c.unit})</summary>
          <div class="table-wrap">
            <table data-table={c.id}>
              <caption class="visually-hidden">{c.title}, {c.unit}, by number of Services and mode</caption>
              <thead>
                <tr><th scope="col">Services</th>{modes.map((m) => <th scope="col">{MODE_LABEL[m]}</th>)}</tr>
              </thead>
              <tbody>
                {data[i]![0].length === 0 && <tr><td colSpan={4} class="muted">No data yet.</td></tr>}
                {data[i]![0].map((x, k) => (
                  <tr>
                    <th scope="row">{formatNumber(x, 0)}</th>
                    {modes.map((_, s) => <td>{formatNumber(data[i]![s + 1]![k], c.digits)}</td>)}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </figure>
    ))}
  </div>
  ), [data]);
  const unreached = rows.filter((r) => !r.reached);

  return (
    <div class="scale">
      <form class="scale-controls" onSubmit={(e) => { e.preventDefault(); run(); }}>
        <div class="field">
          <label for="scale-from">From</label>
          <select id="scale-from" value={from} onChange={(e) => setFrom(Number((e.target as HTMLSelectElement).value))} disabled={running}>
            {SERVICE_COUNTS.map((n) => <option value={n}>{formatNumber(n, 0)} Services</option>)}
          </select>
        </div>
        <div class="field">
          <label for="scale-to">To</label>
          <select id="scale-to" value={to} onChange={(e) => setTo(Number((e.target as HTMLSelectElement).value))} disabled={running}>
            {SERVICE_COUNTS.map((n) => <option value={n}>{formatNumber(n, 0)} Services</option>)}
          </select>
        </div>
        <div class="field">
          <label for="scale-eps">Endpoints per Service</label>
          <input id="scale-eps" type="number" min={MIN_ENDPOINTS} max={MAX_ENDPOINTS} step={1} value={endpoints} disabled={running}
            aria-invalid={!endpointsOk} aria-describedby="scale-eps-help"
            onInput={(e) => setEndpoints(Number((e.target as HTMLInputElement).value))} />
          <span id="scale-eps-help" class={endpointsOk ? 'muted hint' : 'hint error'}>
            {endpointsOk ? `${MIN_ENDPOINTS}–${MAX_ENDPOINTS}` : `Enter a whole number from ${MIN_ENDPOINTS} to ${MAX_ENDPOINTS}.`}
          </span>
        </div>
        <div class="actions">
          <button class="button" type="submit" disabled={running || !endpointsOk}>Run</button>
          <button class="button secondary" type="button" onClick={cancel} disabled={!running}>Cancel</button>
          <button class="button secondary" type="button" disabled={rows.length === 0 || running}
            onClick={() => download('clusterpath-scale.csv', toCsv(rows))}>Export CSV</button>
        </div>
      </form>
      <p class="muted">
        {formatNumber(counts.length, 0)} size{counts.length === 1 ? '' : 's'} × 3 modes: {counts.map((n) => formatNumber(n, 0)).join(', ')} Services.
      </p>
      <p role="status" aria-live="polite" class={`scale-status ${status.kind}`}>
        {status.kind === 'idle' ? 'Choose a range and press Run. Everything runs in this browser.' : status.text}
      </p>
      {unreached.length > 0 && (
        <p class="hint error">Some probe connections did not reach an endpoint ({unreached.map((r) => `${r.mode} at ${r.services}`).join(', ')}): the figures for those rows are suspect.</p>
      )}
      {figures}
    </div>
  );
}
