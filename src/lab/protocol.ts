/**
 * Messages between the lab page and the worker that hosts its cluster (src/lab/worker.ts).
 * Requests carry an id; the worker answers each with the same id, in order, except the editor's
 * file requests, which are answered at once even while a command runs. After anything that
 * changes the session the worker also sends, unasked, the session log (`session`) and the
 * tasks' state (`tasks`).
 */
import type { TaskResult } from './checks';
import type { Trace } from '../engine';
import type { CompareView } from './compare';
import type { LabData } from './schema';
import type { SessionLog } from './log';
import type { TranscriptEntry } from './runtime';
import type { TerminalSize } from '../shell';

export type { SessionLog, TranscriptEntry, CompareView };

/** What the terminal may ask for completion (the same shape as src/terminal's CompletionQuery). */
export type CompletionQuery =
  | { kind: 'commands' }
  | { kind: 'files'; prefix: string }
  | { kind: 'kubectl-verbs' }
  | { kind: 'kubectl-flags'; verb?: string | undefined }
  | { kind: 'resources' }
  | { kind: 'names'; resource: string; namespace?: string | undefined }
  | { kind: 'nodes' };

export interface LabSetup {
  /** The lab's slug (the session log names it). */
  slug: string;
  /** The lab's setup manifests, read at build time, with their file names. */
  manifests: { text: string; source: string }[];
  /** PRNG seed: the same seed gives the same pod names and IPs. */
  seed: number;
  /** The lab's tasks and their checks, evaluated after every change. */
  tasks: LabData['tasks'];
}

/** One task's state after a change: done when every check holds, with each check's one-line summary. */
export type { TaskResult as TaskState } from './checks';

export type ToWorker =
  /** Boot the lab; with `restore`, replay that log first (resume, a shared link). */
  | { type: 'init'; setup: LabSetup; restore?: SessionLog | undefined }
  /** Rebuild from a log (reset: an empty one); answered with `loaded`. */
  | { type: 'load'; id: number; log: SessionLog }
  /** Take back the last change: replay all but the last state-changing event; answered with `loaded`. */
  | { type: 'undo'; id: number }
  /** Every logged input with what it printed (for the export); answered with `transcript`. */
  | { type: 'transcript'; id: number }
  /**
   * A line typed in terminal tab `tab` (absent: the first); tabs run at once, each in order.
   * `size`: the terminal's, for full-screen commands (watch).
   */
  | { type: 'run'; id: number; line: string; tab?: number; size?: TerminalSize }
  /** Terminal tab `tab` was resized (a running watch draws its next screen at the new size). */
  | { type: 'resize'; tab?: number; size: TerminalSize }
  /** Ctrl-C in tab `tab`: ends its running line (answered by that run's `result`). */
  | { type: 'interrupt'; id: number; tab?: number }
  | { type: 'complete'; id: number; query: CompletionQuery; tab?: number }
  // ---- the lab editor (src/components/lab/Editor.tsx): files in the learner's home (~) ----
  | { type: 'listFiles'; id: number }
  | { type: 'readFile'; id: number; name: string }
  | { type: 'writeFile'; id: number; name: string; text: string }
  /** The page's answer to `edit`: the saved text, or null when the editor closed unsaved. */
  | { type: 'editDone'; editId: number; text: string | null; unavailable?: boolean }
  /** A Service's kube-proxy rules in each mode (src/lab/compare.ts); answered with `compare`. */
  | { type: 'compare'; id: number; service?: string | undefined; node?: string | undefined };

/** What the page needs after a (re)build: where the shell is and what it showed. */
export interface SessionView {
  prompt: string;
  nested: boolean;
  /** Errors from setup, or why a restore could not replay (the session then starts fresh). */
  notice: string;
  transcript: TranscriptEntry[];
  /** Each open terminal tab's prompt and whether it is in a nested shell (index = tab). */
  tabs: { prompt: string; nested: boolean }[];
}

export type FromWorker =
  | ({ type: 'ready'; ms: number } & SessionView)
  | ({ type: 'loaded'; id: number } & SessionView)
  | { type: 'session'; log: SessionLog; undo: string | undefined }
  | { type: 'tasks'; tasks: TaskResult[] }
  | { type: 'transcript'; id: number; transcript: TranscriptEntry[] }
  /** Output of run `id` while it runs; its `result` carries the rest. */
  | { type: 'chunk'; id: number; text: string }
  /** `traces`: the connections the line made in its own tab (the last few: runtime.ts TRACES_PER_COMMAND), for the packet-path panel. */
  | { type: 'result'; id: number; output: string; prompt: string; exitCode: number; nested: boolean; incomplete: boolean; traces: Trace[] }
  | { type: 'compare'; id: number; view?: CompareView | undefined; error?: string | undefined }
  | { type: 'completion'; id: number; words: string[] }
  | { type: 'fatal'; message: string }
  // ---- the lab editor ----
  | { type: 'files'; id: number; names: string[] }
  /** `text` is null when the file does not exist (or is not a regular file); `error` says why. */
  | { type: 'file'; id: number; name: string; text: string | null; error?: string }
  | { type: 'written'; id: number; name: string; error?: string }
  /** `kubectl edit` wants the object in the editor; answered by `editDone` with the same editId. */
  | { type: 'edit'; editId: number; path: string; text: string };

/** Output above this many characters (1 MB of ASCII) is cut, with a notice. */
export const OUTPUT_LIMIT = 1024 * 1024;
