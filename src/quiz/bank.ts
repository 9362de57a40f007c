import type { Level, Topic } from '../lessons/topics';

/**
 * The question bank as the browser sees it: every question the practice and mock-interview
 * islands can ask, with its markdown already rendered to HTML at build time
 * (`/quiz/bank.json`, built by src/pages/quiz/bank.json.ts). Pure data, no DOM.
 */

/** A key point with the words that show an answer covered it (case-insensitive). */
export interface KeyPoint {
  text: string;
  /** Terms, any one of which is enough; empty for a plain-text key point (see match.ts). */
  match: string[];
}

interface Base {
  id: string;
  topic: Topic;
  level: Level;
  /** The prompt as HTML, and as short plain text for lists, reports and Anki. */
  promptHtml: string;
  promptText: string;
  explanationHtml: string;
  /** Slug of an existing lab, if any. */
  lab?: string;
}

export interface ChoiceQuestion extends Base {
  type: 'single' | 'multi';
  choicesHtml: string[];
  /** 0-based indexes of the right choices (one for `single`). */
  answer: number[];
}

export interface RecallQuestion extends Base {
  type: 'recall';
  modelHtml: string;
  keyPoints: KeyPoint[];
  /** Likely follow-up questions, markdown rendered to HTML. */
  followUpsHtml: string[];
}

/** What a predict question's cluster holds, for the learner to reason from. */
export interface PredictScenario {
  /** `Deployment web`, `NetworkPolicy deny-all (namespace prod)`, … in apply order. */
  objects: string[];
  /** The cluster's shape: nodes, kube-proxy mode, CNI. */
  settings: string[];
  /** Every manifest applied, as one multi-document YAML text. */
  manifests: string;
  /** Lines run before the command (their output is not shown). */
  setup: string[];
}

/**
 * Predict the output: a scenario and a command; the engine ran it at build time
 * (src/quiz/scenario.ts), so `output` is what the terminal really shows.
 */
export interface PredictQuestion extends Base {
  type: 'predict';
  scenario: PredictScenario;
  /** The terminal's prompt before the command (`root@worker:~# ` after `ssh worker`). */
  shellPrompt: string;
  command: string;
  output: string;
  exitCode: number;
  /**
   * `choose`: pick one of `choices` (`answer` is the right one's index); `type`: type the
   * value (`truth`). Choices are whole outputs (shown as blocks) or short values.
   */
  mode: 'choose' | 'type';
  choices: string[];
  answer: number;
  truth: string;
}

export type BankQuestion = ChoiceQuestion | RecallQuestion | PredictQuestion;

/** How many choices a question offers (0 for recall and typed predict questions). */
export function choiceCount(q: BankQuestion): number {
  if (q.type === 'recall') return 0;
  if (q.type === 'predict') return q.mode === 'choose' ? q.choices.length : 0;
  return q.choicesHtml.length;
}

export interface Bank {
  /** Bumped when the shape above changes, so a cached bank.json is never misread. */
  version: 2;
  questions: BankQuestion[];
}

/** Normalises an authored key point (a string, or `{text, match}`). */
export function toKeyPoint(k: string | { text: string; match: string[] }): KeyPoint {
  return typeof k === 'string' ? { text: k, match: [] } : { text: k.text, match: [...k.match] };
}

/** Questions a lab is about: the ones that link to it (issue #8, point 5). */
export function relatedToLab(bank: readonly BankQuestion[], labSlug: string): string[] {
  return bank.filter((q) => q.lab === labSlug).map((q) => q.id);
}

/** Checks the top of a fetched bank.json; anything else is a deploy mismatch, not a user error. */
export function isBank(x: unknown): x is Bank {
  return typeof x === 'object' && x !== null && (x as Bank).version === 2 && Array.isArray((x as Bank).questions);
}
