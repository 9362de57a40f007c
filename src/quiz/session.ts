import { choiceCount, type BankQuestion } from './bank';
import { gradeChoices } from './grade';
import { matchKeyPoints } from './match';
import { typedMatches } from './predict';
import { Rating } from 'ts-fsrs';
import type { Grade } from './schedule';
import { arr, id, int, Invalid, obj, str, time } from './validate';

/**
 * A practice session as a small state machine, saved after every step so a reload
 * resumes exactly where the learner was (the typed text included):
 *
 *   answer ──pick/check (choice) or reveal (recall, typed prediction)──▶ revealed ──rate 1–4──▶ answer of the next
 *                                                                                     └──▶ done after the last
 *
 * "Again" puts the question once more at the end of this session, as Anki's learning
 * steps would, so a miss is tried again before the session ends.
 */

export const SESSION_KEY = 'clusterpath:quiz:session';

export type Phase = 'answer' | 'revealed' | 'done';
export type Verdict = 'correct' | 'partial' | 'incorrect';

export interface SessionResult {
  id: string;
  grade: Grade;
  /** For choice questions; recall questions are rated by the learner alone. */
  verdict?: Verdict;
}

export interface PracticeSession {
  version: 1;
  /** What was asked for (the URL's query), so a reload of the same URL resumes. */
  key: string;
  ids: string[];
  index: number;
  phase: Phase;
  picked: number[];
  text: string;
  results: SessionResult[];
  /** Questions already put back once after "Again". */
  repeated: string[];
  startedAt: number;
}

export function startSession(ids: readonly string[], key: string, now: number): PracticeSession {
  return { version: 1, key, ids: [...ids], index: 0, phase: ids.length ? 'answer' : 'done', picked: [], text: '', results: [], repeated: [], startedAt: now };
}

export const currentId = (s: PracticeSession): string | undefined => (s.phase === 'done' ? undefined : s.ids[s.index]);

/** Picks choice `i` (0-based). A single-choice or predict question is answered by the pick itself. */
export function pick(s: PracticeSession, q: BankQuestion, i: number): PracticeSession {
  if (s.phase !== 'answer' || i < 0 || i >= choiceCount(q)) return s;
  if (q.type !== 'multi') return { ...s, picked: [i], phase: 'revealed' };
  const picked = s.picked.includes(i) ? s.picked.filter((x) => x !== i) : [...s.picked, i].sort((a, b) => a - b);
  return { ...s, picked };
}

/**
 * Checks a multiple-choice answer (needs at least one pick), a typed prediction (needs
 * some text) or reveals a recall answer.
 */
export function reveal(s: PracticeSession, q: BankQuestion): PracticeSession {
  if (s.phase !== 'answer') return s;
  if (q.type === 'predict' && q.mode === 'type') {
    if (!s.text.trim()) return s;
  } else if (q.type !== 'recall' && s.picked.length === 0) return s;
  return { ...s, phase: 'revealed' };
}

export function setText(s: PracticeSession, text: string): PracticeSession {
  return s.phase === 'answer' ? { ...s, text } : s;
}

export function verdict(s: PracticeSession, q: BankQuestion): Verdict | undefined {
  if (q.type === 'recall' || s.phase === 'answer') return undefined;
  if (q.type === 'predict' && q.mode === 'type') return typedMatches(s.text, q.truth) ? 'correct' : 'incorrect';
  return gradeChoices(q.answer, s.picked);
}

/**
 * The rating Enter gives: Again when wrong, Hard when partly right, Good otherwise. For a
 * recall answer, by key-point coverage (Good from 3/4, Hard from 2/5); an empty box (the
 * learner answered out loud) suggests Good — they adjust it with 1–4.
 */
export function suggestedGrade(s: PracticeSession, q: BankQuestion): Grade {
  if (q.type === 'recall') {
    if (!s.text.trim()) return Rating.Good;
    const m = matchKeyPoints(s.text, q.keyPoints);
    const share = m.total ? m.covered / m.total : 0;
    return share >= 0.75 ? Rating.Good : share >= 0.4 ? Rating.Hard : Rating.Again;
  }
  const v = verdict(s, q);
  return v === 'correct' ? Rating.Good : v === 'partial' ? Rating.Hard : Rating.Again;
}

/** Records the rating and moves on. The caller updates the FSRS card (state.recordReview). */
export function rate(s: PracticeSession, q: BankQuestion, grade: Grade): PracticeSession {
  if (s.phase !== 'revealed' || q.id !== currentId(s)) return s;
  const v = verdict(s, q);
  const results = [...s.results, { id: q.id, grade, ...(v ? { verdict: v } : {}) }];
  let { ids, repeated } = s;
  if (grade === Rating.Again && !repeated.includes(q.id)) {
    ids = [...ids, q.id];
    repeated = [...repeated, q.id];
  }
  const index = s.index + 1;
  return { ...s, ids, repeated, results, index, phase: index >= ids.length ? 'done' : 'answer', picked: [], text: '' };
}

/** Reads a saved session; null when absent, damaged, or naming questions that are gone. */
export function parseSession(x: unknown, known: ReadonlySet<string>): PracticeSession | null {
  try {
    const o = obj(x, 'session');
    if (o.version !== 1) return null;
    const ids = arr(o.ids, 'ids').map((q, i) => id(q, `ids[${i}]`));
    if (ids.length === 0 || ids.some((q) => !known.has(q))) return null;
    const index = int(o.index, 'index', 0, ids.length);
    const phase = o.phase;
    if (phase !== 'answer' && phase !== 'revealed' && phase !== 'done') return null;
    if (phase !== 'done' && index >= ids.length) return null;
    return {
      version: 1,
      key: str(o.key, 'key', 2000),
      ids,
      index,
      phase,
      picked: arr(o.picked, 'picked').map((p, i) => int(p, `picked[${i}]`, 0, 7)),
      text: str(o.text, 'text'),
      results: arr(o.results, 'results').map((r, i) => {
        const ro = obj(r, `results[${i}]`);
        const v = ro.verdict;
        if (v !== undefined && v !== 'correct' && v !== 'partial' && v !== 'incorrect') throw new Invalid('verdict');
        return { id: id(ro.id, 'id'), grade: int(ro.grade, 'grade', 1, 4) as Grade, ...(v ? { verdict: v } : {}) };
      }),
      repeated: arr(o.repeated, 'repeated').map((q, i) => id(q, `repeated[${i}]`)),
      startedAt: time(o.startedAt, 'startedAt'),
    };
  } catch (e) {
    if (e instanceof Invalid) return null;
    throw e;
  }
}
