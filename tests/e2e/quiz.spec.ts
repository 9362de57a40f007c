import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import type { BankQuestion } from '../../src/quiz/bank';
import { watchProblems } from './site';

// Quiz mode in the browser: a practice session and a mock interview driven by the
// keyboard, reloads in the middle, the progress page (export, import, Anki), axe in both
// themes and screenshots of each state (test-results/screenshots/quiz-*.png).

let bank: Map<string, BankQuestion>;
test.beforeAll(async ({ request }) => {
  const data = (await (await request.get('/quiz/bank.json')).json()) as { questions: BankQuestion[] };
  bank = new Map(data.questions.map((q) => [q.id, q]));
});

const current = async (page: Page) => bank.get((await page.locator('[data-question]').getAttribute('data-question'))!)!;

/** An answer that covers every key point: one match term of each. */
const goodAnswer = (q: BankQuestion) => (q.type === 'recall' ? q.keyPoints.map((k) => k.match[0] ?? k.text).join(', ') : '');

async function axe(page: Page, what: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const bad = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${what}: ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(bad).toEqual([]);
}

async function shoot(page: Page, name: string) {
  for (const [size, width] of [['phone', 390], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: size === 'phone' ? 844 : 800 });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${name} scrolls sideways at ${width}px`).toBeLessThanOrEqual(0);
    await page.screenshot({ path: `test-results/screenshots/quiz-${name}-${size}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

/** Answers the current question rightly, by keyboard only. */
async function answerRightly(page: Page, q: BankQuestion) {
  if (q.type === 'predict' && q.mode === 'choose') {
    await page.keyboard.press(String(q.answer + 1));
  } else if (q.type === 'predict') {
    await expect(page.locator('#practice-value')).toBeFocused();
    await page.keyboard.type(q.truth);
    await page.keyboard.press('Enter');
  } else if (q.type === 'single') {
    await page.keyboard.press(String(q.answer[0]! + 1));
  } else if (q.type === 'multi') {
    for (const i of q.answer) await page.keyboard.press(String(i + 1));
    await page.keyboard.press('Enter');
  } else {
    const box = page.locator('#practice-answer');
    await expect(box).toBeFocused();
    await box.fill(goodAnswer(q));
    await page.keyboard.press('Control+Enter');
  }
  await expect(page.locator('.practice')).toHaveAttribute('data-phase', 'revealed');
}

test('a practice session by keyboard: answer, explanation, rating; a reload resumes mid-way', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.goto('/quiz/');
  await page.getByRole('checkbox', { name: /^Kubernetes basics/ }).check();
  await page.locator('#launch-n').selectOption('5');
  await page.getByRole('button', { name: 'Start practice' }).click();
  await expect(page).toHaveURL(/\/quiz\/practice\/\?topic=kubernetes-basics&n=5$/);
  const seenTypes = new Set<string>();
  for (let i = 1; i <= 5; i++) {
    await expect(page.locator('.practice-bar')).toContainText(`Question ${i} of 5`);
    const q = await current(page);
    seenTypes.add(q.type);
    if (i === 3) {
      // Half-way: type something, reload, and find the same question with the text kept.
      const text = q.type === 'recall' ? 'kept across reloads' : '';
      if (text) await page.locator('#practice-answer').fill(text);
      // The session is saved after the next paint (an effect): reload once it holds this step.
      await expect.poll(() => page.evaluate(() => {
        const s = JSON.parse(localStorage.getItem('clusterpath:quiz:session') ?? '{}') as { ids?: string[]; index?: number; phase?: string; text?: string };
        return [s.ids?.[s.index ?? -1], s.phase, s.text];
      })).toEqual([q.id, 'answer', text]);
      await page.reload();
      await expect(page.locator('.practice-bar')).toContainText('Question 3 of 5');
      expect((await current(page)).id).toBe(q.id);
      if (q.type === 'recall') {
        await expect(page.locator('#practice-answer')).toHaveValue('kept across reloads');
        await page.locator('#practice-answer').fill('');
      }
    }
    await answerRightly(page, q);
    await expect(page.locator('.revealed')).toContainText('Explanation');
    if (q.type === 'recall') {
      await expect(page.locator('.keypoints .covered')).toHaveCount(q.keyPoints.length);
      await expect(page.locator('.answer-text mark').first()).toBeVisible();
      if (!seenTypes.has('recall-shot')) {
        seenTypes.add('recall-shot');
        await axe(page, 'practice, recall revealed');
        await shoot(page, 'practice-recall-revealed');
      }
    } else {
      await expect(page.locator('.verdict')).toHaveText('Correct.');
    }
    // The suggested rating has focus; Enter takes it (Good for a right answer).
    await expect(page.locator('.rate-button.suggested')).toBeFocused();
    await expect(page.locator('.rate-button.suggested')).toHaveAttribute('data-grade', '3');
    if (q.type !== 'recall' && !seenTypes.has('choice-shot')) {
      seenTypes.add('choice-shot');
      await axe(page, 'practice, choice revealed');
      await shoot(page, 'practice-choice-revealed');
    }
    await page.keyboard.press(i % 2 ? 'Enter' : '4');
  }
  await expect(page.locator('[data-summary]')).toContainText('5 answers rated');
  await shoot(page, 'practice-done');
  await page.goto('/progress/');
  await expect(page.locator('[data-rated]')).toContainText('5 of');
  await expect(page.locator('[data-streak]')).toHaveText('1 day');
  expect(problems).toEqual([]);
});

