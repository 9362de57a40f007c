// The engine is pure TS: no DOM, no node: imports, nothing from outside src/engine.
import { describe, expect, it } from 'vitest';

const sources = import.meta.glob('./**/*.ts', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;

describe('engine layering', () => {
  it('finds the engine sources', () => {
    expect(Object.keys(sources).length).toBeGreaterThan(20);
  });
  it('has no node: imports and no imports reaching outside src/engine', () => {
    const bad: string[] = [];
    for (const [file, text] of Object.entries(sources)) {
      const depth = file.split('/').length - 2; // './a/b.ts' → 1 level below src/engine
      for (const m of text.matchAll(/(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g)) {
        const spec = m[1] ?? m[2] ?? '';
        if (spec.startsWith('node:')) bad.push(`${file}: ${spec}`);
        if (spec.startsWith('.')) {
          const ups = spec.split('/').filter((s) => s === '..').length;
          if (ups > depth) bad.push(`${file}: ${spec}`);
        }
        if (/^(fs|path|os|child_process|crypto|url|util)$/.test(spec)) bad.push(`${file}: ${spec}`);
      }
      if (!file.endsWith('.test.ts') && !file.endsWith('.bench.ts') && /\b(Date\.now|Math\.random)\(/.test(text.replace(/\/\/.*|\/\*[\s\S]*?\*\//g, ''))) bad.push(`${file}: Date.now/Math.random`);
    }
    expect(bad).toEqual([]);
  });
});
