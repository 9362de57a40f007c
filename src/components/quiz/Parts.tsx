import type { BankQuestion, MatchResult, MockReport, PredictQuestion, RecallQuestion } from '../../quiz';
import { matchKeyPoints, segments } from '../../quiz';

/** Small pieces shared by the practice, mock-interview and progress islands. */

/** Our own build-time HTML (rendered markdown from content/quiz), never user input. */
export function Html({ html, class: cls = 'prose' }: { html: string; class?: string }) {
  return <div class={cls} dangerouslySetInnerHTML={{ __html: html }} />;
}

/**
 * What a predict question's cluster holds and what was typed before the command: the
 * objects and settings in a short list, the full manifests behind a disclosure.
 */
export function Scenario({ q }: { q: PredictQuestion }) {
  const s = q.scenario;
  return (
    <section class="scenario" aria-label="Scenario">
      <h3 class="scenario-title">Scenario</h3>
      <ul class="scenario-list">
        {s.settings.map((x) => (
          <li class="muted">{x}</li>
        ))}
        {s.objects.length > 0 && <li>{s.objects.join(' · ')}</li>}
      </ul>
      {s.manifests.trim() && (
        <details class="scenario-manifests">
          <summary>Manifests applied</summary>
          <pre tabIndex={0}>
            <code>{s.manifests}</code>
          </pre>
        </details>
      )}
      {s.setup.length > 0 && (
        <p class="scenario-setup">
          Typed first (output not shown):{' '}
          {s.setup.map((l, i) => (
            <>
              {i > 0 && ', then '}
              <code>{l}</code>
            </>
          ))}
        </p>
      )}
      <p class="scenario-command-label">Then this command:</p>
      <pre class="predict-command" tabIndex={0}>
        <code>
          {q.shellPrompt}
          {q.command}
        </code>
      </pre>
    </section>
  );
}

/** A predict choice: a whole output as a block, a short value inline. */
export function PredictChoice({ text }: { text: string }) {
  const shown = text.replace(/\n$/, '');
  return shown.includes('\n') ? (
    <pre class="choice-text choice-output">
      <code>{shown}</code>
    </pre>
  ) : (
    <span class="choice-text">
      <code>{shown}</code>
    </span>
  );
}

/** What the terminal really showed, computed by the engine at build time. */
export function RealOutput({ q }: { q: PredictQuestion }) {
  return (
    <>
      <h3>What the terminal printed</h3>
      <pre class="real-output" tabIndex={0} data-real-output>
        <code>{`${q.shellPrompt}${q.command}\n${q.output.replace(/\n$/, '')}`}</code>
      </pre>
      <p class="muted exit-status">Exit status {q.exitCode}{q.output.trim() ? '' : ' (the command printed nothing)'}.</p>
    </>
  );
}

/** A mock answer to a predict question: the picked choice (saved as its index) or the typed value. */
function PredictedAnswer({ q, answer }: { q: PredictQuestion; answer: string }) {
  if (!answer.trim()) return <p class="answer-text muted">(No answer.)</p>;
  if (q.mode === 'type') return <p class="answer-text"><code>{answer.trim()}</code> <span class="muted">(the engine's: <code>{q.truth}</code>)</span></p>;
  const text = q.choices[Number(answer)];
  return text === undefined ? <p class="answer-text muted">(No answer.)</p> : <PredictChoice text={text} />;
}

/** The learner's answer with the words that matched a key point highlighted. */
export function MarkedAnswer({ text, result }: { text: string; result: MatchResult | null }) {
  if (!text.trim()) return <p class="answer-text muted">(No answer typed.)</p>;
  const parts = result ? segments(text, result) : [{ text, mark: false }];
  return <p class="answer-text">{parts.map((s) => (s.mark ? <mark>{s.text}</mark> : s.text))}</p>;
}

/** Key points, each marked covered or missed. */
export function KeyPoints({ points }: { points: { text: string; covered: boolean }[] }) {
  return (
    <ul class="keypoints">
      {points.map((p) => (
        <li class={p.covered ? 'covered' : 'missed'}>
          <span class="kp-icon" aria-hidden="true">{p.covered ? '✓' : '○'}</span>
          <span class="visually-hidden">{p.covered ? 'Covered: ' : 'Missed: '}</span>
          {p.text}
        </li>
      ))}
    </ul>
  );
}

export const percent = (covered: number, total: number) => (total ? Math.round((100 * covered) / total) : 0);

const when = (ms: number) => new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
export { when };

/** A mock interview's report: per question, the answer, key points covered and the model answer. */
export function Report({ report, bank, showModel = false }: { report: MockReport; bank: BankQuestion[]; showModel?: boolean }) {
  const byId = new Map(bank.map((q) => [q.id, q]));
  return (
    <div class="report">
      <p class="report-total">
        Total: <strong>{report.covered} of {report.total}</strong> key points covered ({percent(report.covered, report.total)}%)
        <span class="muted"> · {report.items.length} questions · {Math.round(report.secondsPerQuestion / 60)} min each</span>
      </p>
      <ol class="report-items">
        {report.items.map((it, i) => {
          const q = byId.get(it.id);
          const recall = q?.type === 'recall' ? (q as RecallQuestion) : undefined;
          const covered = it.points.filter((p) => p.covered).length;
          return (
            <li class="card report-item">
              <h3 class="report-q">
                {i + 1}. {it.prompt || q?.promptText || it.id}
              </h3>
              <p class="muted">
                {covered} of {it.points.length} key points · {it.seconds} s
              </p>
              <h4>Your answer</h4>
              {q?.type === 'predict' ? (
                <PredictedAnswer q={q} answer={it.answer} />
              ) : (
                <MarkedAnswer text={it.answer} result={recall ? matchKeyPoints(it.answer, recall.keyPoints) : null} />
              )}
              {it.points.length > 0 && (
                <>
                  <h4>Key points</h4>
                  <KeyPoints points={it.points} />
                </>
              )}
              {recall && (
                <details open={showModel}>
                  <summary>Model answer</summary>
                  <Html html={recall.modelHtml} />
                </details>
              )}
              {q?.type === 'predict' && (
                <details open={showModel}>
                  <summary>The real output and why</summary>
                  <RealOutput q={q} />
                  <Html html={q.explanationHtml} />
                </details>
              )}
            </li>
          );
        })}
      </ol>
    </div>
  );
}
