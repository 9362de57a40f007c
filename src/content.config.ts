import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './lessons/schema';
import { labSchema } from './lab/schema';
import { questionSchema } from './quiz/schema';
import { quizLoader } from './quiz/loader';

// Content lives outside src/ (DESIGN.md §2): lessons and quiz under content/, labs under labs/.
const lessons = defineCollection({
  loader: glob({ pattern: '*.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

const labs = defineCollection({
  // One folder per lab; the folder name is the slug.
  loader: glob({
    pattern: '*/lab.yaml',
    base: './labs',
    generateId: ({ entry }) => entry.split('/')[0]!,
  }),
  schema: labSchema,
});

const quiz = defineCollection({
  loader: quizLoader('./content/quiz/'),
  schema: questionSchema,
});

export const collections = { lessons, labs, quiz };