test('Again puts a question back at the end of the session', async ({ page }) => {
  await page.goto('/quiz/practice/?topic=services&level=basic&n=2');
  const first = await current(page);
  if (first.type === 'recall') await page.keyboard.press('Control+Enter');
  else if (first.type === 'predict' && first.mode === 'type') {
    await expect(page.locator('#practice-value')).toBeFocused();
    await page.keyboard.type('not it');
    await page.keyboard.press('Enter');
  } else if (first.type === 'predict') await page.keyboard.press(String(((first.answer + 1) % first.choices.length) + 1));
  else if (first.type === 'single') await page.keyboard.press(String(((first.answer[0]! + 1) % first.choicesHtml.length) + 1));
  else {
    await page.keyboard.press(String(first.answer[0]! + 1));
    await page.keyboard.press('Enter');
  }
  await expect(page.locator('.practice')).toHaveAttribute('data-phase', 'revealed');
  await page.keyboard.press('1');
  await expect(page.locator('.practice-bar')).toContainText('Question 2 of 3');
});

test('predict the output: pick the engine\'s answer, or type a wrong one; the real output shows either way', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  // Choose: the right choice by key, then the verdict, the real output and the explanation.
  await page.goto('/quiz/practice/?q=predict-ipt-first-probability');
  const q = await current(page);
  if (q.type !== 'predict' || q.mode !== 'choose') throw new Error('expected a predict question with choices');
  await expect(page.locator('.scenario')).toContainText('Deployment web');
  await expect(page.locator('.predict-command')).toHaveText('root@worker:~# iptables -t nat -S KUBE-SVC-CDGGSHYLG3RE2FKL');
  await expect(page.locator('.choice')).toHaveCount(q.choices.length);
  await axe(page, 'practice, predict answering');
  await shoot(page, 'practice-predict-choose');
  await page.keyboard.press(String(q.answer + 1));
  await expect(page.locator('.verdict')).toHaveText('Correct.');
  await expect(page.locator('[data-real-output]')).toContainText('--probability 0.33333333349 -j KUBE-SEP-');
  await expect(page.locator('.revealed')).toContainText('32-bit fraction');
  await expect(page.locator('.rate-button.suggested')).toHaveAttribute('data-grade', '3');
  await axe(page, 'practice, predict revealed');
  await shoot(page, 'practice-predict-revealed');
  await page.keyboard.press('Enter');
  await expect(page.locator('[data-summary]')).toContainText('1 answers rated');

  // Type: a wrong value, checked with Enter in the box; the engine's value and output show.
  await page.goto('/quiz/practice/?q=predict-ipt-sep-count');
  const t = await current(page);
  if (t.type !== 'predict' || t.mode !== 'type') throw new Error('expected a typed predict question');
  await expect(page.locator('#practice-value')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('.practice')).toHaveAttribute('data-phase', 'answer');
  await page.keyboard.type('9');
  await page.keyboard.press('Enter');
  await expect(page.locator('.verdict')).toHaveText('Not quite.');
  await expect(page.locator('.predict-answer')).toHaveText(`Your answer: 9 · the engine's: ${t.truth}`);
  await expect(page.locator('[data-real-output]')).toContainText(`iptables-save -t nat | grep -c '^:KUBE-SEP'\n${t.truth}`);
  await expect(page.locator('.rate-button.suggested')).toHaveAttribute('data-grade', '1');
  await axe(page, 'practice, predict typed wrong');
  await shoot(page, 'practice-predict-typed');

  // The question list shows the command, and the real output on demand.
  await page.goto('/quiz/#predict-ipt-sep-count');
  const item = page.locator('#predict-ipt-sep-count');
  await expect(item.locator('.predict-command')).toHaveText("root@worker:~# iptables-save -t nat | grep -c '^:KUBE-SEP'");
  await expect(item.locator('.real-output')).toBeHidden();
  await item.getByText('Show what it prints').click();
  await expect(item.locator('.real-output')).toContainText(`\n${t.truth}`);
  await expect(item).toContainText(`Answer: ${t.truth}`);
  for (const [size, width] of [['phone', 390], ['desktop', 1280]] as const) {
    await page.setViewportSize({ width, height: 844 });
    await item.screenshot({ path: `test-results/screenshots/quiz-list-predict-${size}.png` });
  }
  expect(problems).toEqual([]);
});

