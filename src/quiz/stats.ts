import { TOPICS, type Topic } from '../lessons/topics';
import type { BankQuestion } from './bank';
import { retrievability } from './schedule';
import { dueIds, endOfDay } from './select';
import { dayKey, type QuizState } from './state';

/** The numbers on the progress page. Pure functions of the bank, the state and the time. */

export interface TopicStats {
  topic: Topic;
  label: string;
  total: number;
  /** Rated at least once. */
  seen: number;
  dueToday: number;
  /**
   * Mastery, 0–100: the chance of recalling this topic's answers right now, averaged over
   * all its questions (FSRS retrievability; a question never rated counts as 0).
   */
  mastery: number;
}

export function topicStats(bank: readonly BankQuestion[], state: QuizState, now: number): TopicStats[] {
  const due = new Set(dueIds(bank, state, now));
  const out: TopicStats[] = [];
  for (const topic of Object.keys(TOPICS) as Topic[]) {
    const qs = bank.filter((q) => q.topic === topic);
    if (qs.length === 0) continue;
    const sum = qs.reduce((n, q) => n + retrievability(state.cards[q.id], now), 0);
    out.push({
      topic,
      label: TOPICS[topic],
      total: qs.length,
      seen: qs.filter((q) => state.cards[q.id] && state.cards[q.id]!.state !== 0).length,
      dueToday: qs.filter((q) => due.has(q.id)).length,
      mastery: Math.round((100 * sum) / qs.length),
    });
  }
  return out;
}

export interface DueCounts {
  /** Due right now. */
  now: number;
  /** Due before the end of today (includes `now`). */
  today: number;
  /** Due tomorrow. */
  tomorrow: number;
  /** Never rated. */
  fresh: number;
}

export function dueCounts(bank: readonly BankQuestion[], state: QuizState, now: number): DueCounts {
  const eod = endOfDay(now);
  const eot = endOfDay(eod + 1);
  let n = 0;
  let tomorrow = 0;
  let fresh = 0;
  for (const q of bank) {
    const c = state.cards[q.id];
    const flagged = state.flagged[q.id];
    const t = Math.min(flagged ?? Infinity, c && c.state !== 0 ? c.due : Infinity);
    if (t <= now) n++;
    else if (t >= eod && t < eot) tomorrow++;
    if (!c && flagged === undefined) fresh++;
  }
  return { now: n, today: dueIds(bank, state, now).length, tomorrow, fresh };
}

/**
 * Days in a row with practice, ending today — or yesterday, since today's practice may
 * still come. `today` says whether today already counts.
 */
export function streak(days: Readonly<Record<string, number>>, now: number): { days: number; today: boolean } {
  const active = (ms: number) => (days[dayKey(ms)] ?? 0) > 0;
  const d = new Date(now);
  d.setHours(12, 0, 0, 0); // noon: stepping back by calendar days is safe across DST
  const today = active(d.getTime());
  if (!today) d.setDate(d.getDate() - 1);
  let n = 0;
  while (active(d.getTime())) {
    n++;
    d.setDate(d.getDate() - 1);
  }
  return { days: n, today };
}
