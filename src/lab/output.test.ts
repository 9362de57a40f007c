import { describe, expect, it } from 'vitest';
import { truncateOutput } from './output';

describe('truncateOutput', () => {
  it('leaves output under the limit alone and cuts longer output at a line end with a notice', () => {
    expect(truncateOutput('short\n', 100)).toBe('short\n');
    const big = 'x'.repeat(9) + '\n';
    const out = truncateOutput(big.repeat(30), 100);
    expect(out.startsWith(big.repeat(10))).toBe(true);
    expect(out).toMatch(/\[clusterpath: output truncated: showing 0\.0 MB of 0\.0 MB; pipe it through head, tail or grep/);
    expect(truncateOutput('y'.repeat(3 * 1024 * 1024)).length).toBeLessThan(1024 * 1024 + 200);
  });
});
