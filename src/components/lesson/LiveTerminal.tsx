/**
 * The interactive half of a lesson's live block (LiveBlock.astro renders the rest at build
 * time). Hydrated when the block scrolls into view (`client:visible`), it only draws buttons:
 * the terminal, xterm.js and the cluster's Web Worker load when the learner presses "Start the
 * cluster" or one of the suggested commands. That keeps a lesson page light until then, and
 * every block on a page gets its own cluster, only when asked for.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';

interface Props {
  /** Unique on the page and stable across builds: history is kept per block. */
  id: string;
  title: string;
  manifests: { text: string; source: string }[];
  seed: number;
  /** Suggested command lines: each button types one into the terminal and runs it. */
  commands: string[];
}

type TerminalHandle = { type(line: string): void; focus(): void };
type TerminalProps = {
  slug: string;
  manifests: Props['manifests'];
  seed: number;
  label: string;
  onTerminal: (t: TerminalHandle) => void;
};
type State = 'idle' | 'loading' | 'active' | 'failed';

export default function LiveTerminal({ id, title, manifests, seed, commands }: Props) {
  const root = useRef<HTMLDivElement>(null);
  const handle = useRef<TerminalHandle>();
  // Lines asked for before the terminal was ready: typed as soon as it is.
  const queued = useRef<string[]>([]);
  const [state, setState] = useState<State>('idle');
  const [Term, setTerm] = useState<ComponentType<TerminalProps>>();

  // The block's static listing gives way to the terminal (print CSS shows the listing again).
  useEffect(() => {
    root.current?.closest('.live-block')?.setAttribute('data-live', state);
  }, [state]);

  const start = () => {
    if (state === 'loading' || state === 'active') return;
    setState('loading');
    import('../lab/Terminal').then(
      (m) => {
        setTerm(() => m.default as ComponentType<TerminalProps>);
        setState('active');
      },
      () => setState('failed'),
    );
  };

  const run = (line: string) => {
    if (handle.current) {
      handle.current.type(line);
      handle.current.focus();
      return;
    }
    queued.current.push(line);
    start();
  };

  const onTerminal = (t: TerminalHandle) => {
    handle.current = t;
    for (const line of queued.current.splice(0)) t.type(line);
    t.focus();
  };

  return (
    <div class="live-island" ref={root}>
      <div class="live-controls">
        {state !== 'active' && (
          <button type="button" class="button live-start" onClick={start} disabled={state === 'loading'}>
            {state === 'loading' ? 'Starting…' : 'Start the cluster'}
          </button>
        )}
        {commands.length > 0 && (
          <div class="live-commands" role="group" aria-label={`Suggested commands for ${title}`}>
            <span class="live-commands-label">Try:</span>
            {commands.map((c) => (
              <button type="button" class="live-command" onClick={() => run(c)} title="Type this command into the terminal and run it">
                <code>{c}</code>
              </button>
            ))}
          </div>
        )}
      </div>
      {state === 'failed' && (
        <p class="live-error" role="alert">
          The terminal could not load (offline, or the page was updated). Reload the page to try again; the listing above shows what these commands print.
        </p>
      )}
      {Term && (
        <div class="live-terminal">
          <Term slug={`lesson:${id}`} manifests={manifests} seed={seed} label={title} onTerminal={onTerminal} />
        </div>
      )}
    </div>
  );
}
