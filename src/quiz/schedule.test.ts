import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { formatInterval, GRADES, preview, retrievability, review } from './schedule';

const DAY = 86_400_000;
const t0 = Date.UTC(2026, 0, 5, 9);

describe('FSRS scheduling', () => {
  it('a new card comes back sooner the harder it was: Again < Hard < Good < Easy', () => {
    const due = GRADES.map((g) => review(undefined, g, t0).due - t0);
    expect(due[0]).toBeLessThan(due[1]!);
    expect(due[1]).toBeLessThan(due[2]!);
    expect(due[2]).toBeLessThan(due[3]!);
    // Again, Hard and Good stay in the short learning steps (minutes); Easy graduates to days.
    expect(due[0]).toBeLessThan(10 * 60_000);
    expect(due[3]).toBeGreaterThanOrEqual(DAY);
    expect(review(undefined, Rating.Easy, t0).state).toBe(2);
    expect(review(undefined, Rating.Again, t0).state).toBe(1);
  });

  it('preview matches what review then does', () => {
    const p = preview(undefined, t0);
    for (const g of GRADES) expect(review(undefined, g, t0).due - t0).toBe(p[g]);
  });

  it('successive Good ratings on time lengthen the interval', () => {
    let card = review(undefined, Rating.Good, t0);
    const gaps: number[] = [];
    for (let i = 0; i < 5; i++) {
      const now = card.due;
      card = review(card, Rating.Good, now);
      gaps.push(card.due - now);
    }
    for (let i = 1; i < gaps.length; i++) expect(gaps[i]).toBeGreaterThan(gaps[i - 1]!);
    expect(gaps.at(-1)!).toBeGreaterThan(10 * DAY);
  });

  it('Again on a learned card is a lapse: relearning, a short interval, lower stability', () => {
    let card = review(undefined, Rating.Easy, t0);
    card = review(card, Rating.Good, card.due);
    const before = card;
    const lapsed = review(card, Rating.Again, card.due);
    expect(lapsed.state).toBe(3);
    expect(lapsed.lapses).toBe(before.lapses + 1);
    expect(lapsed.stability).toBeLessThan(before.stability);
    expect(lapsed.due - before.due).toBeLessThan(DAY);
  });

  it('retrievability is 0 for an unseen card and falls as time passes', () => {
    expect(retrievability(undefined, t0)).toBe(0);
    const card = review(undefined, Rating.Easy, t0);
    const soon = retrievability(card, t0 + DAY);
    const late = retrievability(card, t0 + 60 * DAY);
    expect(soon).toBeGreaterThan(0.9);
    expect(late).toBeLessThan(soon);
  });

  it('formats intervals for buttons', () => {
    expect([60_000, 10 * 60_000, 3 * 3600_000, 2 * DAY, 90 * DAY, 400 * DAY].map(formatInterval)).toEqual(['1 min', '10 min', '3 h', '2 d', '3 mo', '1.1 y']);
  });
});
