/**
 * A lab session as data: what the learner typed and saved, and when (engine time). The engine
 * is deterministic for a seed, its inputs and the clock, so replaying this log rebuilds the
 * exact cluster, files and shell context. One format serves resume (localStorage), undo,
 * reset and share links. Plain data, no DOM: the worker, the page and tests all use it.
 */

export const LOG_VERSION = 1;

/** Terminal tabs a session may open, each its own shell on the one cluster. */
export const MAX_TABS = 4;

export type SessionEvent =
  /**
   * A line as typed at the prompt (a here-document's lines joined by \n), in terminal tab
   * `tab` (absent: the first); `ran`: Ctrl-C ended it after this many ms of engine time.
   * `edits`: what the editor returned to each `kubectl edit` round of the line (null: closed
   * unsaved), so a replay answers the same without opening it.
   */
  | { at: number; kind: 'line'; line: string; tab?: number; ran?: number; edits?: (string | null)[] }
  /** A file saved into the workstation's file system (the editor). */
  | { at: number; kind: 'write'; path: string; text: string };

export interface SessionLog {
  v: typeof LOG_VERSION;
  slug: string;
  seed: number;
  /** Engine time (ms since the epoch) when the cluster booted: the setup's objects are dated from it. */
  start: number;
  events: SessionEvent[];
}

/** What the page keeps per lab: the log plus what is not cluster state. */
export interface LabSave extends SessionLog {
  /** The terminal's command history (Up/Down, Ctrl-R), oldest first. */
  history: string[];
  /** How many hints are open (they open in order). */
  hints: number;
  /** The solution was revealed. */
  solution: boolean;
}

export const emptyLog = (slug: string, seed: number, start: number): SessionLog => ({ v: LOG_VERSION, slug, seed, start, events: [] });

export type ParsedSave = { ok: true; save: LabSave } | { ok: false; reason: 'corrupt' | 'future' | 'other-lab'; message: string };

/** Upper bounds that keep a hostile or broken save from stalling the page. */
const MAX_EVENTS = 5000;
const MAX_TEXT = 1024 * 1024;


/**
 * Reads a save (or a shared link's payload) that may be anything: a save from a newer version
 * of the site, another lab's, or a corrupted one is refused with a reason, never thrown.
 */
export function parseSave(x: unknown, slug: string): ParsedSave {
  const corrupt = (why: string): ParsedSave => ({ ok: false, reason: 'corrupt', message: `the saved session is damaged (${why})` });
  if (!isObject(x)) return corrupt('not an object');
  if (typeof x['v'] !== 'number' || !Number.isInteger(x['v'])) return corrupt('no version');
  if (x['v'] > LOG_VERSION) return { ok: false, reason: 'future', message: `the saved session comes from a newer version of ClusterPath (format ${x['v']}; this page reads ${LOG_VERSION})` };
  if (x['v'] !== LOG_VERSION) return corrupt(`unknown format ${x['v']}`);
  if (typeof x['slug'] !== 'string') return corrupt('no lab');
  if (x['slug'] !== slug) return { ok: false, reason: 'other-lab', message: `the saved session belongs to the lab "${x['slug']}"` };
  if (!isInt(x['seed'])) return corrupt('bad seed');
  if (!isInt(x['start']) || x['start'] < 0) return corrupt('bad start time');
  if (!Array.isArray(x['events']) || x['events'].length > MAX_EVENTS) return corrupt('bad event list');
  const events: SessionEvent[] = [];
  let last = x['start'];
  for (const [i, e] of x['events'].entries()) {
    if (!isObject(e) || !isInt(e['at']) || e['at'] < last) return corrupt(`event ${i + 1}: bad time`);
    last = e['at'];
    const edits = e['edits'];
    const editsOk = edits === undefined || (Array.isArray(edits) && edits.every((t) => t === null || isText(t)));
    if (e['kind'] === 'line' && isText(e['line']) && e['line'].trim() !== '' && editsOk) {
      const tab = e['tab'] ?? 0, ran = e['ran'];
      if (!isInt(tab) || tab < 0 || tab >= MAX_TABS) return corrupt(`event ${i + 1}: bad tab`);
      if (ran !== undefined && (!isInt(ran) || ran < 0)) return corrupt(`event ${i + 1}: bad run time`);
      events.push({ at: e['at'], kind: 'line', line: e['line'], ...(tab ? { tab } : {}), ...(ran !== undefined ? { ran } : {}), ...(edits ? { edits: edits as (string | null)[] } : {}) });
    }
    else if (e['kind'] === 'write' && isText(e['path']) && e['path'].startsWith('/') && isText(e['text'])) events.push({ at: e['at'], kind: 'write', path: e['path'], text: e['text'] });
    else return corrupt(`event ${i + 1}: unreadable`);
  }
  const history = x['history'] ?? [];
  if (!Array.isArray(history) || !history.every((h) => isText(h))) return corrupt('bad history');
  const hints = x['hints'] ?? 0;
  if (!isInt(hints) || hints < 0) return corrupt('bad hint count');
  const solution = x['solution'] ?? false;
  if (typeof solution !== 'boolean') return corrupt('bad solution flag');
  return { ok: true, save: { v: LOG_VERSION, slug, seed: x['seed'], start: x['start'], events, history: history as string[], hints, solution } };
}

function isObject(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function isInt(x: unknown): x is number {
  return typeof x === 'number' && Number.isSafeInteger(x);
}

function isText(x: unknown): x is string {
  return typeof x === 'string' && x.length <= MAX_TEXT;
}
