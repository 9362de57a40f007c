/**
 * What a lesson's <LiveBlock> and <EngineOutput> do at build time, as plain functions so the
 * drift test (tests/lessons.test.ts) runs exactly the same steps: load the scenario, run the
 * commands on the engine, and check that the lines the prose relies on are in the output.
 */
import { runListing, DEFAULT_SEED, type Listing } from './listing';
import { loadScenario, type Scenario } from './scenarios';

export interface BlockSpec {
  /** A folder under content/lessons/scenarios/. */
  scenario: string;
  /** Command lines, typed in order at the first prompt (as `clusterpath run -c`). */
  commands: string[];
  /** Text the lesson quotes from this output: each must appear in it, or the build fails. */
  expect?: string[] | undefined;
  seed?: number | undefined;
}

export interface BuiltBlock {
  scenario: Scenario;
  listing: Listing;
  seed: number;
}

export async function buildBlock(spec: BlockSpec, where: string): Promise<BuiltBlock> {
  if (!Array.isArray(spec.commands) || spec.commands.length === 0 || spec.commands.some((c) => typeof c !== 'string' || c.trim() === '')) {
    throw new Error(`${where}: commands must be a non-empty list of command lines, got ${JSON.stringify(spec.commands)}`);
  }
  const scenario = loadScenario(spec.scenario);
  const seed = spec.seed ?? DEFAULT_SEED;
  const listing = await runListing(scenario.manifests, spec.commands, seed);
  const missing = missingExpectations(listing.text, spec.expect ?? []);
  if (missing.length > 0) {
    throw new Error(
      `${where}: scenario "${spec.scenario}" no longer prints what the lesson quotes.\n` +
        `Missing: ${missing.map((m) => JSON.stringify(m)).join(', ')}\nThe engine printed:\n${listing.text}`,
    );
  }
  return { scenario, listing, seed };
}

export function missingExpectations(output: string, expect: readonly string[]): string[] {
  return expect.filter((e) => !output.includes(e));
}

/** A stable id for a block from its title: lowercase words joined by dashes. */
export function blockId(title: string): string {
  return title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 60) || 'live';
}
