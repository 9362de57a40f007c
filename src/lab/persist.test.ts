import { describe, expect, it } from 'vitest';
import type { LabSave } from './log';
import { clearSave, readHistory, readSave, saveKey, setAsideKey, writeHistory, writeSave, type SaveStorage } from './persist';

const SLUG = 'kube-proxy-first-look';

function memory(init: Record<string, string> = {}): SaveStorage & { map: Map<string, string> } {
  const map = new Map(Object.entries(init));
  return { map, getItem: (k) => map.get(k) ?? null, setItem: (k, v) => void map.set(k, v), removeItem: (k) => void map.delete(k) };
}

const save: LabSave = { v: 1, slug: SLUG, seed: 1, start: 10, events: [{ at: 20, kind: 'line', line: 'kubectl get pods' }], history: ['kubectl get pods'], hints: 1, solution: false };

describe('lab saves in storage', () => {
  it('writes and reads back a save under the lab’s key', () => {
    const s = memory();
    expect(writeSave(s, save)).toBe(true);
    expect([...s.map.keys()]).toEqual([saveKey(SLUG)]);
    expect(readSave(s, SLUG)).toEqual({ kind: 'ok', save });
    clearSave(s, SLUG);
    expect(readSave(s, SLUG)).toEqual({ kind: 'none' });
  });

  it('sets a corrupt save aside and says why', () => {
    const s = memory({ [saveKey(SLUG)]: '{"v":1,"slug":' });
    const r = readSave(s, SLUG);
    expect(r).toEqual({ kind: 'discarded', message: 'the saved session is damaged (not JSON)' });
    expect(s.map.get(setAsideKey(SLUG))).toBe('{"v":1,"slug":');
    expect(s.map.has(saveKey(SLUG))).toBe(false);
  });

  it('sets a future-version save aside', () => {
    const s = memory({ [saveKey(SLUG)]: JSON.stringify({ ...save, v: 9 }) });
    const r = readSave(s, SLUG);
    expect(r.kind).toBe('discarded');
    expect(r.kind === 'discarded' && r.message).toMatch(/newer version/);
  });

  it('survives a storage that throws', () => {
    const broken: SaveStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    expect(readSave(broken, SLUG)).toEqual({ kind: 'none' });
    expect(writeSave(broken, save)).toBe(false);
    expect(() => clearSave(broken, SLUG)).not.toThrow();
    expect(readSave(undefined, SLUG)).toEqual({ kind: 'none' });
  });

  it('writes the terminal history in the terminal’s own format', () => {
    const s = memory();
    writeHistory(s, SLUG, ['ls', 'kubectl get svc']);
    expect(s.map.get('clusterpath:history:' + SLUG)).toBe('{"v":1,"lines":["ls","kubectl get svc"]}');
    expect(readHistory(s, SLUG)).toEqual(['ls', 'kubectl get svc']);
    expect(readHistory(memory({ ['clusterpath:history:' + SLUG]: 'nope' }), SLUG)).toEqual([]);
  });
});
