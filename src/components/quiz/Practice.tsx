import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import {
  choiceCount, currentId, formatInterval, GRADE_NAMES, GRADES, loadState, matchKeyPoints, parseRequest, parseSession, pick, preview, rate, recordReview,
  requestKey, reveal, saveState, selectQuestions, SESSION_KEY, setText, startSession, suggestedGrade, verdict,
  type BankQuestion, type Grade, type PracticeSession, type QuizState,
} from '../../quiz';
import { TOPICS } from '../../lessons/topics';
import { fetchBank, readJSON, remove, shortcut, storage, writeJSON } from './client';
import { Html, KeyPoints, MarkedAnswer, PredictChoice, RealOutput, Scenario } from './Parts';

/**
 * The practice island (/quiz/practice/). Logic lives in src/quiz (session.ts, select.ts,
 * state.ts); this file renders it and maps keys: 1–9 pick a choice or (after answering)
 * 1–4 rate; Space reveals or checks; Enter checks, reveals or accepts the suggested rating.
 * Predict questions show their scenario and command; a typed prediction is checked with
 * Enter in its box.
 */

const VERDICT_TEXT = { correct: 'Correct.', partial: 'Partly right: some right choices are missing.', incorrect: 'Not quite.' } as const;

const CHIP = {
  single: 'Pick one',
  multi: 'Pick every right answer',
  recall: 'Answer out loud or type',
  'predict-choose': 'Predict the output: pick one',
  'predict-type': 'Predict the output: type it',
} as const;

/** The choices of a choice or predict question: HTML for the former, plain text for the latter. */
const choiceTexts = (q: BankQuestion): string[] => (q.type === 'predict' ? q.choices : q.type === 'recall' ? [] : q.choicesHtml);

interface Loaded {
  bank: Map<string, BankQuestion>;
  state: QuizState;
  session: PracticeSession;
  notices: string[];
}

function load(questions: BankQuestion[]): Loaded {
  const bank = new Map(questions.map((q) => [q.id, q]));
  const { state, notice } = loadState(storage());
  const notices = notice ? [notice] : [];
  const request = parseRequest(location.search) ?? { mode: 'topic' as const, topics: [], levels: [], count: 10 };
  const key = requestKey(request);
  const raw = readJSON(SESSION_KEY);
  const saved = raw === null ? null : parseSession(raw, new Set(bank.keys()));
  if (raw !== null && !saved) {
    remove(SESSION_KEY);
    notices.push('Your unfinished practice session could not be read, so a new one was started.');
  }
  const now = Date.now();
  const session = saved && saved.key === key && saved.phase !== 'done' ? saved : startSession(selectQuestions(questions, state, request, now), key, now);
  return { bank, state, session, notices };
}

