/**
 * Lesson scenarios: content/lessons/scenarios/<name>/*.yaml, the manifests a lesson's live
 * blocks and engine listings start from. Read at build time (Astro frontmatter) and in tests,
 * never in the browser: a live block receives the texts as data, as the lab page does.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';

export interface Scenario {
  name: string;
  /** The files in name order, with their file names (the engine reports errors by source). */
  manifests: { text: string; source: string }[];
}

/** Where the scenarios live; Astro builds and vitest both run from the project root. */
export const SCENARIO_DIR = join(process.cwd(), 'content', 'lessons', 'scenarios');

const cache = new Map<string, Scenario>();

export function loadScenario(name: string): Scenario {
  const hit = cache.get(name);
  if (hit) return hit;
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw new Error(`scenario name "${name}": expected lowercase letters, digits and dashes`);
  const dir = join(SCENARIO_DIR, name);
  if (!existsSync(dir)) {
    throw new Error(`scenario "${name}" not found: expected a folder content/lessons/scenarios/${name}/ (have: ${scenarioNames().join(', ')})`);
  }
  const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new Error(`scenario "${name}" has no .yaml files in content/lessons/scenarios/${name}/`);
  const scenario = { name, manifests: files.map((f) => ({ text: readFileSync(join(dir, f), 'utf8'), source: f })) };
  cache.set(name, scenario);
  return scenario;
}

export function scenarioNames(): string[] {
  if (!existsSync(SCENARIO_DIR)) return [];
  return readdirSync(SCENARIO_DIR, { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name).sort();
}
