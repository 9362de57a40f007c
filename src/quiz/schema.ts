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

const predict = z
  .object({
    ...common,
    type: z.literal('predict'),
    /** What runs: manifests applied to the default cluster, then a command; the engine
     *  computes the expected output at build time, so it cannot go stale. */
    scenario: z
      .object({
        /** Manifest files relative to content/quiz/, or inline YAML documents. */
        manifests: z.array(z.string()).default([]),
        /** Command lines run before the one shown (e.g. ssh into a node). */
        before: z.array(z.string()).default([]),
        /** The command whose output the learner predicts. */
        command: z.string().min(1),
      })
      .strict(),
    /** Optional candidate outputs; without them the learner types the answer. */
    choices: choices.optional(),
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
});

export type Question = z.infer<typeof questionSchema>;

/** A quiz file: a list of questions. */
export const quizFileSchema = z.object({ questions: z.array(z.unknown()).min(1) }).strict();
