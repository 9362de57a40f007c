import { describe, expect, it } from 'vitest';
import { LOG_VERSION, parseSave } from './log';

const SLUG = 'kube-proxy-first-look';
const good = {
  v: 1,
  slug: SLUG,
  seed: 1,
  start: 1_000,
  events: [
    { at: 1_000, kind: 'line', line: 'kubectl get pods' },
    { at: 2_500, kind: 'write', path: '/home/user/web.yaml', text: 'kind: Service\n' },
  ],
  history: ['kubectl get pods'],
  hints: 2,
  solution: false,
};

describe('parseSave', () => {
  it('reads a save of this version, defaulting what older saves may lack', () => {
    expect(parseSave(good, SLUG)).toEqual({ ok: true, save: good });
    const bare = parseSave({ v: 1, slug: SLUG, seed: 3, start: 5, events: [] }, SLUG);
    expect(bare).toEqual({ ok: true, save: { v: 1, slug: SLUG, seed: 3, start: 5, events: [], history: [], hints: 0, solution: false } });
  });

  it('refuses a save from a newer format with its own reason', () => {
    const r = parseSave({ ...good, v: LOG_VERSION + 1 }, SLUG);
    expect(r).toMatchObject({ ok: false, reason: 'future' });
    expect(r.ok || r.message).toMatch(/newer version of ClusterPath \(format 2; this page reads 1\)/);
  });

  it('refuses another lab’s save', () => {
    expect(parseSave({ ...good, slug: 'other' }, SLUG)).toMatchObject({ ok: false, reason: 'other-lab' });
  });

  it.each([
    ['null', null],
    ['a string', 'garbage'],
    ['an array', [1, 2]],
    ['no version', { ...good, v: undefined }],
    ['version 0', { ...good, v: 0 }],
    ['a fractional seed', { ...good, seed: 1.5 }],
    ['events not a list', { ...good, events: {} }],
    ['time going backwards', { ...good, events: [{ at: 900, kind: 'line', line: 'ls' }] }],
    ['an unknown event kind', { ...good, events: [{ at: 1000, kind: 'keypress', key: 'a' }] }],
    ['a blank line event', { ...good, events: [{ at: 1000, kind: 'line', line: '  ' }] }],
    ['a relative write path', { ...good, events: [{ at: 1000, kind: 'write', path: 'web.yaml', text: '' }] }],
    ['history with a number', { ...good, history: ['ls', 3] }],
    ['negative hints', { ...good, hints: -1 }],
    ['a string solution flag', { ...good, solution: 'yes' }],
  ])('calls %s corrupt', (_, value) => {
    expect(parseSave(value, SLUG)).toMatchObject({ ok: false, reason: 'corrupt' });
  });
});
