// The drift test (issue #7): every lesson's live blocks and engine listings are built from their
// scenarios and run here, exactly as the build does (src/lessons/blocks.ts); the lines each
// block declares in `expect` must be in the engine's output AND quoted in the lesson's prose.
// A lesson whose scenario no longer produces what its text relies on fails.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildBlock, missingExpectations } from '../src/lessons/blocks';
import { findBlocks, proseWithoutBlocks } from '../src/lessons/mdx-blocks';

const DIR = new URL('../content/lessons/', import.meta.url).pathname;
const lessons = readdirSync(DIR).filter((f) => f.endsWith('.mdx')).sort();

describe('lessons', () => {
  it('there are twelve lessons', () => {
    expect(lessons).toHaveLength(12);
  });

  describe.each(lessons)('%s', (file) => {
    const source = readFileSync(join(DIR, file), 'utf8');
    const blocks = findBlocks(source);
    const prose = proseWithoutBlocks(source, blocks);

    it('has at least two live blocks and no placeholder left', () => {
      expect(blocks.filter((b) => b.kind === 'LiveBlock').length).toBeGreaterThanOrEqual(2);
      expect(source).not.toMatch(/\{\/\*\s*(live|engine listing):/);
    });

    it.each(blocks.map((b) => [`${b.kind} at line ${b.line}`, b] as const))('%s runs and prints what the prose quotes', async (_name, b) => {
      const p = b.props;
      const quotes = p.expect as string[] | undefined;
      // A block that asserts nothing could drift silently.
      expect(Array.isArray(quotes) && quotes.length > 0, 'declare expect={[…]} with the lines the prose relies on').toBe(true);
      const built = await buildBlock(
        { scenario: p.scenario as string, commands: p.commands as string[], expect: quotes, seed: p.seed as number | undefined },
        `${file}:${b.line}`,
      );
      expect(missingExpectations(built.listing.text, quotes!)).toEqual([]);
      // …and the prose really quotes them (else `expect` guards nothing the reader sees).
      expect(quotes!.filter((q) => !prose.includes(q)), 'quoted in the prose').toEqual([]);
      // Every suggested command must have run cleanly unless the lesson shows a failure on purpose.
      if (p.failing !== true) {
        expect(built.listing.steps.filter((s) => s.exitCode !== 0).map((s) => `${s.line} → ${s.exitCode}: ${s.output}`)).toEqual([]);
      }
    });
  });
});
