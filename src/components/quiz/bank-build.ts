import { getCollection } from 'astro:content';
import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';
import { plainPrompt, questionsByTopic } from '../site/content';
import { toKeyPoint, type Bank, type BankQuestion } from '../../quiz';

/**
 * Builds /quiz/bank.json at build time: every question the practice and mock-interview
 * islands can ask, markdown rendered to HTML.
 *
 * Code blocks are rendered without Shiki here: Shiki colours tokens with style=""
 * attributes, and the page's CSP admits only the attributes present in its own HTML
 * (scripts/csp.mjs hashes them), not ones arriving later in JSON. The question list on
 * /quiz/ keeps the highlighted rendering.
 *
 * Predict-the-output questions are left out until the engine computes their answers
 * (issue #8, point 2).
 */
let plain: Promise<MarkdownProcessor> | undefined;

async function md(text: string): Promise<string> {
  plain ??= createMarkdownProcessor({ syntaxHighlight: false });
  return (await (await plain).render(text)).code;
}

export async function buildBank(): Promise<Bank> {
  const labIds = new Set((await getCollection('labs')).map((l) => l.id));
  const questions: BankQuestion[] = [];
  for (const qs of (await questionsByTopic()).values()) {
    for (const { data: q } of qs) {
      if (q.type === 'predict') continue;
      const base = {
        id: q.id,
        topic: q.topic,
        level: q.level,
        promptHtml: await md(q.prompt),
        promptText: plainPrompt(q.prompt, 400),
        explanationHtml: await md(q.explanation),
        ...(q.lab && labIds.has(q.lab) ? { lab: q.lab } : {}),
      };
      if (q.type === 'recall') {
        questions.push({ ...base, type: 'recall', modelHtml: await md(q.modelAnswer), keyPoints: q.keyPoints.map(toKeyPoint), followUps: q.followUps });
      } else {
        questions.push({
          ...base,
          type: q.type,
          choicesHtml: await Promise.all(q.choices.map(md)),
          answer: typeof q.answer === 'number' ? [q.answer] : [...q.answer].sort((a, b) => a - b),
        });
      }
    }
  }
  return { version: 1, questions };
}
