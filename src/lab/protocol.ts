/**
 * Messages between the lab page and the worker that hosts its cluster (src/lab/worker.ts).
 * Requests carry an id; the worker answers each with the same id, in order, except the editor's
 * file requests, which are answered at once even while a command runs.
 */

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
  /** The lab's setup manifests, read at build time, with their file names. */
  manifests: { text: string; source: string }[];
  /** PRNG seed: the same seed gives the same pod names and IPs. */
  seed: number;
}

export type ToWorker =
  | { type: 'init'; setup: LabSetup }
  | { type: 'run'; id: number; line: string }
  | { type: 'interrupt'; id: number }
  | { type: 'complete'; id: number; query: CompletionQuery }
  // ---- the lab editor (src/components/lab/Editor.tsx): files in the learner's home (~) ----
  | { type: 'listFiles'; id: number }
  | { type: 'readFile'; id: number; name: string }
  | { type: 'writeFile'; id: number; name: string; text: string }
  /** The page's answer to `edit`: the saved text, or null when the editor closed unsaved. */
  | { type: 'editDone'; editId: number; text: string | null; unavailable?: boolean };

export type FromWorker =
  | { type: 'ready'; prompt: string; nested: boolean; ms: number; notice: string }
  | { type: 'result'; id: number; output: string; prompt: string; exitCode: number; nested: boolean; incomplete: boolean }
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