test('a single question opens from the question list', async ({ page }) => {
  await page.goto('/quiz/');
  const link = page.locator('article.question').first().getByRole('link', { name: 'Practise this question' });
  const id = await page.locator('article.question').first().getAttribute('id');
  await link.click();
  await expect(page.locator('.practice-bar')).toContainText('Question 1 of 1');
  expect((await current(page)).id).toBe(id);
  await axe(page, 'practice, answering');
});

test('a mock interview: timer, typed answers, a reload mid-way, the report saved to history', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.clock.install();
  await page.goto('/quiz/mock/');
  await page.getByRole('group', { name: 'Questions' }).getByRole('radio', { name: '3' }).check();
  await page.getByRole('group', { name: 'Minutes per question' }).getByRole('radio', { name: '2' }).check();
  await axe(page, 'mock set-up');
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await expect(page.locator('.practice-bar')).toContainText('Question 1 of 3');
  await expect(page.locator('.timer')).toHaveText('2:00');
  const q1 = await current(page);
  await expect(page.locator('#mock-answer')).toBeFocused();
  await page.keyboard.type(goodAnswer(q1));
  // The fake clock also flows on its own, so on a busy machine more than 5 s may pass:
  // the timer must have moved by at least the 5 s we ran.
  const left = async () => {
    const [m, s] = (await page.locator('.timer').textContent())!.split(':').map(Number);
    return m! * 60 + s!;
  };
  const before = await left();
  await page.clock.runFor(5000);
  await expect.poll(left).toBeLessThanOrEqual(before - 5);
  await axe(page, 'mock running');
  await shoot(page, 'mock-running');
  // Reload mid-question: same question, same text, the clock still running.
  await page.reload();
  await expect(page.locator('.practice-bar')).toContainText('Question 1 of 3');
  await expect(page.locator('#mock-answer')).toHaveValue(goodAnswer(q1));
  await page.keyboard.press('Control+Enter');
  await expect(page.locator('.practice-bar')).toContainText('Question 2 of 3');
  // Time runs out on question 2: the interview moves on by itself.
  await page.locator('#mock-answer').fill('I would check the EndpointSlices first.');
  await page.clock.runFor(121_000);
  await expect(page.locator('.practice-bar')).toContainText('Question 3 of 3');
  await page.locator('#mock-answer').fill('no idea');
  await page.getByRole('button', { name: /Finish and see the report/ }).click();
  const report = page.locator('[data-report]');
  await expect(report.locator('.report-item')).toHaveCount(3);
  await expect(report.locator('.report-total')).toContainText(/Total: \d+ of \d+ key points covered/);
  // The first answer named every key point's term: all covered, and highlighted.
  const first = report.locator('.report-item').first();
  await expect(first.locator('.keypoints .missed')).toHaveCount(0);
  await expect(first.locator('mark').first()).toBeVisible();
  await axe(page, 'mock report');
  await shoot(page, 'mock-report');
  await page.goto('/progress/#mock-history');
  await expect(page.locator('.mock-list > li')).toHaveCount(1);
  expect(problems).toEqual([]);
});

test('a mock interview with predict-the-output questions: pick, type, and the real output in the report', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.goto('/quiz/mock/');
  // "Traffic from outside" has two recall and two predict questions: all four are asked.
  await page.getByRole('group', { name: 'Questions' }).getByRole('radio', { name: '5' }).check();
  await page.getByRole('checkbox', { name: /^Traffic from outside/ }).check();
  await page.getByRole('checkbox', { name: /predict-the-output/ }).check();
  await page.getByRole('button', { name: 'Start the interview' }).click();
  await expect(page.locator('.practice-bar')).toContainText('Question 1 of 4');
  const kinds: string[] = [];
  for (let i = 1; i <= 4; i++) {
    await expect(page.locator('.practice-bar')).toContainText(`Question ${i} of 4`);
    const q = await current(page);
    if (q.type === 'predict' && q.mode === 'choose') {
      await expect(page.locator('.scenario')).toBeVisible();
      await page.keyboard.press(String(q.answer + 1));
      await expect(page.locator('.choice[aria-pressed="true"]')).toHaveCount(1);
      await axe(page, 'mock, predict question');
      await shoot(page, 'mock-predict');
    } else if (q.type === 'predict') {
      await expect(page.locator('#mock-value')).toBeFocused();
      await page.keyboard.type(q.truth);
    } else {
      await expect(page.locator('#mock-answer')).toBeFocused();
      await page.keyboard.type(goodAnswer(q));
    }
    kinds.push(q.type === 'predict' ? q.mode : q.type);
    await page.keyboard.press('Control+Enter');
  }
  expect(kinds.sort()).toEqual(['choose', 'recall', 'recall', 'type']);
  const report = page.locator('[data-report]');
  await expect(report.locator('.report-item')).toHaveCount(4);
  await expect(report.locator('.keypoints .missed')).toHaveCount(0);
  await expect(report.getByText('Predicted the output')).toHaveCount(2);
  await expect(report.locator('[data-real-output]')).toHaveCount(2);
  await axe(page, 'mock report with predictions');
  await shoot(page, 'mock-predict-report');
  expect(problems).toEqual([]);
});

