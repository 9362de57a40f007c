/**
 * The lab's task list (rendered at build time, hydrated on load): each task's state as the
 * worker last checked it, a progress bar, polite announcements when a task turns done or
 * undone, hints that open one at a time, and the solution behind a confirmation. Revealing
 * the solution sends the lab's quiz questions back to review (issue #8 point 5); the quiz
 * bank is fetched only then.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TaskState } from '../../lab/protocol';
import { hintsOpen, solutionShown, taskStates } from './lab-state';

interface Props {
  slug: string;
  tasks: { id: string; title: string; html: string }[];
  /** Hints as HTML, in order. */
  hints: string[];
  solutionHtml: string;
}

export default function TaskPanel({ slug, tasks, hints, solutionHtml }: Props) {
  const states = taskStates.value;
  const byId = new Map((states ?? []).map((s) => [s.id, s]));
  const done = tasks.filter((t) => byId.get(t.id)?.done).length;
  const label = `${done} of ${tasks.length} ${tasks.length === 1 ? 'task' : 'tasks'} done`;
  const announcement = useAnnouncement(tasks, states, label);

  return (
    <div class="lab-tasks">
      <div class="lab-progress">
        <p class="lab-progress-label" id="lab-progress-label">
          {states ? label : 'Checking your cluster…'}
        </p>
        <div
          class="lab-progress-bar"
          role="progressbar"
          aria-labelledby="lab-progress-label"
          aria-valuemin={0}
          aria-valuemax={tasks.length}
          aria-valuenow={done}
          aria-valuetext={label}
        >
          {/* An SVG fill: the CSP admits no style attributes, SVG geometry is not a style. */}
          <svg viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="lab-progress-fill" x="0" y="0" height="10" width={tasks.length ? (100 * done) / tasks.length : 0} />
          </svg>
        </div>
      </div>
      <p class="visually-hidden" aria-live="polite" aria-atomic="true">
        {announcement}
      </p>

      <ol class="tasks">
        {tasks.map((t, i) => {
          const s = byId.get(t.id);
          return (
            <li id={`task-${t.id}`} class="task" data-done={s ? String(s.done) : undefined}>
              <h3 class="task-title">
                <span class="task-mark" aria-hidden="true">
                  {s?.done ? '✓' : i + 1}
                </span>
                <span>{t.title}</span>
              </h3>
              <p class="task-state">{!s ? 'Not checked yet' : s.done ? 'Done' : 'Not done yet'}</p>
              <div class="prose" dangerouslySetInnerHTML={{ __html: t.html }} />
              {s && <Checks state={s} />}
            </li>
          );
        })}
      </ol>

      {hints.length > 0 && <Hints hints={hints} />}
      <Solution slug={slug} html={solutionHtml} />
    </div>
  );
}

function Checks({ state }: { state: TaskState }) {
  const passing = state.checks.filter((c) => c.ok).length;
  return (
    <details class="task-checks">
      <summary>
        Checks: {passing} of {state.checks.length} {state.checks.length === 1 ? 'holds' : 'hold'}
      </summary>
      <ul>
        {state.checks.map((c) => (
          <li class={c.ok ? 'check-ok' : 'check-fail'}>
            <span class="check-verdict">{c.ok ? 'Holds:' : 'Not yet:'}</span> <code>{c.summary}</code>
          </li>
        ))}
      </ul>
    </details>
  );
}

function Hints({ hints }: { hints: string[] }) {
  const open = Math.min(hintsOpen.value, hints.length);
  const lastOpened = useRef<HTMLLIElement>(null);
  const [moved, setMoved] = useState(false);
  useEffect(() => {
    // Keyboard users land on the hint they just opened.
    if (moved) lastOpened.current?.focus();
  }, [open, moved]);
  return (
    <section class="lab-hints" aria-labelledby="lab-hints-title">
      <h2 id="lab-hints-title">Hints</h2>
      {open > 0 && (
        <ol class="hints">
          {hints.slice(0, open).map((h, i) => (
            <li class="hint" tabIndex={-1} ref={i === open - 1 ? lastOpened : undefined} aria-label={`Hint ${i + 1} of ${hints.length}`}>
              <div class="prose" dangerouslySetInnerHTML={{ __html: h }} />
            </li>
          ))}
        </ol>
      )}
      {open < hints.length ? (
        <button
          type="button"
          class="button secondary"
          onClick={() => {
            setMoved(true);
            hintsOpen.value = open + 1;
          }}
        >
          Show hint {open + 1} of {hints.length}
        </button>
      ) : (
        <p class="muted">All {hints.length} hints are open.</p>
      )}
    </section>
  );
}

function Solution({ slug, html }: { slug: string; html: string }) {
  const [asking, setAsking] = useState(false);
  const [flagged, setFlagged] = useState('');
  const shown = solutionShown.value;
  const confirmRef = useRef<HTMLButtonElement>(null);
  const solutionRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);

  const reveal = async () => {
    setAsking(false);
    solutionShown.value = true;
    requestAnimationFrame(() => solutionRef.current?.focus());
    try {
      const { flagLabQuestions } = await import('./flag-review');
      const n = await flagLabQuestions(slug, Date.now());
      setFlagged(n > 0 ? `${n} quiz ${n === 1 ? 'question' : 'questions'} about this lab ${n === 1 ? 'is' : 'are'} back in your review queue.` : '');
    } catch {
      // The quiz bank could not load (offline): the solution is shown all the same.
    }
  };

  return (
    <section class="lab-solution" aria-labelledby="lab-solution-title">
      <h2 id="lab-solution-title">Solution</h2>
      {shown ? (
        <div class="solution-body" tabIndex={-1} ref={solutionRef}>
          <div dangerouslySetInnerHTML={{ __html: html }} />
          {flagged && <p class="muted">{flagged}</p>}
        </div>
      ) : asking ? (
        <div class="confirm" role="group" aria-labelledby="solution-confirm-text">
          <p id="solution-confirm-text">
            Show the solution? Try the hints first: seeing it also puts this lab’s quiz questions back in your review queue.
          </p>
          <button type="button" class="button" ref={confirmRef} onClick={() => void reveal()}>
            Yes, show the solution
          </button>{' '}
          <button type="button" class="button secondary" onClick={() => setAsking(false)}>
            Not yet
          </button>
        </div>
      ) : (
        <button type="button" class="button secondary" onClick={() => setAsking(true)}>
          Show the solution…
        </button>
      )}
    </section>
  );
}

/** What to say (politely) when tasks turn done or undone; silent on the first check. */
function useAnnouncement(tasks: Props['tasks'], states: TaskState[] | undefined, label: string): string {
  const previous = useRef<Map<string, boolean> | undefined>(undefined);
  const [text, setText] = useState('');
  useEffect(() => {
    if (!states) return;
    const now = new Map(states.map((s) => [s.id, s.done]));
    const before = previous.current;
    previous.current = now;
    if (!before) return;
    const changes = tasks.filter((t) => now.has(t.id) && before.has(t.id) && now.get(t.id) !== before.get(t.id));
    if (changes.length === 0) return;
    const parts = changes.map((t) => (now.get(t.id) ? `Task done: ${t.title}.` : `Task no longer done: ${t.title}.`));
    setText(`${parts.join(' ')} ${label}.`);
  }, [states]);
  return text;
}