export default function Practice() {
  const [data, setData] = useState<Loaded | null>(null);
  const [failed, setFailed] = useState(false);
  const [session, setSessionState] = useState<PracticeSession | null>(null);
  const [state, setState] = useState<QuizState | null>(null);
  // Key presses can arrive before the re-render that follows typing; every change goes
  // through `latest` so none works on a stale session.
  const latest = useRef<PracticeSession | null>(null);
  const setSession = (s: PracticeSession) => {
    latest.current = s;
    setSessionState(s);
  };
  const update = (f: (s: PracticeSession) => PracticeSession) => {
    if (latest.current) setSession(f(latest.current));
  };
  const heading = useRef<HTMLDivElement>(null);
  const textbox = useRef<HTMLTextAreaElement>(null);
  const valuebox = useRef<HTMLInputElement>(null);
  const suggested = useRef<HTMLButtonElement>(null);

  useEffect(() => {
    fetchBank().then(
      (qs) => {
        const d = load(qs);
        setData(d);
        setState(d.state);
        setSession(d.session);
      },
      () => setFailed(true),
    );
  }, []);

  // Save after every step, so a reload resumes here; a finished session is not resumed.
  useEffect(() => {
    if (!session) return;
    if (session.phase === 'done') remove(SESSION_KEY);
    else writeJSON(SESSION_KEY, session);
  }, [session]);

  const q = session && data ? data.bank.get(currentId(session) ?? '') : undefined;
  // Questions answered in a text field rather than by picking a choice.
  const typing = q?.type === 'recall' || (q?.type === 'predict' && q.mode === 'type');

  // Focus follows the step: the text box for a recall answer, the question otherwise,
  // and the suggested rating once the answer shows (Enter then accepts it). A layout effect:
  // focus moves as the step is drawn, so keys typed at once land in the right place.
  const step = session ? `${session.index}:${session.phase}` : '';
  const first = useRef(true);
  useLayoutEffect(() => {
    if (!session) return;
    const initial = first.current;
    first.current = false;
    if (session.phase === 'revealed') suggested.current?.focus();
    // On a phone, focusing the box at page load would pop the keyboard over the question.
    else if (typing && (!initial || matchMedia('(pointer: fine)').matches)) (textbox.current ?? valuebox.current)?.focus({ preventScroll: initial });
    else heading.current?.focus({ preventScroll: initial });
  }, [step]);

  const doRate = (grade: Grade) => {
    const s = latest.current;
    if (!s || !q || !state || s.phase !== 'revealed') return;
    const next = recordReview(state, q.id, grade, Date.now());
    saveState(storage(), next);
    setState(next);
    setSession(rate(s, q, grade));
  };

  // A layout effect: the keys work from the moment the question is on screen.
  useLayoutEffect(() => {
    if (!session || !q) return;
    const onKey = (e: KeyboardEvent) => {
      // Ctrl/Cmd+Enter in the answer box reveals (Enter alone is a new line).
      const session = latest.current;
      if (!session) return;
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter' && session.phase === 'answer' && q.type === 'recall') {
        e.preventDefault();
        update((s) => reveal(s, q));
        return;
      }
      const key = shortcut(e);
      if (!key) return;
      const digit = /^[1-9]$/.test(key) ? Number(key) : 0;
      if (session.phase === 'answer') {
        if (digit && choiceCount(q) > 0) update((s) => pick(s, q, digit - 1));
        else if (key === ' ' || key === 'Enter') update((s) => reveal(s, q));
        else return;
      } else if (session.phase === 'revealed') {
        if (digit >= 1 && digit <= 4) doRate(digit as Grade);
        else if (key === 'Enter' || key === ' ') doRate(suggestedGrade(session, q));
        else return;
      } else return;
      e.preventDefault();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });

  const intervals = useMemo(() => (q && state ? preview(state.cards[q.id], Date.now()) : null), [q, state, session?.phase]);

  if (failed) return <p role="alert" class="notice">The questions could not be loaded. Check your connection and reload the page.</p>;
  if (!data || !session || !state) return <p class="muted" aria-live="polite">Loading questions…</p>;

  const notices = data.notices.map((n) => (
    <p class="notice" role="status">
      {n}
    </p>
  ));

  if (session.phase === 'done') return <>{notices}<Summary session={session} bank={data.bank} /></>;
  if (!q) return null;

  const total = session.ids.length;
  const v = verdict(session, q);
  const match = q.type === 'recall' && session.phase === 'revealed' ? matchKeyPoints(session.text, q.keyPoints) : null;
  const suggestion = session.phase === 'revealed' ? suggestedGrade(session, q) : null;

  return (
    <div class="practice" data-phase={session.phase} data-question={q.id}>
      {notices}
      <div class="practice-bar">
        <span>
          Question {session.index + 1} of {total}
        </span>
        <progress max={total} value={session.index} aria-label="Session progress" />
      </div>
      <article class="card practice-card">
        <p class="meta">
          <span class={`chip level-${q.level}`}>{q.level}</span>
          <span class="chip">{TOPICS[q.topic]}</span>
          <span class="chip">{CHIP[q.type === 'predict' ? (`predict-${q.mode}` as const) : q.type]}</span>
        </p>
        <h2 class="visually-hidden">Question {session.index + 1}</h2>
        <div class="practice-prompt prose" tabIndex={-1} ref={heading} dangerouslySetInnerHTML={{ __html: q.promptHtml }} />

        {q.type === 'predict' && <Scenario q={q} />}

        {choiceCount(q) > 0 && (
          <div class="choices" role="group" aria-label="Choices">
            {choiceTexts(q).map((c, i) => {
              const picked = session.picked.includes(i);
              const right = q.type === 'predict' ? q.answer === i : q.type !== 'recall' && q.answer.includes(i);
              const state = session.phase === 'revealed' ? (right ? 'right' : picked ? 'wrong' : '') : '';
              const label = (
                <>
                  <kbd aria-hidden="true">{i + 1}</kbd>
                  {q.type === 'predict' ? <PredictChoice text={c} /> : <Html html={c} class="choice-text" />}
                  {state === 'right' && <span class="choice-mark">✓<span class="visually-hidden"> right answer</span></span>}
                  {state === 'wrong' && <span class="choice-mark">✗<span class="visually-hidden"> your pick, wrong</span></span>}
                </>
              );
              return q.type !== 'multi' ? (
                <button type="button" class={`choice ${state}`} aria-pressed={picked} disabled={session.phase !== 'answer'} onClick={() => update((s) => pick(s, q, i))}>
                  {label}
                </button>
              ) : (
                <label class={`choice ${state}`}>
                  <input type="checkbox" checked={picked} disabled={session.phase !== 'answer'} onChange={() => update((s) => pick(s, q, i))} />
                  {label}
                </label>
              );
            })}
          </div>
        )}

        {q.type === 'predict' && q.mode === 'type' && session.phase === 'answer' && (
          <div class="predict-input">
            <label for="practice-value">What does it print? Type the value the question asks for</label>
            <input
              id="practice-value"
              ref={valuebox}
              type="text"
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              value={session.text}
              onInput={(e) => update((s) => setText(s, e.currentTarget.value))}
              onKeyDown={(e) => {
                if (e.key === 'Enter') {
                  e.preventDefault();
                  update((s) => reveal(s, q));
                }
              }}
            />
          </div>
        )}

        {q.type === 'recall' && session.phase === 'answer' && (
          <div class="recall-input">
            <label for="practice-answer">Your answer (optional: you can also say it out loud)</label>
            <textarea id="practice-answer" ref={textbox} rows={6} value={session.text} onInput={(e) => update((s) => setText(s, e.currentTarget.value))} />
          </div>
        )}

        {session.phase === 'answer' && (
          <p class="actions">
            {q.type === 'recall' ? (
              <button type="button" class="button" onClick={() => update((s) => reveal(s, q))}>
                Show the model answer <kbd>Space</kbd>
              </button>
            ) : q.type === 'multi' ? (
              <button type="button" class="button" disabled={session.picked.length === 0} onClick={() => update((s) => reveal(s, q))}>
                Check <kbd>Enter</kbd>
              </button>
            ) : q.type === 'predict' && q.mode === 'type' ? (
              <button type="button" class="button" disabled={!session.text.trim()} onClick={() => update((s) => reveal(s, q))}>
                Check <kbd>Enter</kbd>
              </button>
            ) : null}
            <span class="muted hint">{q.type === 'recall' ? 'In the box, Ctrl+Enter shows the answer.' : typing ? 'Case and surrounding quotes do not matter.' : `Keys 1–${choiceCount(q)} pick.`}</span>
          </p>
        )}

        {session.phase === 'revealed' && (
          <div class="revealed">
            {v && (
              <p class={`verdict ${v}`} role="status">
                {VERDICT_TEXT[v]}
              </p>
            )}
            {q.type === 'recall' && match && (
              <>
                <h3>Your answer</h3>
                <MarkedAnswer text={session.text} result={match} />
                <h3>
                  Key points{' '}
                  <span class="muted" role="status">
                    ({session.text.trim() ? `your answer covered ${match.covered} of ${match.total}` : `${match.total}`})
                  </span>
                </h3>
                <KeyPoints points={match.points.map((p) => ({ text: p.text, covered: !!session.text.trim() && p.covered }))} />
                <h3>Model answer</h3>
                <Html html={q.modelHtml} />
                {q.followUpsHtml.length > 0 && (
                  <>
                    <h3>Likely follow-ups</h3>
                    <ul class="prose">
                      {q.followUpsHtml.map((f) => (
                        <li dangerouslySetInnerHTML={{ __html: f }} />
                      ))}
                    </ul>
                  </>
                )}
              </>
            )}
            {q.type === 'predict' && (
              <>
                {q.mode === 'type' && (
                  <p class="predict-answer">
                    Your answer: <code>{session.text.trim()}</code> · the engine's: <code>{q.truth}</code>
                  </p>
                )}
                <RealOutput q={q} />
              </>
            )}
            <h3>Explanation</h3>
            <Html html={q.explanationHtml} />
            {q.lab && (
              <p>
                Hands-on: <a href={`/labs/${q.lab}/`}>try it in a lab</a>
              </p>
            )}
          </div>
        )}
      </article>

      {session.phase === 'revealed' && (
        <div class="rate" role="group" aria-labelledby="rate-title">
          <p id="rate-title" class="rate-title">
            How well did you know it? <span class="muted">Keys 1–4; Enter takes the highlighted one.</span>
          </p>
          <div class="rate-buttons">
            {GRADES.map((g) => (
              <button type="button" class={`rate-button${g === suggestion ? ' suggested' : ''}`} ref={g === suggestion ? suggested : undefined} onClick={() => doRate(g)} data-grade={g}>
                <kbd aria-hidden="true">{g}</kbd> {GRADE_NAMES[g]}
                {intervals && <span class="interval">{formatInterval(intervals[g])}</span>}
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

function Summary({ session, bank }: { session: PracticeSession; bank: Map<string, BankQuestion> }) {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  const counts = GRADES.map((g) => session.results.filter((r) => r.grade === g).length);
  if (session.results.length === 0) {
    return (
      <div class="card summary">
        <h2 tabIndex={-1} ref={h}>
          Nothing to practise here
        </h2>
        <p>No question matches this choice right now — nothing is due, or the filter is empty.</p>
        <p>
          <a class="button" href="/quiz/">
            Choose topics
          </a>
        </p>
      </div>
    );
  }
  return (
    <div class="card summary" data-summary>
      <h2 tabIndex={-1} ref={h}>
        Session complete
      </h2>
      <p>
        {session.results.length} answers rated: {GRADES.map((g, i) => `${counts[i]} ${GRADE_NAMES[g]}`).join(', ')}. Each question comes back when FSRS expects you to be about to forget it.
      </p>
      <ol class="summary-list">
        {session.results.map((r) => (
          <li>
            <span class={`chip grade-${r.grade}`}>{GRADE_NAMES[r.grade]}</span> <a href={`/quiz/#${r.id}`}>{bank.get(r.id)?.promptText ?? r.id}</a>
          </li>
        ))}
      </ol>
      <p class="actions">
        <a class="button" href="/quiz/">
          Practise more
        </a>
        <a class="button secondary" href="/progress/">
          See your progress
        </a>
      </p>
    </div>
  );
}
