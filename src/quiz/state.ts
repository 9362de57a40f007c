import type { Grade, SavedCard } from './schedule';
import { review } from './schedule';
import { arr, id, int, Invalid, num, obj, str, time, type Obj } from './validate';

/**
 * Quiz progress kept in this browser (localStorage), one versioned JSON value:
 *
 *   { version: 2, cards: {id: SavedCard}, days: {"YYYY-MM-DD": n}, flagged: {id: ms}, mocks: [...] }
 *
 * - `cards`: FSRS memory state per question (schedule.ts);
 * - `days`: how many answers were rated and mock interviews done on each local day (streaks);
 * - `flagged`: questions a lab sent back for review (a failed task or a revealed
 *   solution); they are due until rated;
 * - `mocks`: mock-interview reports, newest first (at most MAX_MOCKS).
 *
 * Version 1 was the first format: ISO date strings, states by name, and mock reports with
 * only a score. `migrate` lifts any older version to the current one; a value we cannot
 * read is never half-used: it is discarded (and a copy kept) with a notice to the learner.
 */

export const STATE_KEY = 'clusterpath:quiz';
/** Where an unreadable saved value is moved, so nothing is silently lost. */
export const CORRUPT_KEY = 'clusterpath:quiz:unreadable';
export const STATE_VERSION = 2;
export const MAX_MOCKS = 50;

export interface MockPoint {
  text: string;
  covered: boolean;
}

export interface MockItem {
  id: string;
  /** The prompt as plain text, so a report still reads well if the question changes. */
  prompt: string;
  answer: string;
  points: MockPoint[];
  /** Seconds spent on the question. */
  seconds: number;
}

export interface MockReport {
  /** When the interview ended (ms); also its identity. */
  at: number;
  secondsPerQuestion: number;
  topics: string[];
  items: MockItem[];
  covered: number;
  total: number;
}

export interface QuizState {
  version: 2;
  cards: Record<string, SavedCard>;
  days: Record<string, number>;
  flagged: Record<string, number>;
  mocks: MockReport[];
}

export const emptyState = (): QuizState => ({ version: 2, cards: {}, days: {}, flagged: {}, mocks: [] });

/** The local calendar day of a time, "YYYY-MM-DD". */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

// ---- reading a value of any known version -------------------------------------------

function card(x: unknown, path: string): SavedCard {
  const o = obj(x, path);
  const c: SavedCard = {
    due: time(o.due, `${path}.due`),
    stability: num(o.stability, `${path}.stability`, 0),
    difficulty: num(o.difficulty, `${path}.difficulty`, 0, 11),
    scheduledDays: int(o.scheduledDays, `${path}.scheduledDays`),
    learningSteps: int(o.learningSteps, `${path}.learningSteps`),
    reps: int(o.reps, `${path}.reps`),
    lapses: int(o.lapses, `${path}.lapses`),
    state: int(o.state, `${path}.state`, 0, 3) as SavedCard['state'],
  };
  if (o.lastReview !== undefined) c.lastReview = time(o.lastReview, `${path}.lastReview`);
  return c;
}

function record<T>(x: unknown, path: string, value: (v: unknown, p: string) => T, key: (k: string, p: string) => string = id): Record<string, T> {
  const o = obj(x, path);
  const out: Record<string, T> = {};
  for (const [k, v] of Object.entries(o)) out[key(k, `${path} key`)] = value(v, `${path}["${k}"]`);
  return out;
}

const day = (k: string, path: string) => {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(k)) throw new Invalid(`${path}: expected a date YYYY-MM-DD, got ${JSON.stringify(k)}`);
  return k;
};

