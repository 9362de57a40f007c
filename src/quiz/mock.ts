import type { Topic } from '../lessons/topics';
import type { BankQuestion, PredictQuestion } from './bank';
import { matchKeyPoints } from './match';
import { typedMatches } from './predict';
import type { MockReport } from './state';
import { arr, id, int, Invalid, obj, str, time } from './validate';

/**
 * A mock interview: N recall questions (and, if asked for, predict-the-output questions), a
 * time limit each, typed answers, then a report of the key points each answer covered; a
 * prediction counts as one key point, covered when it is the engine's output. The clock is real: the time a question started
 * is saved, so after a reload the same question continues with the time that is left (and
 * time spent away counts, as it would in an interview).
 */

export const MOCK_KEY = 'clusterpath:quiz:mock';
export const LENGTHS = [3, 5, 8] as const;
export const MINUTES = [2, 3, 5] as const;

export interface MockConfig {
  count: number;
  secondsPerQuestion: number;
  /** Empty: every topic. */
  topics: Topic[];
  /** Also ask predict-the-output questions (saved sessions from before it are false). */
  predict?: boolean;
}

export interface MockSession {
  version: 1;
  config: MockConfig;
  ids: string[];
  index: number;
  answers: string[];
  /** When each question was shown (ms); seconds spent once it was left. */
  shownAt: number[];
  spent: number[];
  done: boolean;
}

/** Recall (and maybe predict) questions from the chosen topics, in a random order (`random` in [0,1)). */
export function chooseMockQuestions(bank: readonly BankQuestion[], config: MockConfig, random: () => number): string[] {
  const asked = (q: BankQuestion) => q.type === 'recall' || (config.predict === true && q.type === 'predict');
  const pool = bank.filter((q) => asked(q) && (config.topics.length === 0 || config.topics.includes(q.topic))).map((q) => q.id);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return pool.slice(0, config.count);
}

export function startMock(ids: readonly string[], config: MockConfig, now: number): MockSession {
  return { version: 1, config, ids: [...ids], index: 0, answers: ids.map(() => ''), shownAt: [now], spent: [], done: ids.length === 0 };
}

/** Seconds left on the current question (0 when time is up). */
export function remaining(s: MockSession, now: number): number {
  if (s.done) return 0;
  const started = s.shownAt[s.index] ?? now;
  return Math.max(0, s.config.secondsPerQuestion - Math.floor((now - started) / 1000));
}

export function setAnswer(s: MockSession, text: string): MockSession {
  if (s.done) return s;
  const answers = [...s.answers];
  answers[s.index] = text;
  return { ...s, answers };
}

/** Leaves the current question (the learner is done with it, or its time ran out). */
export function nextQuestion(s: MockSession, now: number): MockSession {
  if (s.done) return s;
  const started = s.shownAt[s.index] ?? now;
  const spent = [...s.spent, Math.min(s.config.secondsPerQuestion, Math.round((now - started) / 1000))];
  const index = s.index + 1;
  if (index >= s.ids.length) return { ...s, spent, done: true };
  // If the learner was away past this question's end, the next one started when it ended.
  const shownAt = [...s.shownAt, Math.min(now, started + s.config.secondsPerQuestion * 1000)];
  return { ...s, spent, index, shownAt };
}

/** Moves past every question whose time ran out by `now` (after a reload, maybe several). */
export function catchUp(s: MockSession, now: number): MockSession {
  let cur = s;
  while (!cur.done && remaining(cur, now) === 0) cur = nextQuestion(cur, now);
  return cur;
}

/** The report of a finished interview. */
export function scoreMock(s: MockSession, bank: readonly BankQuestion[], now: number): MockReport {
  const byId = new Map(bank.map((q) => [q.id, q]));
  const items = s.ids.map((qid, i) => {
    const q = byId.get(qid);
    const answer = s.answers[i] ?? '';
    const points =
      q?.type === 'recall'
        ? matchKeyPoints(answer, q.keyPoints).points.map((p) => ({ text: p.text, covered: p.covered }))
        : q?.type === 'predict'
          ? [{ text: 'Predicted the output', covered: predictedRightly(q, answer) }]
          : [];
    return { id: qid, prompt: q?.promptText ?? qid, answer, points, seconds: s.spent[i] ?? 0 };
  });
  const covered = items.reduce((n, it) => n + it.points.filter((p) => p.covered).length, 0);
  const total = items.reduce((n, it) => n + it.points.length, 0);
  return { at: now, secondsPerQuestion: s.config.secondsPerQuestion, topics: [...s.config.topics], items, covered, total };
}

/**
 * Whether a mock answer to a predict question is right. A choice is saved as its 0-based
 * index in decimal, a typed prediction as typed.
 */
export function predictedRightly(q: PredictQuestion, answer: string): boolean {
  return q.mode === 'choose' ? answer === String(q.answer) : typedMatches(answer, q.truth);
}

export function parseMock(x: unknown, known: ReadonlySet<string>): MockSession | null {
  try {
    const o = obj(x, 'mock');
    if (o.version !== 1) return null;
    const c = obj(o.config, 'config');
    const ids = arr(o.ids, 'ids').map((q, i) => id(q, `ids[${i}]`));
    if (ids.length === 0 || ids.some((q) => !known.has(q))) return null;
    const index = int(o.index, 'index', 0, ids.length - 1);
    const answers = arr(o.answers, 'answers').map((a, i) => str(a, `answers[${i}]`));
    const shownAt = arr(o.shownAt, 'shownAt').map((t, i) => time(t, `shownAt[${i}]`));
    const spent = arr(o.spent, 'spent').map((t, i) => int(t, `spent[${i}]`));
    if (answers.length !== ids.length || shownAt.length !== index + 1 || spent.length < index) return null;
    if (typeof o.done !== 'boolean') return null;
    return {
      version: 1,
      config: {
        count: int(c.count, 'count', 1, 50),
        secondsPerQuestion: int(c.secondsPerQuestion, 'secondsPerQuestion', 10, 3600),
        topics: arr(c.topics, 'topics').map((t, i) => str(t, `topics[${i}]`, 100) as Topic),
        predict: c.predict === true,
      },
      ids,
      index,
      answers,
      shownAt,
      spent,
      done: o.done,
    };
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
}
