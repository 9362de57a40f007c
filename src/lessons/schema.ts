import { z } from 'astro/zod';
import { LEVELS, TOPIC_IDS } from './topics';

/** Front matter of a lesson (content/lessons/*.mdx). */
export const lessonSchema = z
  .object({
    /** Page title and <h1>. */
    title: z.string().min(3),
    /** One or two sentences for the index card, search results and <meta name=description>. */
    description: z.string().min(20).max(300),
    /** Position in the course (1, 2, 3, …); drives the index order and previous/next links. */
    order: z.number().int().positive(),
    /** How much the lesson assumes. */
    level: z.enum(LEVELS),
    /** The topic that links the lesson to its quiz questions (src/lessons/topics.ts). */
    topic: z.enum(TOPIC_IDS),
    /** The Kubernetes release the facts were checked against, e.g. "v1.34". */
    kubernetesVersion: z.string().regex(/^v1\.\d+$/, 'expected a minor release like "v1.34"'),
    /** When the lesson was last checked for accuracy (YYYY-MM-DD). */
    updated: z.coerce.date(),
    /** Drafts are built in dev only. */
    draft: z.boolean().default(false),
  })
  .strict();

export type LessonData = z.infer<typeof lessonSchema>;
