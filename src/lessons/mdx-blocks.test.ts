import { describe, expect, it } from 'vitest';
import { findBlocks, proseWithoutBlocks } from './mdx-blocks';

describe('findBlocks', () => {
  it('reads string and JSON props of self-closing and paired tags, with their lines', () => {
    const src = [
      'Intro `KUBE-SVC-X`.',
      '<LiveBlock',
      '  title="Rules on a node"',
      '  scenario="web"',
      '  commands={["ssh worker iptables-save | grep \'a}b\'", "echo \\"{x}\\""]}',
      '  expect={["KUBE-SVC-X"]}',
      '/>',
      '<EngineOutput scenario="dns" commands={["dig"]} expect={["A"]} failing={true}>',
      'text',
      '</EngineOutput>',
      'After.',
    ].join('\n');
    const blocks = findBlocks(src);
    expect(blocks.map((b) => [b.kind, b.line])).toEqual([
      ['LiveBlock', 2],
      ['EngineOutput', 8],
    ]);
    expect(blocks[0]!.props).toEqual({
      title: 'Rules on a node',
      scenario: 'web',
      commands: ["ssh worker iptables-save | grep 'a}b'", 'echo "{x}"'],
      expect: ['KUBE-SVC-X'],
    });
    expect(blocks[1]!.props).toEqual({ scenario: 'dns', commands: ['dig'], expect: ['A'], failing: true });
    // The prose left when the tags are cut out: what a quote must also appear in.
    expect(proseWithoutBlocks(src, blocks)).toBe('Intro `KUBE-SVC-X`.\n\n\nAfter.');
  });

  it('refuses props that are not plain literals, naming the line', () => {
    expect(() => findBlocks('x\n<LiveBlock commands={lines} />')).toThrow(/line 2: <LiveBlock>: prop commands must be JSON/);
    expect(() => findBlocks('<EngineOutput scenario=web />')).toThrow(/prop scenario must be "a string" or \{JSON\}/);
    expect(() => findBlocks('<LiveBlock title="x">')).toThrow(/is not closed/);
  });
});