function mock(x: unknown, path: string): MockReport {
  const o = obj(x, path);
  const items = arr(o.items, `${path}.items`).map((it, i): MockItem => {
    const p = `${path}.items[${i}]`;
    const io = obj(it, p);
    return {
      id: id(io.id, `${p}.id`),
      prompt: str(io.prompt, `${p}.prompt`),
      answer: str(io.answer, `${p}.answer`),
      points: arr(io.points, `${p}.points`).map((pt, j) => {
        const po = obj(pt, `${p}.points[${j}]`);
        if (typeof po.covered !== 'boolean') throw new Invalid(`${p}.points[${j}].covered: expected true or false`);
        return { text: str(po.text, `${p}.points[${j}].text`), covered: po.covered };
      }),
      seconds: num(io.seconds, `${p}.seconds`, 0),
    };
  });
  const covered = int(o.covered, `${path}.covered`);
  const total = int(o.total, `${path}.total`);
  if (covered > total) throw new Invalid(`${path}: covered (${covered}) is more than total (${total})`);
  return {
    at: time(o.at, `${path}.at`),
    secondsPerQuestion: int(o.secondsPerQuestion, `${path}.secondsPerQuestion`, 1),
    topics: arr(o.topics, `${path}.topics`).map((t, i) => str(t, `${path}.topics[${i}]`, 100)),
    items,
    covered,
    total,
  };
}

function readV2(o: Obj, path: string): QuizState {
  const mocks = arr(o.mocks, `${path}.mocks`).map((m, i) => mock(m, `${path}.mocks[${i}]`));
  return {
    version: 2,
    cards: record(o.cards, `${path}.cards`, card),
    days: record(o.days, `${path}.days`, (v, p) => int(v, p), day),
    flagged: record(o.flagged, `${path}.flagged`, time),
    mocks: mocks.slice(0, MAX_MOCKS),
  };
}

const V1_STATES = ['New', 'Learning', 'Review', 'Relearning'];

function isoTime(x: unknown, path: string): number {
  const t = typeof x === 'string' ? Date.parse(x) : NaN;
  if (Number.isNaN(t)) throw new Invalid(`${path}: expected an ISO date, got ${JSON.stringify(x)}`);
  return time(t, path);
}

/** Version 1 → 2: ISO strings become ms, named states numbers; days are rebuilt from reviews. */
function fromV1(o: Obj, path: string): QuizState {
  const s = emptyState();
  for (const [k, v] of Object.entries(obj(o.cards, `${path}.cards`))) {
    const p = `${path}.cards["${k}"]`;
    const c = obj(v, p);
    const state = V1_STATES.indexOf(str(c.state, `${p}.state`));
    if (state < 0) throw new Invalid(`${p}.state: expected one of ${V1_STATES.join(', ')}`);
    const due = isoTime(c.due, `${p}.due`);
    const lastReview = c.lastReview === undefined ? undefined : isoTime(c.lastReview, `${p}.lastReview`);
    s.cards[id(k, `${path}.cards key`)] = {
      due,
      stability: num(c.stability, `${p}.stability`, 0),
      difficulty: num(c.difficulty, `${p}.difficulty`, 0, 11),
      // v1 did not keep these: the scheduled interval is what lay between review and due.
      scheduledDays: lastReview === undefined ? 0 : Math.max(0, Math.round((due - lastReview) / 86_400_000)),
      learningSteps: 0,
      reps: int(c.reps, `${p}.reps`),
      lapses: int(c.lapses, `${p}.lapses`),
      state: state as SavedCard['state'],
      ...(lastReview !== undefined ? { lastReview } : {}),
    };
    if (lastReview !== undefined) s.days[dayKey(lastReview)] = (s.days[dayKey(lastReview)] ?? 0) + 1;
  }
  // v1 reports kept only a score (0..1) and the question ids: keep them as reports without
  // per-question detail, scored out of 100.
  s.mocks = arr(o.mocks ?? [], `${path}.mocks`).map((m, i) => {
    const p = `${path}.mocks[${i}]`;
    const mo = obj(m, p);
    const score = num(mo.score, `${p}.score`, 0, 1);
    return {
      at: isoTime(mo.at, `${p}.at`),
      secondsPerQuestion: 180,
      topics: [],
      items: arr(mo.questions, `${p}.questions`).map((q, j) => ({ id: id(q, `${p}.questions[${j}]`), prompt: '', answer: '', points: [], seconds: 0 })),
      covered: Math.round(score * 100),
      total: 100,
    };
  });
  return s;
}

