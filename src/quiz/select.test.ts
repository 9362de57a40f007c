import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { dueIds, parseRequest, requestKey, selectQuestions } from './select';
import { dueCounts, streak, topicStats } from './stats';
import { emptyState, markForReview, recordReview } from './state';
import { bank, multi, recall, single } from './fixtures.test-helpers';

const now = new Date(2026, 2, 10, 12).getTime();
const DAY = 86_400_000;

describe('choosing questions', () => {
  it('reads practice URLs', () => {
    expect(parseRequest('?due=1')).toEqual({ mode: 'due', topics: [], levels: [], count: 10 });
    expect(parseRequest('?topic=dns&topic=nope&level=basic&n=5')).toEqual({ mode: 'topic', topics: ['dns'], levels: ['basic'], count: 5 });
    expect(parseRequest('?q=kp-what')).toMatchObject({ mode: 'one', id: 'kp-what' });
    expect(parseRequest('')).toBeNull();
    expect(requestKey(parseRequest('?topic=dns&topic=services')!)).toBe(requestKey(parseRequest('?topic=services&topic=dns')!));
  });

  it('due today: rated cards due before midnight and lab flags, earliest first', () => {
    let st = recordReview(emptyState(), single.id, Rating.Again, now - 3600_000); // due in minutes
    st = recordReview(st, recall.id, Rating.Easy, now); // due in days
    expect(dueIds(bank, st, now)).toEqual([single.id]);
    st = markForReview(st, [multi.id], now - 7200_000);
    expect(dueIds(bank, st, now)).toEqual([multi.id, single.id]);
    expect(selectQuestions(bank, st, { mode: 'due', topics: [], levels: [], count: 1 }, now)).toEqual([multi.id]);
  });

  it('a topic session asks what is due, then new questions basic first, then the rest', () => {
    const st = recordReview(recordReview(emptyState(), single.id, Rating.Easy, now), recall.id, Rating.Again, now);
    expect(selectQuestions(bank, st, { mode: 'topic', topics: [], levels: [], count: 10 }, now + 3600_000)).toEqual([recall.id, multi.id, single.id]);
    expect(selectQuestions(bank, st, { mode: 'topic', topics: ['dns'], levels: [], count: 10 }, now)).toEqual([multi.id]);
    expect(selectQuestions(bank, st, { mode: 'topic', topics: [], levels: ['basic'], count: 10 }, now)).toEqual([recall.id, single.id]);
  });
});

describe('progress numbers', () => {
  it('mastery per topic is average recall probability, unseen counting 0', () => {
    const st = recordReview(emptyState(), single.id, Rating.Easy, now);
    const stats = topicStats(bank, st, now + DAY);
    const svc = stats.find((t) => t.topic === 'services')!;
    expect(svc).toMatchObject({ label: 'Services', total: 1, seen: 1, dueToday: 0 });
    expect(svc.mastery).toBeGreaterThan(90);
    expect(stats.find((t) => t.topic === 'dns')!.mastery).toBe(0);
  });

  it('due counts', () => {
    const st = recordReview(recordReview(emptyState(), single.id, Rating.Again, now), recall.id, Rating.Easy, now);
    expect(dueCounts(bank, st, now + 3600_000)).toEqual({ now: 1, today: 1, tomorrow: 0, fresh: 1 });
  });

  it('a streak counts days in a row, alive until today ends', () => {
    const key = (d: number) => { const x = new Date(now - d * DAY); return `${x.getFullYear()}-${String(x.getMonth() + 1).padStart(2, '0')}-${String(x.getDate()).padStart(2, '0')}`; };
    expect(streak({}, now)).toEqual({ days: 0, today: false });
    expect(streak({ [key(0)]: 3, [key(1)]: 1, [key(2)]: 2, [key(4)]: 1 }, now)).toEqual({ days: 3, today: true });
    expect(streak({ [key(1)]: 1, [key(2)]: 2 }, now)).toEqual({ days: 2, today: false });
    expect(streak({ [key(2)]: 2 }, now)).toEqual({ days: 0, today: false });
  });
});
