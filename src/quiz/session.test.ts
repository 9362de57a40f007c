import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { currentId, parseSession, pick, rate, reveal, setText, startSession, suggestedGrade, verdict } from './session';
import { bank, multi, predictChoose, predictType, recall, single } from './fixtures.test-helpers';

const now = Date.UTC(2026, 2, 10, 12);
const known = new Set(bank.map((q) => q.id));

describe('practice session', () => {
  it('answers a predict question by a pick (choose) or typed text (type)', () => {
    let s = startSession([predictChoose.id, predictType.id], 'k', now);
    expect(pick(s, predictChoose, 3)).toBe(s);
    s = pick(s, predictChoose, 1);
    expect(s.phase).toBe('revealed');
    expect(verdict(s, predictChoose)).toBe('correct');
    expect(suggestedGrade(s, predictChoose)).toBe(Rating.Good);
    s = rate(s, predictChoose, Rating.Good);
    // Typed: picks do nothing, an empty box cannot be checked, the value is compared loosely.
    expect(pick(s, predictType, 0)).toBe(s);
    expect(reveal(s, predictType)).toBe(s);
    const wrong = reveal(setText(s, '4'), predictType);
    expect(verdict(wrong, predictType)).toBe('incorrect');
    expect(suggestedGrade(wrong, predictType)).toBe(Rating.Again);
    s = reveal(setText(s, ' 3 '), predictType);
    expect(verdict(s, predictType)).toBe('correct');
    expect(rate(s, predictType, Rating.Good).phase).toBe('done');
  });


  it('runs a whole session: single, multi and recall, with a repeat after Again', () => {
    let s = startSession([single.id, multi.id, recall.id], 'k', now);
    expect(currentId(s)).toBe(single.id);
    // Single choice: the pick is the answer.
    s = pick(s, single, 0);
    expect(s.phase).toBe('revealed');
    expect(verdict(s, single)).toBe('incorrect');
    expect(suggestedGrade(s, single)).toBe(Rating.Again);
    s = rate(s, single, Rating.Again);
    expect(currentId(s)).toBe(multi.id);
    // Multi choice: picks toggle; checking needs at least one.
    expect(reveal(s, multi)).toBe(s);
    s = pick(pick(pick(s, multi, 0), multi, 1), multi, 1);
    expect(s.picked).toEqual([0]);
    s = reveal(s, multi);
    expect(verdict(s, multi)).toBe('partial');
    expect(suggestedGrade(s, multi)).toBe(Rating.Hard);
    s = rate(s, multi, Rating.Hard);
    // Recall: type, reveal, rate.
    s = setText(s, 'A DaemonSet on every node that watches EndpointSlices and writes iptables rules in the kernel');
    s = reveal(s, recall);
    expect(s.phase).toBe('revealed');
    expect(suggestedGrade(s, recall)).toBe(Rating.Good);
    s = rate(s, recall, Rating.Good);
    // The missed single-choice question comes back once.
    expect(currentId(s)).toBe(single.id);
    s = rate(pick(s, single, 1), single, Rating.Again);
    expect(s.phase).toBe('done');
    expect(s.results.map((r) => [r.id, r.grade, r.verdict])).toEqual([
      [single.id, 1, 'incorrect'], [multi.id, 2, 'partial'], [recall.id, 3, undefined], [single.id, 1, 'correct'],
    ]);
  });

  it('suggests by key-point coverage for recall answers', () => {
    const s = startSession([recall.id], 'k', now);
    expect(suggestedGrade(reveal(setText(s, 'iptables'), recall), recall)).toBe(Rating.Again);
    expect(suggestedGrade(reveal(setText(s, 'iptables on every node'), recall), recall)).toBe(Rating.Hard);
    expect(suggestedGrade(reveal(s, recall), recall)).toBe(Rating.Good);
  });

  it('ignores out-of-turn actions', () => {
    const s = startSession([single.id], 'k', now);
    expect(rate(s, single, Rating.Good)).toBe(s);
    expect(pick(s, single, 9)).toBe(s);
    expect(rate(pick(s, single, 1), recall, Rating.Good).phase).toBe('revealed');
  });

  it('survives JSON, and a damaged or stale save is dropped', () => {
    let s = startSession([single.id, recall.id], 'k', now);
    s = setText(rate(pick(s, single, 1), single, Rating.Good), 'half typed');
    expect(parseSession(JSON.parse(JSON.stringify(s)), known)).toEqual(s);
    expect(parseSession({ ...s, ids: ['gone-question'] }, known)).toBeNull();
    expect(parseSession({ ...s, index: 'x' }, known)).toBeNull();
    expect(parseSession('garbage', known)).toBeNull();
  });
});
