import { useEffect, useState } from 'preact/hooks';
import { endOfDay, loadState, streak } from '../../quiz';
import { storage } from './client';

/**
 * The "due today" line on /quiz/. It needs only the saved state and the ids of the
 * questions that exist (a prop), not the whole bank.
 */
export default function DueSummary({ ids }: { ids: string[] }) {
  const [text, setText] = useState<{ due: number; streak: number; notice?: string } | null>(null);
  useEffect(() => {
    const { state, notice } = loadState(storage());
    const now = Date.now();
    const limit = endOfDay(now);
    const due = ids.filter((id) => {
      const c = state.cards[id];
      return state.flagged[id] !== undefined || (c !== undefined && c.state !== 0 && c.due < limit);
    }).length;
    setText({ due, streak: streak(state.days, now).days, ...(notice ? { notice } : {}) });
  }, []);
  if (!text) return <p class="due-line muted">&nbsp;</p>;
  return (
    <>
      {text.notice && <p class="notice" role="status">{text.notice}</p>}
      <p class="due-line" data-due>
        {text.due === 0 ? 'Nothing is due today.' : `${text.due} ${text.due === 1 ? 'question is' : 'questions are'} due today.`}
        {text.streak > 0 && ` Streak: ${text.streak} ${text.streak === 1 ? 'day' : 'days'}.`}{' '}
        {text.due > 0 && (
          <a class="button" href="/quiz/practice/?due=1">
            Review due questions
          </a>
        )}
      </p>
    </>
  );
}
