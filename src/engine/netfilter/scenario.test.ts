// Every testdata/*.scenario replayed through the engine and compared with the transcript of
// the real iptables v1.8.9 (nf_tables) + ipset 7.17, captured by
// `npx tsx scripts/dev/iptables-crosscheck.ts --fixtures` into testdata/*.expected.
import { describe, expect, it } from 'vitest';
import { runScenario, shellWords } from './scenario';

const files = import.meta.glob('./testdata/**/*', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const read = (name: string): string => {
  const t = files[`./testdata/${name}`];
  if (t === undefined) throw new Error(`no testdata file ${name}`);
  return t;
};

describe('scenarios against the real iptables transcripts', () => {
  const scenarios = Object.keys(files).filter((f) => f.endsWith('.scenario'));
  it('finds the scenarios', () => {
    expect(scenarios.length).toBeGreaterThanOrEqual(6);
  });
  for (const f of scenarios) {
    const name = f.replace('./testdata/', '');
    it(name, () => {
      const expected = files[f.replace(/\.scenario$/, '.expected')];
      expect(expected, `${name}: run the crosscheck script with --fixtures`).toBeDefined();
      expect(runScenario(files[f]!, { readFile: read, now: 0 })).toBe(expected);
    });
  }
});

describe('shellWords', () => {
  it('splits like a shell', () => {
    expect(shellWords(`iptables -A X -m comment --comment "a \\"b\\" c" -j 'Y Z' d\\ e`)).toEqual([
      'iptables', '-A', 'X', '-m', 'comment', '--comment', 'a "b" c', '-j', 'Y Z', 'd e',
    ]);
  });
});
