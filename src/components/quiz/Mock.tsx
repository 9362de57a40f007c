import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  addMockReport, catchUp, chooseMockQuestions, LENGTHS, loadState, MINUTES, MOCK_KEY, nextQuestion, parseMock, remaining, saveState,
  scoreMock, setAnswer, startMock, type BankQuestion, type MockReport, type MockSession,
} from '../../quiz';
import { TOPICS, type Topic } from '../../lessons/topics';
import { fetchBank, readJSON, remove, shortcut, storage, writeJSON } from './client';
import { Html, PredictChoice, Report, Scenario } from './Parts';

/**
 * The mock-interview island (/quiz/mock/): choose length, time and topics; answer each
 * question in writing against a clock; get a report of the key points covered, saved to
 * the progress history. Predict-the-output questions, when chosen, show their scenario and
 * take a pick (keys 1–N) or a typed value. Logic: src/quiz/mock.ts.
 */

const clock = (s: number) => `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;

export default function Mock() {
  const [bank, setBank] = useState<BankQuestion[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [mock, setMockState] = useState<MockSession | null>(null);
  // Ctrl+Enter can come before the re-render that follows the last keystroke: always act
  // on the latest session, not the one this render saw.
  const latest = useRef<MockSession | null>(null);
  const setMock = (m: MockSession | null) => {
    latest.current = m;
    setMockState(m);
  };
  const [report, setReport] = useState<MockReport | null>(null);
  const [notice, setNotice] = useState('');
  const [now, setNow] = useState(Date.now());

  useEffect(() => {
    fetchBank().then((qs) => {
      const raw = readJSON(MOCK_KEY);
      const saved = raw === null ? null : parseMock(raw, new Set(qs.map((q) => q.id)));
      if (raw !== null && !saved) {
        remove(MOCK_KEY);
        setNotice('Your unfinished mock interview could not be read and was discarded.');
      }
      setBank(qs);
      if (saved) finishOrSet(catchUp(saved, Date.now()), qs);
    }, () => setFailed(true));
  }, []);

  function finishOrSet(m: MockSession, qs: BankQuestion[]) {
    if (!m.done) {
      writeJSON(MOCK_KEY, m);
      setMock(m);
      return;
    }
    const r = scoreMock(m, qs, Date.now());
    const loaded = loadState(storage());
    if (loaded.notice) setNotice(loaded.notice);
    saveState(storage(), addMockReport(loaded.state, r));
    remove(MOCK_KEY);
    setMock(null);
    setReport(r);
  }

  // The clock: once a second while a question is open; time out moves on by itself.
  useEffect(() => {
    if (!mock || !bank) return;
    const t = setInterval(() => {
      const n = Date.now();
      setNow(n);
      const m = latest.current;
      if (m && remaining(m, n) === 0) finishOrSet(catchUp(m, n), bank);
    }, 1000);
    return () => clearInterval(t);
  }, [mock, bank]);

  if (failed) return <p role="alert" class="notice">The questions could not be loaded. Check your connection and reload the page.</p>;
  if (!bank) return <p class="muted">Loading questions…</p>;
  const top = notice ? <p class="notice" role="status">{notice}</p> : null;

  if (report) {
    return (
      <div class="mock-report" data-report>
        {top}
        <ReportHeading />
        <Report report={report} bank={bank} showModel />
        <p class="actions">
          <button type="button" class="button" onClick={() => setReport(null)}>
            Another interview
          </button>
          <a class="button secondary" href="/progress/#mock-history">
            All your interviews
          </a>
        </p>
      </div>
    );
  }
  if (mock) {
    return (
      <>
        {top}
        <Running mock={mock} bank={bank} now={now} onChange={(f) => { const m = f(latest.current!); writeJSON(MOCK_KEY, m); setMock(m); }} onNext={() => finishOrSet(nextQuestion(latest.current!, Date.now()), bank)} />
      </>
    );
  }
  return (
    <>
      {top}
      <Setup bank={bank} onStart={(m) => { writeJSON(MOCK_KEY, m); setNow(Date.now()); setMock(m); }} />
    </>
  );
}

function ReportHeading() {
  const h = useRef<HTMLHeadingElement>(null);
  useEffect(() => h.current?.focus(), []);
  return (
    <h2 tabIndex={-1} ref={h}>
      Your interview report
    </h2>
  );
}

function Setup({ bank, onStart }: { bank: BankQuestion[]; onStart: (m: MockSession) => void }) {
  const recallTopics = (Object.keys(TOPICS) as Topic[]).map((t) => [t, bank.filter((q) => q.type === 'recall' && q.topic === t).length] as const).filter(([, n]) => n > 0);
  const [error, setError] = useState('');
  const submit = (e: Event) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget as HTMLFormElement);
    const config = { count: Number(f.get('count')), secondsPerQuestion: Number(f.get('minutes')) * 60, topics: f.getAll('topic') as Topic[], predict: f.get('predict') === 'on' };
    const ids = chooseMockQuestions(bank, config, Math.random);
    if (ids.length === 0) {
      setError('No interview questions in those topics yet; pick others.');
      return;
    }
    onStart(startMock(ids, config, Date.now()));
  };
  return (
    <form class="card mock-setup" onSubmit={submit}>
      <h2>Set up your interview</h2>
      <fieldset>
        <legend>Questions</legend>
        {LENGTHS.map((n) => (
          <label class="pill">
            <input type="radio" name="count" value={n} defaultChecked={n === 5} /> {n}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Minutes per question</legend>
        {MINUTES.map((n) => (
          <label class="pill">
            <input type="radio" name="minutes" value={n} defaultChecked={n === 3} /> {n}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>Topics (none ticked: all)</legend>
        <div class="topic-grid">
          {recallTopics.map(([t, n]) => (
            <label class="check">
              <input type="checkbox" name="topic" value={t} />{' '}
              <span>
                {TOPICS[t]} <span class="muted">({n})</span>
              </span>
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset>
        <legend>Question kinds</legend>
        <label class="check">
          <input type="checkbox" name="predict" /> <span>Also ask predict-the-output questions (what a command prints in a given cluster)</span>
        </label>
      </fieldset>
      {error && <p class="notice" role="alert">{error}</p>}
      <p class="actions">
        <button class="button" type="submit">
          Start the interview
        </button>
        <span class="muted hint">The clock starts at once. Answer in writing as you would out loud.</span>
      </p>
    </form>
  );
}

function Running({ mock, bank, now, onChange, onNext }: { mock: MockSession; bank: BankQuestion[]; now: number; onChange: (f: (m: MockSession) => MockSession) => void; onNext: () => void }) {
  const q = bank.find((x) => x.id === mock.ids[mock.index])!;
  const left = remaining(mock, now);
  const box = useRef<HTMLTextAreaElement & HTMLInputElement>(null);
  const heading = useRef<HTMLDivElement>(null);
  const choose = q.type === 'predict' && q.mode === 'choose';
  // Focus moves with the question as it is drawn (a layout effect): keys typed at once land in it.
  useLayoutEffect(() => (choose ? heading.current : box.current)?.focus({ preventScroll: true }), [mock.index]);
  const last = mock.index === mock.ids.length - 1;
  const answer = mock.answers[mock.index] ?? '';
  // Keys 1–N pick a predicted output (outside text fields); Ctrl+Enter goes on from anywhere.
  // A layout effect: the keys work from the moment the question is on screen (a plain
  // effect waits for the next frame, and a key pressed right after a reload was lost).
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
        e.preventDefault();
        onNext();
        return;
      }
      const key = shortcut(e);
      if (!choose || q.type !== 'predict' || !key || !/^[1-9]$/.test(key) || Number(key) > q.choices.length) return;
      e.preventDefault();
      const pick = String(Number(key) - 1);
      onChange((m) => setAnswer(m, pick));
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  });
  return (
    <div class="mock-running" data-question={q.id}>
      <div class="practice-bar">
        <span>
          Question {mock.index + 1} of {mock.ids.length}
        </span>
        <span class={`timer${left <= 30 ? ' low' : ''}`} role="timer" aria-label={`Time left: ${clock(left)}`}>
          {clock(left)}
        </span>
      </div>
      <article class="card practice-card">
        <h2 class="visually-hidden">Question {mock.index + 1}</h2>
        <div class="practice-prompt prose" tabIndex={-1} ref={heading} dangerouslySetInnerHTML={{ __html: q.promptHtml }} />
        {q.type === 'predict' && <Scenario q={q} />}
        {q.type === 'predict' && q.mode === 'choose' ? (
          <div class="choices" role="group" aria-label="Choices">
            {q.choices.map((c, i) => (
              <button type="button" class="choice" aria-pressed={answer === String(i)} onClick={() => onChange((m) => setAnswer(m, String(i)))}>
                <kbd aria-hidden="true">{i + 1}</kbd>
                <PredictChoice text={c} />
              </button>
            ))}
          </div>
        ) : q.type === 'predict' ? (
          <div class="predict-input">
            <label for="mock-value">What does it print? Type the value the question asks for</label>
            <input
              id="mock-value"
              ref={box}
              type="text"
              autocomplete="off"
              autocapitalize="off"
              spellcheck={false}
              value={answer}
              onInput={(e) => {
                const text = e.currentTarget.value;
                onChange((m) => setAnswer(m, text));
              }}
            />
          </div>
        ) : (
        <div class="recall-input">
          <label for="mock-answer">Your answer</label>
          <textarea
            id="mock-answer"
            ref={box}
            rows={9}
            value={mock.answers[mock.index]}
            onInput={(e) => {
              const text = e.currentTarget.value;
              onChange((m) => setAnswer(m, text));
            }}
          />
        </div>
        )}
        <p class="actions">
          <button type="button" class="button" onClick={onNext}>
            {last ? 'Finish and see the report' : 'Next question'} <kbd>Ctrl+Enter</kbd>
          </button>
          <span class="muted hint">{choose ? 'Keys 1–' + (q.type === 'predict' ? q.choices.length : 0) + ' pick. ' : ''}When the time is up, the next question comes by itself.</span>
        </p>
      </article>
    </div>
  );
}