test('progress: chart and table, export, a refused import changes nothing, a good import restores, Anki deck', async ({ page }) => {
  // Rate two questions to have something to show.
  await page.goto('/quiz/practice/?topic=dns&n=2');
  for (let i = 0; i < 2; i++) {
    await answerRightly(page, await current(page));
    await page.keyboard.press('3');
  }
  await page.goto('/progress/');
  await expect(page.locator('[data-chart] .bar-row')).toHaveCount(12);
  await expect(page.locator('[data-chart]')).toHaveAttribute('aria-label', /Cluster DNS [1-9]\d*%/);
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    await page.reload();
    await expect(page.locator('[data-rated]')).toContainText('2 of');
    await axe(page, `progress (${scheme})`);
  }
  await shoot(page, 'progress');

  const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-export]').click()]);
  expect(download.suggestedFilename()).toMatch(/^clusterpath-progress-\d{4}-\d{2}-\d{2}\.json$/);
  const exported = readFileSync((await download.path())!, 'utf8');
  expect(JSON.parse(exported)).toMatchObject({ format: 'clusterpath-progress', version: 2 });

  const saved = await page.evaluate(() => localStorage.getItem('clusterpath:quiz'));
  const input = page.locator('[data-import]');
  await input.setInputFiles({ name: 'package.json', mimeType: 'application/json', buffer: Buffer.from('{"name":"x","version":"1.0.0"}') });
  await expect(page.locator('[data-import-message]')).toHaveText(/not a ClusterPath progress export.*Your progress is unchanged/);
  await input.setInputFiles({ name: 'broken.json', mimeType: 'application/json', buffer: Buffer.from(exported.slice(0, 200)) });
  await expect(page.locator('[data-import-message]')).toHaveText(/not a JSON file/);
  expect(await page.evaluate(() => localStorage.getItem('clusterpath:quiz'))).toBe(saved);

  await page.evaluate(() => localStorage.clear());
  await page.reload();
  await expect(page.locator('[data-rated]')).toContainText('0 of');
  await input.setInputFiles({ name: 'p.json', mimeType: 'application/json', buffer: Buffer.from(exported) });
  await expect(page.locator('[data-import-message]')).toContainText('Imported');
  await expect(page.locator('[data-rated]')).toContainText('2 of');

  await page.locator('#anki-topic').selectOption('dns');
  const [deck] = await Promise.all([page.waitForEvent('download'), page.locator('[data-anki]').click()]);
  expect(deck.suggestedFilename()).toBe('clusterpath-dns.txt');
  const text = readFileSync((await deck.path())!, 'utf8');
  expect(text.split('\n').slice(0, 4)).toEqual(['#separator:tab', '#html:true', '#notetype:Basic', '#deck:ClusterPath::Cluster DNS']);
});

test('a corrupt saved state is set aside with a visible notice', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => {
    localStorage.setItem('clusterpath:quiz', '{"version":2,"cards":');
    localStorage.setItem('clusterpath:quiz:session', 'nonsense');
  });
  await page.goto('/quiz/practice/');
  await expect(page.locator('.notice').first()).toContainText('could not be read');
  await expect(page.locator('.practice-bar')).toContainText('Question 1 of');
  expect(await page.evaluate(() => localStorage.getItem('clusterpath:quiz:unreadable'))).toBe('{"version":2,"cards":');
});

// (/quiz/ itself is audited by a11y.spec.ts.)
for (const path of ['/quiz/practice/', '/quiz/mock/', '/progress/']) {
  test(`axe on ${path} in both themes`, async ({ page }) => {
    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await page.waitForLoadState('networkidle');
      await axe(page, `${path} (${scheme})`);
    }
  });
}