const MIGRATIONS: Record<number, (o: Obj, path: string) => QuizState> = { 1: fromV1, 2: readV2 };

/**
 * Reads a saved or imported quiz state of any known version. Returns the current format
 * or a message naming what was wrong; never a partly read state.
 */
export function parseState(x: unknown, path = 'quiz'): { ok: true; state: QuizState } | { ok: false; message: string } {
  try {
    const o = obj(x, path);
    const v = o.version;
    if (typeof v !== 'number' || !Number.isInteger(v)) throw new Invalid(`${path}.version: expected a format version number`);
    if (v > STATE_VERSION) throw new Invalid(`it was saved in format version ${v} by a newer ClusterPath; this one reads up to version ${STATE_VERSION}`);
    const read = MIGRATIONS[v];
    if (!read) throw new Invalid(`${path}.version: unknown format version ${v}`);
    return { ok: true, state: read(o, path) };
  } catch (e) {
    if (e instanceof Invalid) return { ok: false, message: e.message };
    throw e;
  }
}

// ---- localStorage ----------------------------------------------------------------------

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface Loaded {
  state: QuizState;
  /** Set when a saved value could not be read and was set aside: show it to the learner. */
  notice?: string;
}

export function loadState(storage: Store): Loaded {
  let raw: string | null;
  try {
    raw = storage.getItem(STATE_KEY);
  } catch {
    return { state: emptyState() }; // storage disabled: nothing is kept
  }
  if (raw === null) return { state: emptyState() };
  let parsed: ReturnType<typeof parseState>;
  try {
    parsed = parseState(JSON.parse(raw));
  } catch {
    parsed = { ok: false, message: 'it is not valid JSON' };
  }
  if (parsed.ok) return { state: parsed.state };
  try {
    storage.setItem(CORRUPT_KEY, raw);
    storage.removeItem(STATE_KEY);
  } catch {
    /* nothing more we can do */
  }
  return {
    state: emptyState(),
    notice: `Your saved quiz progress could not be read (${parsed.message}), so it was set aside and you start afresh. A copy is kept in this browser under "${CORRUPT_KEY}".`,
  };
}

export function saveState(storage: Pick<Storage, 'setItem'>, state: QuizState): boolean {
  try {
    storage.setItem(STATE_KEY, JSON.stringify(state));
    return true;
  } catch {
    return false; // full or disabled: progress just isn't kept
  }
}

// ---- changes ---------------------------------------------------------------------------

/** Rates a question: its card moves on, the day counts one more answer, a flag is cleared. */
export function recordReview(state: QuizState, questionId: string, grade: Grade, now: number): QuizState {
  const { [questionId]: _cleared, ...flagged } = state.flagged;
  const day = dayKey(now);
  return {
    ...state,
    cards: { ...state.cards, [questionId]: review(state.cards[questionId], grade, now) },
    days: { ...state.days, [day]: (state.days[day] ?? 0) + 1 },
    flagged,
  };
}

/**
 * Sends questions back to the due queue now (issue #8 point 5: a lab task failed, or
 * solved with the solution revealed). The lab runner calls this with `relatedToLab(...)`.
 */
export function markForReview(state: QuizState, questionIds: readonly string[], now: number): QuizState {
  const flagged = { ...state.flagged };
  for (const q of questionIds) flagged[q] ??= now;
  return { ...state, flagged };
}

export function addMockReport(state: QuizState, report: MockReport): QuizState {
  const day = dayKey(report.at);
  return { ...state, mocks: [report, ...state.mocks.filter((m) => m.at !== report.at)].slice(0, MAX_MOCKS), days: { ...state.days, [day]: (state.days[day] ?? 0) + 1 } };
}

/**
 * The one call a lab needs (issue #8 point 5): when a task fails or its solution is
 * revealed, send the lab's questions (those whose `lab` is this lab's slug) back to the
 * due queue. Does nothing to an unreadable saved state except set it aside, as loadState does.
 */
export function flagForReview(storage: Store, questionIds: readonly string[], now: number): void {
  if (questionIds.length === 0) return;
  saveState(storage, markForReview(loadState(storage).state, questionIds, now));
}
