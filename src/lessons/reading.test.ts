import { describe, expect, it } from 'vitest';
import { countWords, neighbours, readingMinutes, tocHeadings } from './reading';

describe('countWords', () => {
  it('counts prose and code tokens, not MDX imports or markup', () => {
    const body = [
      "import Lab from '../components/Lab.astro';",
      '',
      '## What kube-proxy watches',
      'It watches **Services** and `EndpointSlices`.',
      '<Lab slug="x" />',
    ].join('\n');
    // What kube-proxy watches (3) + It watches Services and EndpointSlices (5)
    expect(countWords(body)).toBe(8);
  });
  it('keeps an IP:port or a flag as one word', () => {
    expect(countWords('curl 10.96.0.10:53 --max-time=2')).toBe(3);
  });
});

describe('readingMinutes', () => {
  it('rounds to whole minutes and never says 0', () => {
    expect(readingMinutes('one two')).toBe(1);
    expect(readingMinutes(Array(1000).fill('word').join(' '))).toBe(5);
  });
});

describe('tocHeadings', () => {
  it('keeps h2 and h3 only', () => {
    const hs = [
      { depth: 1, slug: 't', text: 'T' },
      { depth: 2, slug: 'a', text: 'A' },
      { depth: 3, slug: 'b', text: 'B' },
      { depth: 4, slug: 'c', text: 'C' },
    ];
    expect(tocHeadings(hs).map((h) => h.slug)).toEqual(['a', 'b']);
  });
});

describe('neighbours', () => {
  const list = [{ id: 'a' }, { id: 'b' }, { id: 'c' }];
  it('gives previous and next in order', () => {
    expect(neighbours(list, 'b')).toEqual({ prev: { id: 'a' }, next: { id: 'c' } });
  });
  it('has no previous for the first and no next for the last', () => {
    expect(neighbours(list, 'a')).toEqual({ next: { id: 'b' } });
    expect(neighbours(list, 'c')).toEqual({ prev: { id: 'b' } });
  });
  it('is empty for an unknown id', () => {
    expect(neighbours(list, 'zz')).toEqual({});
  });
});
