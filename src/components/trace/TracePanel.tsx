/**
 * The lab page's "Packet path" panel: the connections of the last command that made any
 * (curl, wget, nc, nslookup, dig, ping, agnhost connect) in the terminal tab the learner is
 * looking at, drawn by PacketPath; switching tabs switches the panel. Collapsible; a polite
 * announcement says when it changed, so a screen-reader user knows to look.
 */
import { useState } from 'preact/hooks';
import PacketPath from './PacketPath';
import { traceLabel, traceOutcome } from './layout';
import { shownTab, tabTraces } from './trace-state';

export default function TracePanel() {
  const [open, setOpen] = useState(true);
  const tab = shownTab.value;
  const shown = tabTraces.value[tab.index];
  const traces = shown?.traces ?? [];
  const last = traces[traces.length - 1];
  return (
    <section class="lab-panel trace-panel" aria-labelledby="trace-panel-title">
      <h2 class="lab-panel-title" id="trace-panel-title">
        <button type="button" class="lab-panel-toggle" aria-expanded={open} aria-controls="trace-panel-body" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Packet path
        </button>
      </h2>
      <p class="visually-hidden" role="status">
        {last ? `Packet path updated: ${tab.label}: ${traces.length} connection${traces.length > 1 ? 's' : ''}, the last ${traceLabel(last)}: ${traceOutcome(last).label}` : ''}
      </p>
      <div class="lab-panel-body" id="trace-panel-body" hidden={!open}>
        <p class="trace-panel-line">
          {tab.label}
          {shown && (
            <>
              : <code>{shown.line}</code>
            </>
          )}
        </p>
        {/* A new command's connections (or another tab's) start on their last one: a fresh key drops the old tab choice. */}
        <PacketPath key={`${tab.index}|${shown?.line}|${traces.length}|${last?.at}|${last?.summary}`} traces={traces} idPrefix="lab-pp" />
      </div>
    </section>
  );
}
