import { z } from 'astro/zod';
import { LEVELS, TOPIC_IDS } from '../lessons/topics';

/**
 * The quiz format (content/quiz/*.yaml), DESIGN.md §4. A file holds `questions:`, a list;
 * each question is one entry of the `quiz` collection, keyed by its `id`.
 */

const common = {
  /** Stable id (kebab-case), unique across all files; saved progress refers to it. */
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'expected kebab-case, e.g. kube-proxy-modes'),
  topic: z.enum(TOPIC_IDS),
  level: z.enum(LEVELS),
  /** The question, markdown. */
  prompt: z.string().min(10),
  /** Why the answer is right, markdown; shown after answering. */
  explanation: z.string().min(10),
  /** Slug of a lab to practise this hands-on (labs/<slug>). */
  lab: z.string().optional(),
};

const choices = z.array(z.string().min(1)).min(2).max(8);

const single = z
  .object({
    ...common,
    type: z.literal('single'),
    choices,
    /** 0-based index of the right choice. */
    answer: z.number().int().nonnegative(),
  })
  .strict();

const multi = z
  .object({
    ...common,
    type: z.literal('multi'),
    choices,
    /** 0-based indexes of every right choice. */
    answer: z.array(z.number().int().nonnegative()).min(1),
  })
  .strict();

/**
 * A key point an interviewer listens for. `match` lists words or short phrases (any one is
 * enough, case-insensitive) that show an answer covered it; mock interviews highlight them.
 */
const keyPoint = z.union([
  z.string().min(3),
  z.object({ text: z.string().min(3), match: z.array(z.string().min(2)).min(1) }).strict(),
]);

const recall = z
  .object({
    ...common,
    type: z.literal('recall'),
    /** The answer you would give out loud in about 60 seconds, markdown. */
    modelAnswer: z.string().min(40),
    /** What an interviewer listens for. */
    keyPoints: z.array(keyPoint).min(2).max(8),
    /** Questions an interviewer is likely to ask next. */
    followUps: z.array(z.string()).default([]),
  })
  .strict();

/** A manifest file under content/quiz/scenarios/; any other string is inline YAML. */
export const SCENARIO_FILE = /^scenarios\/[a-z0-9][a-z0-9.-]*\.ya?ml$/;

/**
 * Where a predict question runs: the default kind-like cluster, shaped by optional
 * ClusterConfig and KubeProxyConfiguration fields, with manifests applied at boot.
 */
const scenario = z
  .object({
    /** Files (`scenarios/web.yaml`, relative to content/quiz/) or inline YAML documents, applied in order. */
    manifests: z.array(z.string().min(1)).default([]),
    /** PRNG seed (pod-name suffixes, IPs, `-m statistic` draws); default 1, as `clusterpath run`. */
    seed: z.number().int().nonnegative().optional(),
    /** ClusterConfig (clusterpath.dev/v1alpha1) fields for this scenario. */
    cluster: z.object({ cni: z.enum(['kindnet', 'calico', 'cilium', 'flannel']).optional() }).strict().optional(),
    /** KubeProxyConfiguration (kubeproxy.config.k8s.io/v1alpha1) fields for this scenario. */
    kubeProxy: z
      .object({
        mode: z.enum(['iptables', 'ipvs']).optional(),
        ipvs: z.object({ scheduler: z.string().min(1) }).strict().optional(),
      })
      .strict()
      .optional(),
    /** Command lines run first, as typed at the terminal; their output is not shown (e.g. `ssh worker`, a few curls). */
    setup: z.array(z.string().min(1)).default([]),
    /** The command whose output the learner predicts; the engine runs it at build time. */
    command: z.string().min(1),
  })
  .strict();

const predict = z
  .object({
    ...common,
    type: z.literal('predict'),
    scenario,
    /**
     * A regex with exactly one group: the truth is that group of its first match in the
     * command's output (e.g. a chain name, an IP, a count). Without it, the whole output.
     */
    extract: z.string().min(1).optional(),
    /**
     * `choose`: candidate outputs or extracted values, exactly one of which must equal the
     * engine's truth (the build fails otherwise); `(no output)` stands for an empty output.
     * Without choices, the learner types the truth (`extract` required).
     */
    choices: choices.optional(),
    /**
     * What the author expects: the right choice's 0-based index, or the typed value. Checked
     * against the engine at build time, so a change in the engine that changes the answer is
     * noticed, never shipped silently.
     */
    answer: z.union([z.number().int().nonnegative(), z.string().min(1)]).optional(),
  })
  .strict();

const anyQuestion = z.discriminatedUnion('type', [single, multi, recall, predict]);

export const questionSchema = anyQuestion.superRefine((q, ctx) => {
  if (q.type === 'single' && q.answer >= q.choices.length) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: `answer ${q.answer} is not a choice index (0–${q.choices.length - 1})` });
  }
  if (q.type === 'multi') {
    for (const a of q.answer) {
      if (a >= q.choices.length) {
        ctx.addIssue({ code: z.ZodIssueCode.custom, path: ['answer'], message: `answer ${a} is not a choice index (0–${q.choices.length - 1})` });
      }
    }
  }
  if (q.type === 'predict') predictIssues(q).forEach(([path, message]) => ctx.addIssue({ code: z.ZodIssueCode.custom, path: [path], message }));
});

/** Author mistakes in a predict question that the field types alone cannot catch. */
function predictIssues(q: z.infer<typeof predict>): [string, string][] {
  const out: [string, string][] = [];
  if (q.extract !== undefined) {
    const groups = regexGroups(q.extract);
    if (groups === null) out.push(['extract', `not a valid regular expression: ${q.extract}`]);
    else if (groups !== 1) out.push(['extract', `needs exactly one capture group (has ${groups})`]);
  }
  if (q.choices) {
    if (typeof q.answer === 'string') out.push(['answer', 'with choices, answer is the 0-based index of the right one']);
    else if (q.answer !== undefined && q.answer >= q.choices.length) out.push(['answer', `answer ${q.answer} is not a choice index (0–${q.choices.length - 1})`]);
  } else {
    if (q.extract === undefined) out.push(['extract', 'a question without choices needs extract: the learner types a short value, not a whole output']);
    if (typeof q.answer === 'number') out.push(['answer', 'without choices, answer is the value the learner types']);
  }
  return out;
}

/** The number of capturing groups of a regex source, or null when it does not compile. */
function regexGroups(source: string): number | null {
  try {
    return (new RegExp(`${source}|`).exec('')?.length ?? 1) - 1;
  } catch {
    return null;
  }
}

export type Question = z.infer<typeof questionSchema>;

/** A quiz file: a list of questions. */
export const quizFileSchema = z.object({ questions: z.array(z.unknown()).min(1) }).strict();
