import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { CHARTS, chartData, formatNumber, MODE_LABEL } from './charts';
import { toCsv } from './csv';
import { countsBetween, MAX_ENDPOINTS, MIN_ENDPOINTS, MODES, SERVICE_COUNTS, type ScaleRow } from './rows';
import type { FromWorker, ToWorker } from './protocol';
import { ScaleChart } from './ScaleChart';

/**
 * The scale explorer island: controls, progress, one chart + data table per measure, CSV.
 * The engine runs in a worker (scale.worker.ts); this file only sends the request and draws
 * the rows as they arrive. Cancel terminates the worker (the next Run starts a fresh one).
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

export default function ScaleExplorer() {
  const [from, setFrom] = useState(10);
  const [to, setTo] = useState(1_000);
  const [endpoints, setEndpoints] = useState(10);
  const [rows, setRows] = useState<ScaleRow[]>([]);
  const [status, setStatus] = useState<Status>({ kind: 'idle' });
  const worker = useRef<Worker | null>(null);
  const runId = useRef(0);

  useEffect(() => () => worker.current?.terminate(), []);

  const counts = countsBetween(from, to);
  const endpointsOk = Number.isInteger(endpoints) && endpoints >= MIN_ENDPOINTS && endpoints <= MAX_ENDPOINTS;
  const running = status.kind === 'running';

  function run(): void {
    if (!endpointsOk || counts.length === 0) return;
    worker.current?.terminate();
    const w = new Worker(new URL('./scale.worker.ts', import.meta.url), { type: 'module', name: 'clusterpath-scale' });
    worker.current = w;
    const id = ++runId.current;
    setRows([]);
    setStatus({ kind: 'running', text: 'Starting the engine…' });
    performance.mark('clusterpath:scale-start');
    w.onmessage = (e: MessageEvent<FromWorker>) => {
      const m = e.data;
      if (m.id !== runId.current) return;
      if (m.type === 'step') {
        setStatus({ kind: 'running', text: `Measuring ${MODE_LABEL[m.mode]} at ${formatNumber(m.services, 0)} Services (step ${m.index + 1} of ${m.total})…` });
      } else if (m.type === 'row') {
        setRows((rs) => [...rs, m.row]);
      } else if (m.type === 'done') {
        performance.mark('clusterpath:scale-done', { detail: { workerMs: m.totalMs } });
        setStatus({ kind: 'done', text: `Done: ${counts.length * modes.length} measurements in ${formatNumber(m.totalMs / 1000, 1)} s of engine time.` });
        w.terminate();
        worker.current = null;
      } else {
        setStatus({ kind: 'error', text: `The engine failed: ${m.message}` });
        w.terminate();
        worker.current = null;
      }
    };
    w.onerror = () => {
      setStatus({ kind: 'error', text: 'The engine worker could not start or crashed; try a smaller range.' });
      worker.current = null;
    };
    const msg: ToWorker = { type: 'run', id, counts, endpoints };
    w.postMessage(msg);
  }

  function cancel(): void {
    worker.current?.terminate();
    worker.current = null;
    runId.current++;
    setStatus({ kind: 'done', text: `Cancelled; kept the ${rows.length} measurement${rows.length === 1 ? '' : 's'} made so far.` });
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
