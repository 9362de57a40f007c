import { readFileSync } from 'node:fs';
import { expect, test } from '@playwright/test';
import { pageTypes } from './site';

const types = pageTypes();

test('the theme toggle flips the theme and the choice survives a reload', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/lessons/');
  const html = page.locator('html');
  await expect(html).toHaveAttribute('data-theme', 'light');
  const toggle = page.locator('[data-theme-toggle]');
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(bg).toBe('rgb(15, 19, 25)');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.goto('/');
  await expect(html).toHaveAttribute('data-theme', 'dark');
});

test('without a stored choice the theme follows the system', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
});

/** A long, distinctive word from the sample lesson's body (not its front matter). */
function wordFromLesson(slug: string): string {
  const body = readFileSync(new URL(`../../content/lessons/${slug}.mdx`, import.meta.url), 'utf8').split(/^---$/m)[2]!;
  const prose = body.replace(/```[\s\S]*?```/g, ' ').replace(/`[^`]*`/g, ' ');
  const words = prose.match(/\b[a-z]{9,}\b/g) ?? [];
  if (words.length === 0) throw new Error('lesson has no long word to search for');
  return words[Math.floor(words.length / 2)]!;
}

test('search finds the sample lesson by a word from its body', async ({ page }) => {
  const slug = types.lesson.split('/')[2]!;
  const word = wordFromLesson(slug);
  await page.goto('/');
  await page.locator('#site-search').fill(word);
  await page.locator('#site-search').press('Enter');
  await expect(page).toHaveURL(new RegExp(`/search/\\?q=${word}`));
  await expect(page.locator(`[data-search-results] a[href^="/lessons/${slug}/"]`).first()).toBeVisible();
  await expect(page.locator('[data-search-results] mark').first()).toBeVisible();
});

test('search lists matching quiz questions one by one, linking to each', async ({ page }) => {
  await page.goto('/search/?q=probability');
  const question = page.locator('[data-search-results] li', { hasText: 'Question' }).first();
  await expect(question).toBeVisible();
  const href = await question.locator('a').getAttribute('href');
  expect(href).toMatch(/^\/quiz\/#[a-z0-9-]+-title$/);
});

test('search says so when nothing matches', async ({ page }) => {
  // Pagefind matches loosely (a random word can hit a pod-name suffix in a listing): this one hits nothing today.
  await page.goto('/search/?q=xqzjvwkq');
  await expect(page.locator('[data-search-status]')).toHaveText('No results for “xqzjvwkq”.');
});

test('code blocks get a working copy button', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(types.lesson);
  const block = page.locator('.code-block').first();
  const button = block.locator('.copy-button');
  await button.click();
  await expect(button).toHaveText('Copied');
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied.length).toBeGreaterThan(5);
  expect((await block.locator('pre').innerText()).startsWith(copied.slice(0, 20))).toBe(true);
});

test('a lesson page has its table of contents, reading time and previous/next links', async ({ page }) => {
  await page.goto(types.lesson);
  const toc = page.locator('.toc a');
  expect(await toc.count()).toBeGreaterThan(2);
  const first = await toc.first().getAttribute('href');
  await expect(page.locator(first!)).toHaveCount(1);
  await expect(page.locator('.lesson-head')).toContainText(/\d+ min read/);
  expect(await page.locator('.pager a').count()).toBeGreaterThan(0);
});

test('marking a lesson done shows on the progress page', async ({ page }) => {
  await page.goto(types.lesson);
  await page.locator('[data-lesson-done]').click();
  await expect(page.locator('[data-lesson-done]')).toHaveAttribute('aria-pressed', 'true');
  await page.goto('/progress/');
  await expect(page.locator('[data-done-count]')).toContainText('(1 of');
  await page.locator('[data-reset]').click();
  await expect(page.locator('[data-done-count]')).toContainText('(0 of');
});

test('a corrupt saved progress value is ignored, not fatal', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(() => localStorage.setItem('clusterpath:lessons-done', '{not json'));
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto('/progress/');
  await expect(page.locator('[data-done-count]')).toContainText('(0 of');
  expect(errors).toEqual([]);
});

test('a choice question checks the answer and reveals the explanation', async ({ page }) => {
  await page.goto('/quiz/');
  const form = page.locator('form[data-answer]').first();
  const answer = JSON.parse((await form.getAttribute('data-answer'))!) as number | number[];
  const right = typeof answer === 'number' ? [answer] : answer;
  await form.locator('[type=submit]').click();
  await expect(form.locator('[data-feedback]')).toHaveText('Pick an answer first.');
  for (const i of right) await form.locator(`input[value="${i}"]`).check();
  await form.locator('[type=submit]').click();
  await expect(form.locator('[data-feedback]')).toHaveText('Correct.');
  await expect(form.locator('[data-explanation]')).toBeVisible();
});
