import AxeBuilder from '@axe-core/playwright';
import { expect, test } from '@playwright/test';
import { pageTypes } from './site';

const types = pageTypes();
const audited = { home: types.home, lesson: types.lesson, labs: types.labs, lab: types.lab, quiz: types.quiz } as const;

for (const scheme of ['light', 'dark'] as const) {
  for (const [name, path] of Object.entries(audited)) {
    test(`axe finds no serious or critical violation: ${name} (${scheme})`, async ({ page }) => {
      // The question list renders every question (~8,000 elements): axe's contrast pass on it
      // takes longer than the default 60 s on a busy 2-core runner.
      if (name === 'quiz') test.slow();
      await page.emulateMedia({ colorScheme: scheme });
      await page.goto(path);
      await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(bad).toEqual([]);
    });
  }
}

test('keyboard: the first Tab shows the skip link and it moves focus to the content', async ({ page }) => {
  await page.goto(types.lesson);
  await page.keyboard.press('Tab');
  const skip = page.locator('.skip-link');
  await expect(skip).toBeFocused();
  const box = await skip.boundingBox();
  expect(box && box.y >= 0).toBe(true);
  await page.keyboard.press('Enter');
  await expect(page.locator('#main')).toBeFocused();
});

test('keyboard: focus is visible on links', async ({ page }) => {
  await page.goto('/');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement!).outlineStyle);
  expect(outline).toBe('solid');
});
