/**
 * Messages between the lab page and the worker that hosts its cluster (src/lab/worker.ts).
 * Requests carry an id; the worker answers each with the same id, in order.
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
  | { type: 'complete'; id: number; query: CompletionQuery };

export type FromWorker =
  | { type: 'ready'; prompt: string; nested: boolean; ms: number; notice: string }
  | { type: 'result'; id: number; output: string; prompt: string; exitCode: number; nested: boolean; incomplete: boolean }
  | { type: 'completion'; id: number; words: string[] }
  | { type: 'fatal'; message: string };

/** Output above this many characters (1 MB of ASCII) is cut, with a notice. */
export const OUTPUT_LIMIT = 1024 * 1024;
