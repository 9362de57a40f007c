import { parseState, STATE_VERSION, type QuizState } from './state';
import { arr, Invalid } from './validate';

/**
 * All progress as one JSON file (progress page: export / import):
 *
 *   { "format": "clusterpath-progress", "version": 2, "exportedAt": "…",
 *     "quiz": { …QuizState… }, "lessonsDone": ["lesson-slug", …] }
 *
 * `version` is the quiz state's format version; an older file is migrated on import. A
 * file that is not ours, is damaged, or comes from a newer ClusterPath is refused as a
 * whole with a message saying why: an import either replaces everything or changes nothing.
 */

export const FORMAT = 'clusterpath-progress';
/** Far more than years of daily practice; a bigger file is not one of ours. */
export const MAX_IMPORT_BYTES = 5_000_000;

export interface Progress {
  quiz: QuizState;
  lessonsDone: string[];
}

export function exportProgress(p: Progress, now: number): string {
  return `${JSON.stringify({ format: FORMAT, version: STATE_VERSION, exportedAt: new Date(now).toISOString(), quiz: p.quiz, lessonsDone: [...p.lessonsDone].sort() }, null, 2)}\n`;
}

export type ImportResult = { ok: true; progress: Progress } | { ok: false; message: string };

export function parseImport(text: string): ImportResult {
  const refuse = (why: string): ImportResult => ({ ok: false, message: `This file was not imported: ${why}. Your progress is unchanged.` });
  if (text.length > MAX_IMPORT_BYTES) return refuse(`it is ${(text.length / 1e6).toFixed(1)} MB, far larger than a ClusterPath progress file`);
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch {
    return refuse('it is not a JSON file (or it is damaged)');
  }
  const top = data as Record<string, unknown> | null;
  if (typeof top !== 'object' || top === null || Array.isArray(top) || top.format !== FORMAT) {
    return refuse(`it is not a ClusterPath progress export (expected "format": "${FORMAT}")`);
  }
  if (typeof top.version !== 'number') return refuse('it has no format version');
  if (top.version > STATE_VERSION) return refuse(`it was exported by a newer ClusterPath (format ${top.version}); this site reads up to format ${STATE_VERSION}`);
  // The quiz part carries the version of the file it came in.
  const quiz = parseState(typeof top.quiz === 'object' && top.quiz !== null ? { ...top.quiz, version: top.version } : top.quiz);
  if (!quiz.ok) return refuse(quiz.message);
  try {
    const lessonsDone = arr(top.lessonsDone ?? [], 'lessonsDone').map((l, i) => {
      if (typeof l !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(l)) throw new Invalid(`lessonsDone[${i}]: expected a lesson slug`);
      return l;
    });
    return { ok: true, progress: { quiz: quiz.state, lessonsDone } };
  } catch (e) {
    if (e instanceof Invalid) return refuse(e.message);
    throw e;
  }
}
