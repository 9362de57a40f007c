import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { addMockReport, CORRUPT_KEY, flagForReview, dayKey, emptyState, loadState, markForReview, parseState, recordReview, saveState, STATE_KEY } from './state';

const now = new Date(2026, 2, 10, 12).getTime();

function memory(init: Record<string, string> = {}) {
  const m = new Map(Object.entries(init));
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), removeItem: (k: string) => void m.delete(k), m };
}

describe('saved quiz state', () => {
  it('round-trips through localStorage', () => {
    const s = memory();
    const state = recordReview(emptyState(), 'svc-nodeport', Rating.Good, now);
    expect(saveState(s, state)).toBe(true);
    expect(loadState(s)).toEqual({ state });
  });

  it('starts empty without a saved value, with no notice', () => {
    expect(loadState(memory())).toEqual({ state: emptyState() });
  });

  it('sets a corrupt value aside with a notice, keeping a copy', () => {
    for (const bad of ['{not json', '[]', '{"version":2,"cards":{"x":{"due":"soon"}}}', '{"version":99}']) {
      const s = memory({ [STATE_KEY]: bad });
      const r = loadState(s);
      expect(r.state).toEqual(emptyState());
      expect(r.notice).toMatch(/could not be read/);
      expect(s.m.get(CORRUPT_KEY)).toBe(bad);
      expect(s.m.has(STATE_KEY)).toBe(false);
    }
  });

  it('names what is wrong', () => {
    const r = parseState({ version: 2, cards: { 'a-b': { due: 'tomorrow' } }, days: {}, flagged: {}, mocks: [] });
    expect(r).toEqual({ ok: false, message: 'quiz.cards["a-b"].due: expected a number from 946684800000 to 7258118400000, got "tomorrow"' });
    expect(parseState({ version: 3 })).toMatchObject({ ok: false, message: expect.stringContaining('newer ClusterPath') });
  });

  it('migrates the version 1 format', () => {
    const v1 = {
      version: 1,
      cards: {
        'svc-nodeport': { due: '2026-03-12T09:00:00.000Z', stability: 2.3, difficulty: 5.1, reps: 2, lapses: 0, state: 'Review', lastReview: '2026-03-10T09:00:00.000Z' },
        'dns-records': { due: '2026-03-10T09:10:00.000Z', stability: 0.2, difficulty: 7, reps: 1, lapses: 0, state: 'Learning' },
      },
      mocks: [{ at: '2026-03-09T18:00:00.000Z', score: 0.625, questions: ['kp-what'] }],
    };
    const r = parseState(v1);
    if (!r.ok) throw new Error(r.message);
    expect(r.state.version).toBe(2);
    expect(r.state.cards['svc-nodeport']).toEqual({
      due: Date.UTC(2026, 2, 12, 9), stability: 2.3, difficulty: 5.1, scheduledDays: 2, learningSteps: 0, reps: 2, lapses: 0, state: 2, lastReview: Date.UTC(2026, 2, 10, 9),
    });
    expect(r.state.cards['dns-records']!.state).toBe(1);
    expect(r.state.days).toEqual({ [dayKey(Date.UTC(2026, 2, 10, 9))]: 1 });
    expect(r.state.mocks[0]).toMatchObject({ covered: 63, total: 100, items: [{ id: 'kp-what' }] });
    // A migrated state is a valid current one.
    expect(parseState(JSON.parse(JSON.stringify(r.state)))).toEqual(r);
  });

  it('rating a question moves its card, counts the day and clears a lab flag', () => {
    let st = markForReview(emptyState(), ['kp-what', 'svc-nodeport'], now);
    expect(Object.keys(st.flagged)).toEqual(['kp-what', 'svc-nodeport']);
    st = recordReview(st, 'kp-what', Rating.Hard, now);
    expect(st.cards['kp-what']!.reps).toBe(1);
    expect(st.days[dayKey(now)]).toBe(1);
    expect(Object.keys(st.flagged)).toEqual(['svc-nodeport']);
  });

  it('keeps mock reports newest first', () => {
    const report = (at: number) => ({ at, secondsPerQuestion: 180, topics: [], items: [], covered: 0, total: 0 });
    const st = addMockReport(addMockReport(emptyState(), report(now - 1000)), report(now));
    expect(st.mocks.map((m) => m.at)).toEqual([now, now - 1000]);
    expect(st.days[dayKey(now)]).toBe(2);
  });

  it('a lab flags its questions for review in one call; they are due until rated', () => {
    const s = memory();
    saveState(s, recordReview(emptyState(), 'svc-nodeport', Rating.Easy, now));
    flagForReview(s, ['svc-nodeport', 'kp-what'], now + 1000);
    const { state } = loadState(s);
    expect(state.flagged).toEqual({ 'svc-nodeport': now + 1000, 'kp-what': now + 1000 });
    expect(state.cards['svc-nodeport']!.reps).toBe(1);
  });
});
