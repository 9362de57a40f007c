import { createEmptyCard, fsrs, Rating, type Card, type Grade, type State } from 'ts-fsrs';

/**
 * Spaced repetition with FSRS (ts-fsrs). A question's memory state is a `SavedCard`: the
 * ts-fsrs Card with times as epoch milliseconds so it survives JSON. A question never
 * rated has no card; it counts as new.
 */

export type { Grade };
export const GRADES = [Rating.Again, Rating.Hard, Rating.Good, Rating.Easy] as const satisfies readonly Grade[];
export const GRADE_NAMES: Record<Grade, string> = { [Rating.Again]: 'Again', [Rating.Hard]: 'Hard', [Rating.Good]: 'Good', [Rating.Easy]: 'Easy' };

export interface SavedCard {
  due: number;
  stability: number;
  difficulty: number;
  scheduledDays: number;
  learningSteps: number;
  reps: number;
  lapses: number;
  /** ts-fsrs State: 0 New, 1 Learning, 2 Review, 3 Relearning. */
  state: 0 | 1 | 2 | 3;
  lastReview?: number;
}

// No fuzz: the same ratings give the same dates (tests, and learners comparing notes).
// 90 % target retention is FSRS's default; a year is plenty between interview refreshers.
const scheduler = fsrs({ enable_fuzz: false, request_retention: 0.9, maximum_interval: 365 });

function toCard(c: SavedCard | undefined, now: number): Card {
  if (!c) return createEmptyCard(new Date(now));
  return {
    due: new Date(c.due),
    stability: c.stability,
    difficulty: c.difficulty,
    elapsed_days: 0, // deprecated in ts-fsrs 5; the scheduler derives it from last_review
    scheduled_days: c.scheduledDays,
    learning_steps: c.learningSteps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as State,
    ...(c.lastReview !== undefined ? { last_review: new Date(c.lastReview) } : {}),
  };
}

function fromCard(c: Card): SavedCard {
  return {
    due: c.due.getTime(),
    stability: c.stability,
    difficulty: c.difficulty,
    scheduledDays: c.scheduled_days,
    learningSteps: c.learning_steps,
    reps: c.reps,
    lapses: c.lapses,
    state: c.state as SavedCard['state'],
    ...(c.last_review ? { lastReview: c.last_review.getTime() } : {}),
  };
}

/** The card after rating it `grade` at `now`. */
export function review(card: SavedCard | undefined, grade: Grade, now: number): SavedCard {
  return fromCard(scheduler.next(toCard(card, now), new Date(now), grade).card);
}

/** How long until the question comes back for each rating (ms), for the rating buttons. */
export function preview(card: SavedCard | undefined, now: number): Record<Grade, number> {
  const p = scheduler.repeat(toCard(card, now), new Date(now));
  const out = {} as Record<Grade, number>;
  for (const g of GRADES) out[g] = p[g].card.due.getTime() - now;
  return out;
}

/** Probability of recalling the answer now (0 for a question never rated). */
export function retrievability(card: SavedCard | undefined, now: number): number {
  if (!card || card.state === 0) return 0;
  return scheduler.get_retrievability(toCard(card, now), new Date(now), false);
}

/** "1 min", "10 min", "3 h", "2 d", "4 mo": short enough for a button. */
export function formatInterval(ms: number): string {
  const min = Math.max(1, Math.round(ms / 60_000));
  if (min < 60) return `${min} min`;
  const h = Math.round(min / 60);
  if (h < 24) return `${h} h`;
  const d = Math.round(h / 24);
  if (d < 31) return `${d} d`;
  const mo = Math.round(d / 30.4);
  return mo < 12 ? `${mo} mo` : `${(d / 365).toFixed(1).replace(/\.0$/, '')} y`;
}
