/**
 * The packet path of one command's connections (docs/trace.md): a vertical SVG diagram of the
 * request leg and the outcome, and beside it the real content — the hops as a list of
 * buttons, in packet order, each expanding to the exact rule text, conntrack entry or policy
 * reason. The reply leg is folded. Several connections (curl: DNS A, DNS AAAA, TCP) are tabs,
 * the last one open. Renders on the server too (lessons: EnginePacketPath.astro).
 */
import { useState } from 'preact/hooks';
import type { Trace } from '../../engine';
import { diagramBoxes, DIAGRAM, layoutTrace, type HopRow, type TraceLayout } from './layout';
import './packet-path.css';

interface Props {
  traces: Trace[];
  /** Distinguishes several diagrams on one page (element ids). */
  idPrefix?: string;
}

export default function PacketPath({ traces, idPrefix = 'pp' }: Props) {
  const [picked, setPicked] = useState<number | undefined>(undefined);
  if (traces.length === 0) return <p class="pp-empty">No connection yet. Run <code>curl</code>, <code>wget</code>, <code>nc</code>, <code>nslookup</code>, <code>dig</code> or <code>ping</code> to see its path.</p>;
  // A new command's traces replace the old ones: fall back to the last connection.
  const current = picked !== undefined && picked < traces.length ? picked : traces.length - 1;
  const layouts = traces.map(layoutTrace);
  const layout = layouts[current]!;
  const tabId = (i: number) => `${idPrefix}-tab-${i}`;
  const onKey = (e: KeyboardEvent) => {
    const next = e.key === 'ArrowRight' || e.key === 'ArrowDown' ? current + 1 : e.key === 'ArrowLeft' || e.key === 'ArrowUp' ? current - 1 : e.key === 'Home' ? 0 : e.key === 'End' ? traces.length - 1 : undefined;
    if (next === undefined) return;
    e.preventDefault();
    const i = (next + traces.length) % traces.length;
    setPicked(i);
    (e.currentTarget as HTMLElement).parentElement?.querySelector<HTMLElement>(`#${tabId(i)}`)?.focus();
  };
  return (
    <div class="packet-path">
      {traces.length > 1 && (
        <div class="pp-tabs" role="tablist" aria-label="Connections made by the command">
          {layouts.map((l, i) => (
            <button
              type="button"
              role="tab"
              id={tabId(i)}
              class={`pp-tab pp-${l.outcome.tone}`}
              aria-selected={i === current}
              aria-controls={`${idPrefix}-panel`}
              tabIndex={i === current ? 0 : -1}
              onClick={() => setPicked(i)}
              onKeyDown={onKey}
            >
              <span class="pp-tab-n">{i + 1}</span> {l.label} <span class="pp-tab-outcome">{l.outcome.label}</span>
            </button>
          ))}
        </div>
      )}
      <TraceView key={current} layout={layout} idPrefix={`${idPrefix}-${current}`} panelId={`${idPrefix}-panel`} labelledBy={traces.length > 1 ? tabId(current) : undefined} />
    </div>
  );
}

function TraceView({ layout, idPrefix, panelId, labelledBy }: { layout: TraceLayout; idPrefix: string; panelId: string; labelledBy: string | undefined }) {
  const [replyOpen, setReplyOpen] = useState(false);
  return (
    <div class="pp-trace" id={panelId} role={labelledBy ? 'tabpanel' : undefined} aria-labelledby={labelledBy}>
      <p class={`pp-outcome pp-${layout.outcome.tone}`}>
        <strong>{layout.outcome.label}</strong> <span class="pp-outcome-text">{layout.outcome.text}</span>
      </p>
      <div class="pp-body">
        <Diagram layout={layout} idPrefix={idPrefix} />
        <div class="pp-hops">
          <ol class="pp-list" aria-label={`Hops of ${layout.label}, in packet order`}>
            {layout.request.map((r) => (
              <Hop key={r.id} row={r} idPrefix={idPrefix} />
            ))}
          </ol>
          {layout.reply.length > 0 && (
            <div class="pp-reply">
              <button type="button" class="pp-reply-toggle" aria-expanded={replyOpen} aria-controls={`${idPrefix}-reply`} onClick={() => setReplyOpen(!replyOpen)}>
                <span aria-hidden="true">{replyOpen ? '▾' : '▸'}</span> Reply leg: {layout.reply.length} hops back through conntrack
              </button>
              <ol class="pp-list" id={`${idPrefix}-reply`} hidden={!replyOpen} aria-label="Hops of the reply">
                {layout.reply.map((r) => (
                  <Hop key={r.id} row={r} idPrefix={idPrefix} />
                ))}
              </ol>
            </div>
          )}
        </div>
      </div>
    </div>
  );
}

