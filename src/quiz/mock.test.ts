import { describe, expect, it } from 'vitest';
import { catchUp, chooseMockQuestions, nextQuestion, parseMock, remaining, scoreMock, setAnswer, startMock } from './mock';
import { bank, predictChoose, predictType, recall } from './fixtures.test-helpers';
import type { RecallQuestion } from './bank';

const now = Date.UTC(2026, 2, 10, 12);
const second: RecallQuestion = { ...recall, id: 'kp-modes', prompt: undefined, promptText: 'Modes?', keyPoints: [{ text: 'IPVS', match: ['ipvs'] }, { text: 'nftables', match: ['nftables'] }] } as RecallQuestion;
const withTwo = [...bank, second];
const config = { count: 2, secondsPerQuestion: 60, topics: [] };

describe('mock interview', () => {
  it('asks only recall questions from the chosen topics', () => {
    expect(chooseMockQuestions(withTwo, config, () => 0).sort()).toEqual(['kp-modes', 'kp-what']);
    expect(chooseMockQuestions(withTwo, { ...config, topics: ['dns'] }, () => 0)).toEqual([]);
  });

  it('asks predict questions only when asked to, and scores a prediction as one key point', () => {
    const all = [...withTwo, predictChoose, predictType];
    expect(chooseMockQuestions(all, { ...config, count: 9 }, () => 0)).not.toContain(predictChoose.id);
    expect(chooseMockQuestions(all, { ...config, count: 9, predict: true }, () => 0).sort()).toEqual(['kp-modes', 'kp-what', 'svc-first-probability', 'svc-sep-count']);
    let s = startMock([predictChoose.id, predictType.id], { ...config, predict: true }, now);
    s = nextQuestion(setAnswer(s, '1'), now + 1000);
    s = nextQuestion(setAnswer(s, ' 4 '), now + 2000);
    const report = scoreMock(s, all, now + 2000);
    expect(report.items.map((i) => i.points)).toEqual([[{ text: 'Predicted the output', covered: true }], [{ text: 'Predicted the output', covered: false }]]);
    expect([report.covered, report.total]).toEqual([1, 2]);
  });

  it('times each question, scores key points and totals them', () => {
    let s = startMock([recall.id, second.id], config, now);
    expect(remaining(s, now + 15_500)).toBe(45);
    s = setAnswer(s, 'a daemonset on every node programming iptables');
    s = nextQuestion(s, now + 20_000);
    expect(s.index).toBe(1);
    expect(remaining(s, now + 20_000)).toBe(60);
    s = setAnswer(s, 'IPVS mode');
    // Time runs out on the last question.
    s = catchUp(s, now + 200_000);
    expect(s.done).toBe(true);
    expect(s.spent).toEqual([20, 60]);
    const report = scoreMock(s, withTwo, now + 200_000);
    expect(report.items.map((i) => i.points.map((p) => p.covered))).toEqual([[true, false, true, false], [true, false]]);
    expect([report.covered, report.total]).toEqual([3, 6]);
  });

  it('after a long absence, questions whose time ran out are skipped, each starting when the last ended', () => {
    let s = startMock([recall.id, second.id], config, now);
    s = catchUp(s, now + 90_000);
    expect(s.index).toBe(1);
    expect(remaining(s, now + 90_000)).toBe(30);
  });

  it('survives JSON; a damaged save is dropped', () => {
    const s = setAnswer(startMock([recall.id, second.id], config, now), 'typed');
    const known = new Set(withTwo.map((q) => q.id));
    expect(parseMock(JSON.parse(JSON.stringify(s)), known)).toEqual({ ...s, config: { ...s.config, predict: false } });
    expect(parseMock({ ...s, shownAt: [] }, known)).toBeNull();
    expect(parseMock(null, known)).toBeNull();
  });
});
