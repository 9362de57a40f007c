import { describe, expect, it } from 'vitest';
import type { LabSave } from './log';
import { openSession } from './open';
import { historyKey, saveKey, setAsideKey, type SaveStorage } from './persist';
import { encodeShare } from './share';

const SLUG = 'kube-proxy-first-look';

function memory(init: Record<string, string> = {}): SaveStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(init));
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const mine: LabSave = { v: 1, slug: SLUG, seed: 1, start: 10, events: [{ at: 20, kind: 'line', line: 'kubectl get pods' }], history: ['kubectl get pods'], hints: 0, solution: false };
const theirs: LabSave = { v: 1, slug: SLUG, seed: 1, start: 50, events: [{ at: 60, kind: 'line', line: 'ssh worker' }], history: ['ssh worker'], hints: 2, solution: true };

function open(storage: SaveStorage, hash: string, answer?: boolean) {
  const notices: string[] = [];
  let asked = 0;
  const result = openSession({
    slug: SLUG,
    storage,
    hash,
    notice: (t) => void notices.push(t),
    ask: async () => {
      asked++;
      if (answer === undefined) throw new Error('asked unexpectedly');
      return answer;
    },
  });
  return { result, notices, asked: () => asked };
}

describe('openSession', () => {
  it('without a link: the local save, at once (no promise)', () => {
    const { result, notices } = open(memory({ [saveKey(SLUG)]: JSON.stringify(mine) }), '');
    expect(result).toEqual(mine);
    expect(notices).toEqual([]);
    expect(open(memory(), '#task-1').result).toBeUndefined();
  });

  it('a corrupt local save: a notice, set aside, fresh start', () => {
    const s = memory({ [saveKey(SLUG)]: '{' });
    const { result, notices } = open(s, '');
    expect(result).toBeUndefined();
    expect(notices).toEqual(['Your saved session for this lab could not be read: the saved session is damaged (not JSON). It was set aside and the lab starts fresh.']);
    expect(s.map.get(setAsideKey(SLUG))).toBe('{');
  });

  it('a link and no local progress: opens the link without asking, and it becomes the save and the history', async () => {
    const s = memory();
    const { result, asked } = open(s, '#s=' + (await encodeShare(theirs)));
    expect(await result).toEqual(theirs);
    expect(asked()).toBe(0);
    expect(JSON.parse(s.map.get(saveKey(SLUG))!)).toEqual(theirs);
    expect(s.map.get(historyKey(SLUG))).toBe('{"v":1,"lines":["ssh worker"]}');
  });

  it('a link and local progress: asks; keeping the local session leaves everything as it was', async () => {
    const s = memory({ [saveKey(SLUG)]: JSON.stringify(mine) });
    const hash = '#s=' + (await encodeShare(theirs));
    const keep = open(s, hash, false);
    expect(await keep.result).toEqual(mine);
    expect(keep.asked()).toBe(1);
    expect(JSON.parse(s.map.get(saveKey(SLUG))!)).toEqual(mine);
    const take = open(s, hash, true);
    expect(await take.result).toEqual(theirs);
    expect(JSON.parse(s.map.get(saveKey(SLUG))!)).toEqual(theirs);
  });

  it('a damaged link or another lab’s: a notice, and the local save stays', async () => {
    const s = memory({ [saveKey(SLUG)]: JSON.stringify(mine) });
    const cut = open(s, '#s=' + (await encodeShare(theirs)).slice(0, 20));
    expect(await cut.result).toEqual(mine);
    expect(cut.notices[0]).toMatch(/^The shared link could not be opened: the link (is cut short or damaged|does not hold a lab session)\.$/);
    const other = open(s, '#s=' + (await encodeShare({ ...theirs, slug: 'ipvs-mode' })));
    expect(await other.result).toEqual(mine);
    expect(other.notices).toEqual(['The shared link could not be opened: the saved session belongs to the lab "ipvs-mode".']);
  });
});
