import { readFile, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { Loader } from 'astro/loaders';
import { parseDocument } from 'yaml';
import { quizFileSchema } from './schema';

/**
 * Loads every content/quiz/*.yaml file; each holds many questions, and each question
 * becomes one entry keyed by its `id`. Astro validates each entry with the collection's
 * schema; we add the file name to any error so an author knows where to look.
 */
export function quizLoader(dir: string): Loader {
  return {
    name: 'clusterpath-quiz',
    async load({ store, parseData, generateDigest, config }) {
      const root = new URL(dir, config.root);
      const files = (await readdir(root)).filter((f) => /\.ya?ml$/.test(f)).sort();
      store.clear();
      const seen = new Map<string, string>();
      for (const file of files) {
        const path = join(root.pathname, file);
        const shown = relative(config.root.pathname, path);
        const doc = parseDocument(await readFile(path, 'utf8'), { prettyErrors: true });
        if (doc.errors.length > 0) {
          throw new Error(`${shown}: invalid YAML: ${doc.errors[0]!.message}`);
        }
        const top = quizFileSchema.safeParse(doc.toJS());
        if (!top.success) {
          throw new Error(`${shown}: expected a top-level "questions:" list (${top.error.issues[0]?.message})`);
        }
        for (const [i, raw] of top.data.questions.entries()) {
          const id = (raw as { id?: unknown })?.id;
          if (typeof id !== 'string') throw new Error(`${shown}: questions[${i}].id: Required`);
          const previous = seen.get(id);
          if (previous) throw new Error(`${shown}: questions[${i}].id: "${id}" is already used in ${previous}`);
          seen.set(id, shown);
          let data: Record<string, unknown>;
          try {
            data = await parseData({ id, data: raw as Record<string, unknown>, filePath: shown });
          } catch (e) {
            throw new Error(`${shown}: questions[${i}] (${id}): ${(e as Error).message}`);
          }
          store.set({ id, data, filePath: shown, digest: generateDigest(data) });
        }
      }
    },
  };
}
