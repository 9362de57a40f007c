import { expect, test, type Page } from '@playwright/test';
import { lessonPages, lessonSources, pageTypes, seriousViolations } from './site';

const types = pageTypes();
const audited = { home: types.home, labs: types.labs, lab: types.lab, quiz: types.quiz } as const;

async function audit(page: Page, path: string, scheme: 'light' | 'dark') {
  await page.emulateMedia({ colorScheme: scheme });
  await page.goto(path);
  await expect(page.locator('html')).toHaveAttribute('data-theme', scheme);
  expect(await seriousViolations(page)).toEqual([]);
}

for (const scheme of ['light', 'dark'] as const) {
  for (const [name, path] of Object.entries(audited)) {
    test(`axe finds no serious or critical violation: ${name} (${scheme})`, async ({ page }) => {
      // The question list renders every question (~8,000 elements): axe's contrast pass on it
      // takes longer than the default 60 s on a busy 2-core runner.
      if (name === 'quiz') test.slow();
      await audit(page, path, scheme);
    });
  }
}

// Every lesson the build produced (not a list that can go stale), in the light theme; the
// themes share the page's markup, so one lesson in the dark theme checks its colours.
const lessons = lessonPages();
test('every lesson source was built into a page', () => {
  expect(lessons).toEqual(lessonSources());
});
for (const path of lessons) {
  test(`axe finds no serious or critical violation: lesson ${path} (light)`, async ({ page }) => {
    await audit(page, path, 'light');
  });
}
test(`axe finds no serious or critical violation: lesson ${types.lesson} (dark)`, async ({ page }) => {
  await audit(page, types.lesson, 'dark');
});

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
