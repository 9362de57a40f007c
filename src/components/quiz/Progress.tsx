import { useEffect, useState } from 'preact/hooks';
import {
  ankiDeck, ankiFileName, dueCounts, exportProgress, loadState, parseImport, saveState, streak, topicStats,
  type BankQuestion, type QuizState, type TopicStats,
} from '../../quiz';
import { TOPICS, type Topic } from '../../lessons/topics';
import { readDone, writeDone } from '../site/progress';
import { download, fetchBank, storage, today } from './client';
import { percent, Report, when } from './Parts';

/**
 * The quiz half of the progress page: mastery per topic (chart + table), streak, due
 * counts, mock-interview history, export/import of all progress, Anki decks. Numbers come
 * from src/quiz/stats.ts; this file only draws them.
 */

export default function Progress() {
  const [bank, setBank] = useState<BankQuestion[] | null>(null);
  const [state, setState] = useState<QuizState | null>(null);
  const [notice, setNotice] = useState('');
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const loaded = loadState(storage());
    setState(loaded.state);
    if (loaded.notice) setNotice(loaded.notice);
    fetchBank().then(setBank, () => setFailed(true));
  }, []);

  // The page grew when the numbers came: go (again) to the section the link named.
  useEffect(() => {
    if (bank && location.hash) document.getElementById(decodeURIComponent(location.hash.slice(1)))?.scrollIntoView();
  }, [bank]);

  if (failed) return <p role="alert" class="notice">The questions could not be loaded, so quiz progress cannot be shown. Reload to try again.</p>;
  // Rendered at build time too: the headings (and their ids, which links point at) are
  // there before the numbers arrive.
  if (!bank || !state) {
    return (
      <div class="progress-quiz">
        <h2 id="quiz-title">Quiz</h2>
        <p class="muted">Loading your progress…</p>
        <h2 id="mock-history">Mock interviews</h2>
        <p class="muted">Loading…</p>
      </div>
    );
  }

  const now = Date.now();
  const stats = topicStats(bank, state, now);
  const due = dueCounts(bank, state, now);
  const run = streak(state.days, now);
  const rated = Object.values(state.cards).filter((c) => c.state !== 0).length;

  const onImport = async (e: Event) => {
    const input = e.currentTarget as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (!file) return;
    const r = parseImport(await file.text());
    if (!r.ok) {
      setMessage({ ok: false, text: r.message });
      return;
    }
    saveState(storage(), r.progress.quiz);
    writeDone(localStorage, new Set(r.progress.lessonsDone));
    setState(r.progress.quiz);
    setNotice('');
    document.dispatchEvent(new CustomEvent('clusterpath:progress-imported'));
    setMessage({ ok: true, text: `Imported: ${Object.keys(r.progress.quiz.cards).length} questions' progress, ${r.progress.quiz.mocks.length} mock interviews and ${r.progress.lessonsDone.length} lessons done.` });
  };

  return (
    <div class="progress-quiz">
      {notice && <p class="notice" role="status">{notice}</p>}
      <section aria-labelledby="quiz-title">
        <h2 id="quiz-title">Quiz</h2>
        <dl class="stat-cards">
          <div class="card">
            <dt>Streak</dt>
            <dd data-streak>
              {run.days} {run.days === 1 ? 'day' : 'days'}
            </dd>
            <dd class="muted">{run.today ? 'Practised today' : run.days ? 'Practise today to keep it' : 'Answer a question to start one'}</dd>
          </div>
          <div class="card">
            <dt>Due now</dt>
            <dd data-due-now>{due.now}</dd>
            <dd class="muted">
              {due.today} today · {due.tomorrow} tomorrow
            </dd>
          </div>
          <div class="card">
            <dt>Questions rated</dt>
            <dd data-rated>
              {rated} of {bank.length}
            </dd>
            <dd class="muted">{due.fresh} not seen yet</dd>
          </div>
        </dl>
        <p class="actions">
          <a class="button" href="/quiz/practice/?due=1">
            Review what is due ({due.today})
          </a>
          <a class="button secondary" href="/quiz/">
            Practise by topic
          </a>
        </p>

        <h3 id="mastery-title">Mastery by topic</h3>
        <p class="muted">How likely you are to recall each topic's answers today: FSRS's recall probability, averaged over all the topic's questions (unseen ones count as 0).</p>
        <MasteryChart stats={stats} />
        <details class="data-table">
          <summary>Mastery as a table</summary>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Mastery by topic</caption>
              <thead>
                <tr>
                  <th scope="col">Topic</th>
                  <th scope="col">Questions</th>
                  <th scope="col">Rated</th>
                  <th scope="col">Due today</th>
                  <th scope="col">Mastery</th>
                </tr>
              </thead>
              <tbody>
                {stats.map((s) => (
                  <tr>
                    <th scope="row">{s.label}</th>
                    <td>{s.total}</td>
                    <td>{s.seen}</td>
                    <td>{s.dueToday}</td>
                    <td>{s.mastery}%</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </details>
      </section>

      <section aria-labelledby="mock-history">
        <h2 id="mock-history">Mock interviews</h2>
        {state.mocks.length === 0 ? (
          <p class="muted">
            None yet. <a href="/quiz/mock/">Try a mock interview</a>.
          </p>
        ) : (
          <ol class="mock-list">
            {state.mocks.map((m) => (
              <li>
                <details>
                  <summary>
                    {when(m.at)} · <strong>{percent(m.covered, m.total)}%</strong> of key points · {m.items.length} questions
                    {m.topics.length > 0 && <span class="muted"> · {m.topics.map((t) => TOPICS[t as Topic] ?? t).join(', ')}</span>}
                  </summary>
                  <Report report={m} bank={bank} />
                </details>
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="transfer-title">
        <h2 id="transfer-title">Keep or move your progress</h2>
        <p class="muted">Everything stays in this browser. Export it to keep a copy or to move to another browser; importing a file replaces the progress here.</p>
        <p class="actions">
          <button type="button" class="button secondary" data-export onClick={() => download(`clusterpath-progress-${today(Date.now())}.json`, exportProgress({ quiz: state, lessonsDone: [...readDone(localStorage)] }, Date.now()), 'application/json')}>
            Export all progress
          </button>
          <label class="button secondary file-button">
            Import progress…
            <input type="file" accept=".json,application/json" class="visually-hidden" data-import onChange={onImport} />
          </label>
        </p>
        {message && (
          <p class={`notice ${message.ok ? 'ok' : 'error'}`} role={message.ok ? 'status' : 'alert'} data-import-message>
            {message.text}
          </p>
        )}
        <AnkiExport bank={bank} />
      </section>
    </div>
  );
}

/**
 * Horizontal bars: a row per topic, each bar a tiny SVG sized by attributes (the CSP
 * admits no inline styles). Screen readers get one summary; the table has the details.
 */
function MasteryChart({ stats }: { stats: TopicStats[] }) {
  const summary = stats.map((s) => `${s.label} ${s.mastery}%`).join(', ');
  return (
    <div class="mastery-chart" role="img" aria-label={`Mastery by topic: ${summary}`} data-chart>
      {stats.map((s) => (
        <div class="bar-row" aria-hidden="true">
          <span class="bar-label">{s.label}</span>
          <svg class="bar-svg" viewBox="0 0 100 1" preserveAspectRatio="none" focusable="false">
            <rect class="bar-track" width="100" height="1" />
            <rect class="bar" width={s.mastery} height="1" />
          </svg>
          <span class="bar-value">{s.mastery}%</span>
        </div>
      ))}
    </div>
  );
}

function AnkiExport({ bank }: { bank: BankQuestion[] }) {
  const topics = (Object.keys(TOPICS) as Topic[]).filter((t) => bank.some((q) => q.topic === t));
  const [topic, setTopic] = useState<Topic>(topics[0]!);
  return (
    <div class="anki">
      <h3>Anki deck</h3>
      <p class="muted">A topic's questions as a text file Anki imports (File → Import): one note per question, in the deck "ClusterPath::topic".</p>
      <p class="actions">
        <label for="anki-topic">Topic</label>
        <select id="anki-topic" value={topic} onChange={(e) => setTopic(e.currentTarget.value as Topic)}>
          {topics.map((t) => (
            <option value={t}>{TOPICS[t]}</option>
          ))}
        </select>
        <button type="button" class="button secondary" data-anki onClick={() => download(ankiFileName(topic), ankiDeck(bank.filter((q) => q.topic === topic), `ClusterPath::${TOPICS[topic]}`), 'text/tab-separated-values')}>
          Export for Anki
        </button>
      </p>
    </div>
  );
}
