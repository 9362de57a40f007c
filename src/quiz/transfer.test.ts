import { describe, expect, it } from 'vitest';
import { Rating } from 'ts-fsrs';
import { exportProgress, parseImport } from './transfer';
import { addMockReport, emptyState, recordReview } from './state';

const now = Date.UTC(2026, 2, 10, 12);

function sample() {
  let quiz = recordReview(emptyState(), 'svc-nodeport', Rating.Good, now);
  quiz = recordReview(quiz, 'kp-what', Rating.Again, now + 1000);
  quiz = addMockReport(quiz, {
    at: now + 5000, secondsPerQuestion: 180, topics: ['services'], covered: 1, total: 2,
    items: [{ id: 'kp-what', prompt: 'What is kube-proxy?', answer: 'a "daemon"\twith\nlines', points: [{ text: 'a', covered: true }, { text: 'b', covered: false }], seconds: 42 }],
  });
  return { quiz, lessonsDone: ['what-is-a-service', 'dns-basics'] };
}

describe('export and import of all progress', () => {
  it('round-trips', () => {
    const p = sample();
    const file = exportProgress(p, now);
    expect(JSON.parse(file)).toMatchObject({ format: 'clusterpath-progress', version: 2, exportedAt: '2026-03-10T12:00:00.000Z' });
    const back = parseImport(file);
    expect(back).toEqual({ ok: true, progress: { quiz: p.quiz, lessonsDone: ['dns-basics', 'what-is-a-service'] } });
  });

  it('imports an older (version 1) export by migrating it', () => {
    const file = JSON.stringify({
      format: 'clusterpath-progress', version: 1,
      quiz: { cards: { 'kp-what': { due: '2026-03-11T00:00:00Z', stability: 1, difficulty: 5, reps: 1, lapses: 0, state: 'Review', lastReview: '2026-03-10T00:00:00Z' } } },
      lessonsDone: [],
    });
    const r = parseImport(file);
    expect(r.ok).toBe(true);
    if (r.ok) expect(r.progress.quiz.cards['kp-what']!.scheduledDays).toBe(1);
  });

  const refused: [string, string, RegExp][] = [
    ['not JSON', 'hello', /not a JSON file/],
    ['a foreign JSON file', '{"name":"my-app","version":"1.0.0"}', /not a ClusterPath progress export/],
    ['a JSON list', '[1,2]', /not a ClusterPath progress export/],
    ['no version', '{"format":"clusterpath-progress"}', /no format version/],
    ['a newer format', '{"format":"clusterpath-progress","version":7,"quiz":{}}', /newer ClusterPath \(format 7\)/],
    ['a damaged card', JSON.stringify({ format: 'clusterpath-progress', version: 2, quiz: { cards: { 'kp-what': { due: 1 } }, days: {}, flagged: {}, mocks: [] } }), /cards\["kp-what"\]\.due/],
    ['a bad question id', JSON.stringify({ format: 'clusterpath-progress', version: 2, quiz: { cards: { 'Bad Id': {} }, days: {}, flagged: {}, mocks: [] } }), /expected a question id/],
    ['bad lessons', JSON.stringify({ format: 'clusterpath-progress', version: 2, quiz: emptyState(), lessonsDone: [3] }), /lessonsDone\[0\]/],
    ['a missing quiz part', '{"format":"clusterpath-progress","version":2}', /expected an object/],
  ];
  for (const [what, text, why] of refused) {
    it(`refuses ${what}, saying why and that nothing changed`, () => {
      const r = parseImport(text);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.message).toMatch(why);
        expect(r.message).toMatch(/^This file was not imported: .*Your progress is unchanged\.$/s);
      }
    });
  }

  it('refuses a huge file without parsing it', () => {
    const r = parseImport(' '.repeat(6_000_000));
    expect(r.ok).toBe(false);
  });
});
