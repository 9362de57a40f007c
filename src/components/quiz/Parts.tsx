import type { BankQuestion, MatchResult, MockReport, RecallQuestion } from '../../quiz';
import { matchKeyPoints, segments } from '../../quiz';

/** Small pieces shared by the practice, mock-interview and progress islands. */

/** Our own build-time HTML (rendered markdown from content/quiz), never user input. */
export function Html({ html, class: cls = 'prose' }: { html: string; class?: string }) {
  return <div class={cls} dangerouslySetInnerHTML={{ __html: html }} />;
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
              <MarkedAnswer text={it.answer} result={recall ? matchKeyPoints(it.answer, recall.keyPoints) : null} />
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
            </li>
          );
        })}
      </ol>
    </div>
  );
}
