import { join } from 'node:path';
import { getCollection } from 'astro:content';
import { createMarkdownProcessor, type MarkdownProcessor } from '@astrojs/markdown-remark';
import { plainPrompt, questionsByTopic } from '../site/content';
import { toKeyPoint, type Bank, type BankQuestion } from '../../quiz';
// Build-time only, outside the quiz's index.ts: it brings the whole engine, which the quiz
// pages must not ship.
import { scenarioManifests, solvePredict, type PredictSource, type Solved } from '../../quiz/scenario';

/**
 * Builds /quiz/bank.json at build time: every question the practice and mock-interview
 * islands can ask, markdown rendered to HTML.
 *
 * Code blocks are rendered without Shiki here: Shiki colours tokens with style=""
 * attributes, and the page's CSP admits only the attributes present in its own HTML
 * (scripts/csp.mjs hashes them), not ones arriving later in JSON. The question list on
 * /quiz/ keeps the highlighted rendering.
 *
 * Predict-the-output questions run their scenario through the engine and shell here
 * (src/quiz/scenario.ts), so the stored output and truth are the engine's; a question none
 * or several of whose choices match fails the build with its id.
 */
let plain: Promise<MarkdownProcessor> | undefined;

async function md(text: string): Promise<string> {
  plain ??= createMarkdownProcessor({ syntaxHighlight: false });
  return (await (await plain).render(text)).code;
}

/** Markdown that is one paragraph, without the paragraph (for list items). */
async function mdInline(text: string): Promise<string> {
  return (await md(text)).trim().replace(/^<p>([\s\S]*)<\/p>$/, '$1');
}

// Astro builds from the project root; scenario files are relative to content/quiz/.
const CONTENT = join(process.cwd(), 'content/quiz');

let built: Promise<Bank> | undefined;

// Solved predict questions by what they depend on (the question and its manifest texts), so
// the dev server reruns only the ones an edit touched. An engine edit reloads this module
// (Vite invalidates importers), which empties the map.
const solved = new Map<string, Promise<Solved>>();

function solve(q: PredictSource): Promise<Solved> {
  const key = JSON.stringify([q, scenarioManifests(q, CONTENT)]);
  let s = solved.get(key);
  if (!s) {
    s = solvePredict(q, CONTENT);
    solved.set(key, s);
    s.catch(() => solved.delete(key));
  }
  return s;
}

/**
 * The bank, built once per build (bank.json and the question list both need the engine's
 * outputs); in dev, rebuilt on every request so edits show (predict questions from the cache).
 */
export function buildBank(): Promise<Bank> {
  if (import.meta.env.DEV) return makeBank();
  built ??= makeBank();
  return built;
}

async function makeBank(): Promise<Bank> {
  const labIds = new Set((await getCollection('labs')).map((l) => l.id));
  const questions: BankQuestion[] = [];
  let predictMs = 0;
  let predicts = 0;
  for (const qs of (await questionsByTopic()).values()) {
    for (const { data: q } of qs) {
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
        questions.push({ ...base, type: 'recall', modelHtml: await md(q.modelAnswer), keyPoints: q.keyPoints.map(toKeyPoint), followUpsHtml: await Promise.all(q.followUps.map(mdInline)) });
      } else if (q.type === 'predict') {
        const started = performance.now();
        const s = await solve(q);
        predictMs += performance.now() - started;
        predicts++;
        const { scenario, shellPrompt, output, exitCode, truth } = s;
        const choose = s.answer !== undefined && q.choices !== undefined;
        questions.push({
          ...base, type: 'predict', scenario, shellPrompt, command: q.scenario.command, output, exitCode, truth,
          mode: choose ? 'choose' : 'type', choices: q.choices ?? [], answer: s.answer ?? -1,
        });
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
  // What predict questions add to the build (reported by npm run build's log).
  if (predicts) console.info(`quiz: ${predicts} predict questions computed by the engine in ${Math.round(predictMs)} ms`);
  return { version: 2, questions };
}
