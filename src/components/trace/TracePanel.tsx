/**
 * The lab page's "Packet path" panel: the connections of the last command that made any
 * (curl, wget, nc, nslookup, dig, ping, agnhost connect), drawn by PacketPath. Collapsible;
 * a polite announcement says when it changed, so a screen-reader user knows to look.
 */
import { useState } from 'preact/hooks';
import PacketPath from './PacketPath';
import { traceLabel, traceOutcome } from './layout';
import { labTraces, tracesLine } from './trace-state';

export default function TracePanel() {
  const [open, setOpen] = useState(true);
  const traces = labTraces.value;
  const last = traces[traces.length - 1];
  return (
    <section class="lab-panel trace-panel" aria-labelledby="trace-panel-title">
      <h2 class="lab-panel-title" id="trace-panel-title">
        <button type="button" class="lab-panel-toggle" aria-expanded={open} aria-controls="trace-panel-body" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Packet path
        </button>
      </h2>
      <p class="visually-hidden" role="status">
        {last ? `Packet path updated: ${traces.length} connection${traces.length > 1 ? 's' : ''}, the last ${traceLabel(last)}: ${traceOutcome(last).label}` : ''}
      </p>
      <div class="lab-panel-body" id="trace-panel-body" hidden={!open}>
        {tracesLine.value && (
          <p class="trace-panel-line">
            <code>{tracesLine.value}</code>
          </p>
        )}
        {/* A new command's connections start on their last one: a fresh key drops the old tab choice. */}
        <PacketPath key={`${tracesLine.value}|${traces.length}|${last?.at}|${last?.summary}`} traces={traces} idPrefix="lab-pp" />
      </div>
    </section>
  );
}
