/**
 * The lab page's "Compare modes" panel (lab.yaml `modeSwitch: true`): one Service as kube-proxy
 * programs it in iptables, IPVS and nftables mode, side by side (stacked on phones). The node's
 * own mode shows its live rules; the others are shadow proxiers' (src/lab/compare.ts). It
 * refreshes after every command, so scaling a Deployment shows up in both columns.
 */
import { useEffect, useState } from 'preact/hooks';
import type { CompareView } from '../../lab/compare';
import { compareModes, labChanges } from './trace-state';
import './packet-path.css';

const MODE_TITLE = { iptables: 'iptables mode', ipvs: 'IPVS mode', nftables: 'nftables mode' } as const;

export default function ComparePanel() {
  const [open, setOpen] = useState(true);
  const [service, setService] = useState<string | undefined>();
  const [node, setNode] = useState<string | undefined>();
  const [view, setView] = useState<CompareView | undefined>();
  const [error, setError] = useState('');
  const ask = compareModes.value;
  const changes = labChanges.value;

  useEffect(() => {
    if (!ask || !open) return;
    let stale = false;
    ask(service, node).then(
      (v) => {
        if (stale) return;
        setView(v);
        setError('');
      },
      (e: unknown) => !stale && setError(e instanceof Error ? e.message : String(e)),
    );
    return () => {
      stale = true;
    };
  }, [ask, changes, service, node, open]);

  return (
    <section class="lab-panel compare-panel" aria-labelledby="compare-panel-title">
      <h2 class="lab-panel-title" id="compare-panel-title">
        <button type="button" class="lab-panel-toggle" aria-expanded={open} aria-controls="compare-panel-body" onClick={() => setOpen(!open)}>
          <span aria-hidden="true">{open ? '▾' : '▸'}</span> Compare modes
        </button>
      </h2>
      <div class="lab-panel-body" id="compare-panel-body" hidden={!open}>
        {!view ? (
          <p class="pp-empty">{error || (ask ? 'Reading the rules…' : 'Waiting for the cluster…')}</p>
        ) : (
          <>
            <div class="cmp-pickers">
              <label>
                Service{' '}
                <select value={view.service} onChange={(e) => setService((e.currentTarget as HTMLSelectElement).value)}>
                  {view.services.map((s) => (
                    <option key={s} value={s}>
                      {s}
                    </option>
                  ))}
                </select>
              </label>
              <label>
                Node{' '}
                <select value={view.node} onChange={(e) => setNode((e.currentTarget as HTMLSelectElement).value)}>
                  {view.nodes.map((n) => (
                    <option key={n} value={n}>
                      {n}
                    </option>
                  ))}
                </select>
              </label>
            </div>
            {error && <p class="pp-empty" role="alert">{error}</p>}
            <div class="cmp-columns">
              {view.views.map((m) => (
                <div class="cmp-column" key={m.mode} data-mode={m.mode}>
                  <h3 class="cmp-title">
                    {MODE_TITLE[m.mode]} <span class={m.live ? 'cmp-live' : 'cmp-shadow'}>{m.live ? `live on ${view.node}` : 'if kube-proxy ran this mode'}</span>
                  </h3>
                  <p class="cmp-command">
                    <code>{m.command}</code>
                  </p>
                  <pre class="pp-pre cmp-pre" tabIndex={0} aria-label={`${MODE_TITLE[m.mode]} rules for ${view.service}`}>
                    {m.text}
                  </pre>
                </div>
              ))}
            </div>
          </>
        )}
      </div>
    </section>
  );
}
