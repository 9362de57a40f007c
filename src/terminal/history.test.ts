import { describe, expect, it } from 'vitest';
import { History } from './history';

const store = (initial?: string) => {
  const data = new Map<string, string>(initial ? [['k', initial]] : []);
  return { data, getItem: (k: string) => data.get(k) ?? null, setItem: (k: string, v: string) => void data.set(k, v) };
};

describe('History', () => {
  it('ignores blank lines, lines starting with a space and repeats (HISTCONTROL=ignoreboth)', () => {
    const h = new History();
    for (const l of ['a', 'a', ' secret', '', 'b', 'a']) h.add(l);
    expect(h.entries).toEqual(['a', 'b', 'a']);
  });
  it('keeps at most `max` entries and survives a corrupt or foreign save', () => {
    const s = store();
    const h = new History({ storage: s, key: 'k', max: 2 });
    ['1', '2', '3'].forEach((l) => h.add(l));
    expect(new History({ storage: s, key: 'k' }).entries).toEqual(['2', '3']);
    expect(new History({ storage: store('{not json'), key: 'k' }).entries).toEqual([]);
    expect(new History({ storage: store('{"v":2,"lines":["x"]}'), key: 'k' }).entries).toEqual([]);
    const throwing = { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } };
    const t = new History({ storage: throwing, key: 'k' });
    t.add('still works');
    expect(t.entries).toEqual(['still works']);
  });
  it('search finds the newest match at or before an index', () => {
    const h = new History();
    ['kubectl get pods', 'ssh worker', 'kubectl get svc'].forEach((l) => h.add(l));
    expect(h.search('kubectl')).toEqual({ index: 2, line: 'kubectl get svc', at: 0 });
    expect(h.search('kubectl', 1)).toEqual({ index: 0, line: 'kubectl get pods', at: 0 });
    expect(h.search('nope')).toBeUndefined();
  });
});
