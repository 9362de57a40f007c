import { expect, test } from '@playwright/test';
import { builtPages, watchProblems } from './site';

test.describe('every built page', () => {
  for (const path of builtPages()) {
    test(`${path} answers 200 with no console error, failed request or CSP violation`, async ({ page, baseURL }) => {
      const problems = watchProblems(page, baseURL!);
      const res = await page.goto(path);
      expect(res?.status()).toBe(200);
      await page.waitForLoadState('networkidle');
      expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').count()).toBe(1);
      await expect(page.locator('h1')).toHaveCount(1);
      expect(problems).toEqual([]);
    });
  }
});

test('an unknown address gets the 404 page with status 404', async ({ page }) => {
  const res = await page.goto('/no/such/page/');
  expect(res?.status()).toBe(404);
  await expect(page.locator('h1')).toHaveText('No endpoints for this page');
});

test('the CSP admits only our own origin, with no unsafe-eval or unsafe-inline', async ({ page }) => {
  await page.goto('/');
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  expect(csp).toContain("default-src 'self'");
  expect(csp).not.toMatch(/'unsafe-eval'|'unsafe-inline'|https?:\/\/|\*/);
});

test('the CSP really blocks an injected inline script', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.goto('/');
  // A script added by markup (not by hash) must not run.
  await page.evaluate(() => {
    const s = document.createElement('script');
    s.textContent = 'window.__injected = true';
    document.body.append(s);
  });
  expect(await page.evaluate(() => (window as unknown as { __injected?: boolean }).__injected)).toBeUndefined();
  expect(problems.some((p) => p.includes('CSP violation: script-src'))).toBe(true);
});
