import { LEVELS, TOPIC_IDS, type Level, type Topic } from '../lessons/topics';
import type { BankQuestion } from './bank';
import { retrievability } from './schedule';
import type { QuizState } from './state';

/**
 * Which questions a practice session asks, from the practice URL:
 *   /quiz/practice/?due=1                       what FSRS says is due today (and lab flags)
 *   /quiz/practice/?topic=dns&level=basic&n=10   a topic (or several) and level(s)
 *   /quiz/practice/?q=<id>                       one question (links from the question list)
 */

export const DEFAULT_COUNT = 10;
export const MAX_COUNT = 50;

export interface PracticeRequest {
  mode: 'due' | 'topic' | 'one';
  topics: Topic[];
  levels: Level[];
  count: number;
  id?: string;
}

export function parseRequest(search: string): PracticeRequest | null {
  const p = new URLSearchParams(search);
  const n = Number(p.get('n'));
  const count = Number.isInteger(n) && n > 0 ? Math.min(n, MAX_COUNT) : DEFAULT_COUNT;
  const topics = p.getAll('topic').filter((t): t is Topic => (TOPIC_IDS as readonly string[]).includes(t));
  const levels = p.getAll('level').filter((l): l is Level => (LEVELS as readonly string[]).includes(l));
  const q = p.get('q');
  if (q) return { mode: 'one', topics: [], levels: [], count: 1, id: q };
  if (p.get('due')) return { mode: 'due', topics, levels, count };
  if (p.has('topic') || p.has('level') || p.has('n')) return { mode: 'topic', topics, levels, count };
  return null;
}

/** The same request always gives the same key (order of parameters aside). */
export function requestKey(r: PracticeRequest): string {
  return JSON.stringify([r.mode, [...r.topics].sort(), [...r.levels].sort(), r.count, r.id ?? '']);
}

/** The end of the local day of `now` (ms): "due today" means due before this. */
export function endOfDay(now: number): number {
  const d = new Date(now);
  d.setHours(24, 0, 0, 0);
  return d.getTime();
}

/** Questions due by the end of today (rated before) or flagged by a lab, earliest first. */
export function dueIds(bank: readonly BankQuestion[], state: QuizState, now: number): string[] {
  const limit = endOfDay(now);
  const when = (q: BankQuestion) => Math.min(state.flagged[q.id] ?? Infinity, state.cards[q.id] && state.cards[q.id]!.state !== 0 ? state.cards[q.id]!.due : Infinity);
  return bank
    .map((q) => ({ q, t: when(q) }))
    .filter(({ t }) => t < limit)
    .sort((a, b) => a.t - b.t)
    .map(({ q }) => q.id);
}

const matches = (r: PracticeRequest) => (q: BankQuestion) => (r.topics.length === 0 || r.topics.includes(q.topic)) && (r.levels.length === 0 || r.levels.includes(q.level));

export function selectQuestions(bank: readonly BankQuestion[], state: QuizState, r: PracticeRequest, now: number): string[] {
  if (r.mode === 'one') return bank.some((q) => q.id === r.id) ? [r.id!] : [];
  const pool = bank.filter(matches(r));
  const due = dueIds(pool, state, now);
  if (r.mode === 'due') return due.slice(0, r.count);
  // A topic session: what is due first, then questions never seen (in the authors' order,
  // basic first), then the rest, weakest memory first.
  const dueSet = new Set(due);
  const rank = { basic: 0, intermediate: 1, advanced: 2 } as const;
  const fresh = pool.filter((q) => !dueSet.has(q.id) && !state.cards[q.id]).sort((a, b) => rank[a.level] - rank[b.level]);
  const seen = pool
    .filter((q) => !dueSet.has(q.id) && state.cards[q.id])
    .map((q) => ({ id: q.id, r: retrievability(state.cards[q.id], now) }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.id);
  return [...due, ...fresh.map((q) => q.id), ...seen].slice(0, r.count);
}
