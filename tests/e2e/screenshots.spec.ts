import { expect, test } from '@playwright/test';
import { builtPages, pageTypes } from './site';

// Full-page screenshots of each page type at phone and desktop width, in both themes,
// for people to look at (test-results/screenshots/). Layout checks run on each.
const sizes = [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
];

for (const size of sizes) {
  for (const [name, path] of Object.entries(pageTypes())) {
    test(`screenshot ${name} at ${size.width}px`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await page.goto(path);
        await page.waitForLoadState('networkidle');
        // Nothing wider than the viewport: no sideways scrolling of the page itself.
        const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        expect(overflow, `${path} scrolls sideways at ${size.width}px`).toBeLessThanOrEqual(0);
        await page.screenshot({ path: `test-results/screenshots/${name}-${size.name}-${scheme}.png`, fullPage: true });
      }
    });
  }
}

test('no page scrolls sideways at the narrowest supported width, 360 px', async ({ page }) => {
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of builtPages()) {
    await page.goto(path);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow, `${path} scrolls sideways at 360px`).toBeLessThanOrEqual(0);
  }
});