const KIND_LABEL: Record<HopRow['kind'], string> = { source: 'from', wire: 'wire', node: 'node', policy: 'policy', app: 'server' };

function Hop({ row, idPrefix }: { row: HopRow; idPrefix: string }) {
  const [open, setOpen] = useState(false);
  const detailId = `${idPrefix}-${row.leg}-${row.id}`;
  return (
    <li class={`pp-hop pp-${row.kind} pp-${row.tone}`} data-kind={row.kind}>
      <button type="button" class="pp-hop-button" aria-expanded={open} aria-controls={detailId} onClick={() => setOpen(!open)}>
        <span class="pp-kind">{KIND_LABEL[row.kind]}</span>
        <span class="pp-hop-title">{row.title}</span>
        {row.summary && <span class="pp-hop-summary">{row.summary}</span>}
        {row.highlights.length > 0 && (
          <span class="pp-highlights">
            {row.highlights.map((h) => (
              <code key={h} class="pp-rule">{h}</code>
            ))}
          </span>
        )}
      </button>
      <div class="pp-detail" id={detailId} hidden={!open}>
        {row.details.map((d) => (
          <div class="pp-detail-block">
            <p class="pp-detail-label">{d.label}</p>
            {d.mono ? (
              <pre class="pp-pre" tabIndex={0}>{d.lines.join('\n')}</pre>
            ) : (
              d.lines.map((l) => <p class="pp-detail-text">{l}</p>)
            )}
          </div>
        ))}
      </div>
    </li>
  );
}

/** The request leg top to bottom, the folded reply as a dashed arrow back up, the outcome last. */
function Diagram({ layout, idPrefix }: { layout: TraceLayout; idPrefix: string }) {
  const { boxes, height } = diagramBoxes(layout);
  const titleId = `${idPrefix}-svg-title`;
  const descId = `${idPrefix}-svg-desc`;
  const last = boxes[boxes.length - 2];
  const first = boxes[0]!;
  const rx = DIAGRAM.width - DIAGRAM.pad - 12;
  return (
    <svg class="pp-svg" viewBox={`0 0 ${DIAGRAM.width} ${height}`} role="img" aria-labelledby={`${titleId} ${descId}`} preserveAspectRatio="xMidYMin meet">
      <title id={titleId}>Packet path of {layout.label}</title>
      <desc id={descId}>{layout.description}</desc>
      <defs>
        <marker id={`${idPrefix}-arrow`} viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M0,0 L8,4 L0,8 z" class="pp-arrowhead" />
        </marker>
      </defs>
      {boxes.map((b, i) => (
        <g class={`pp-box pp-${b.tone}${b.row ? '' : ' pp-box-outcome'}`}>
          {i > 0 && <line x1={b.x + b.w / 2} y1={boxes[i - 1]!.y + boxes[i - 1]!.h} x2={b.x + b.w / 2} y2={b.y - 1} class="pp-edge" marker-end={`url(#${idPrefix}-arrow)`} />}
          <rect x={b.x} y={b.y} width={b.w} height={b.h} rx="6" />
          <text x={b.x + 8} y={b.y + 15} class="pp-svg-title">{b.text}</text>
          <text x={b.x + 8} y={b.y + 30} class="pp-svg-sub">{b.sub}</text>
        </g>
      ))}
      {layout.reply.length > 0 && last && (
        <g class="pp-reply-edge">
          <path d={`M${last.x + last.w} ${last.y + last.h / 2} H${rx} V${first.y + first.h / 2} H${first.x + first.w + 2}`} class="pp-edge pp-dashed" marker-end={`url(#${idPrefix}-arrow)`} />
          <text x={rx + 4} y={(first.y + last.y + last.h) / 2} class="pp-svg-sub" transform={`rotate(90 ${rx + 4} ${(first.y + last.y + last.h) / 2})`} text-anchor="middle">
            reply ({layout.reply.length} hops)
          </text>
        </g>
      )}
    </svg>
  );
}
