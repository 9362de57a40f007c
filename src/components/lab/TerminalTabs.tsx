/**
 * Tabs above the lab terminal (WAI-ARIA tabs pattern, automatic activation): Left/Right move
 * between tabs and show the one focused, Home/End jump to the first/last; only the selected
 * tab is in the Tab order. Each tab is its own shell on the one lab cluster.
 */
interface Props {
  labels: string[];
  active: number;
  /** Ids of the panels that exist (a tab's panel is made when it is first opened). */
  panelIds: (string | undefined)[];
  idPrefix: string;
  onSelect: (index: number, via: 'key' | 'click') => void;
}

export function TerminalTabs({ labels, active, panelIds, idPrefix, onSelect }: Props) {
  const onKeyDown = (e: KeyboardEvent) => {
    const last = labels.length - 1;
    const next = e.key === 'ArrowRight' ? (active === last ? 0 : active + 1) : e.key === 'ArrowLeft' ? (active === 0 ? last : active - 1) : e.key === 'Home' ? 0 : e.key === 'End' ? last : undefined;
    if (next === undefined) return;
    e.preventDefault();
    onSelect(next, 'key');
    document.getElementById(`${idPrefix}-tab-${next}`)?.focus();
  };
  return (
    <div class="lab-terminal-tabs" role="tablist" aria-label="Terminal tabs" onKeyDown={onKeyDown}>
      {labels.map((label, i) => (
        <button
          type="button"
          role="tab"
          id={`${idPrefix}-tab-${i}`}
          class="lab-terminal-tab"
          aria-selected={i === active}
          aria-controls={panelIds[i]}
          tabIndex={i === active ? 0 : -1}
          onClick={() => onSelect(i, 'click')}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
