import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { findBlocks } from '../../src/lessons/mdx-blocks';
import { LESSONS, lessonPages, seriousViolations, watchProblems } from './site';

// Live blocks in the built lessons (issue #7): nothing heavy loads until a block is started;
// started, it runs its suggested commands on its own cluster and shows what the lesson quotes.

/** The live blocks of a lesson as its MDX declares them: title, commands, expected quotes. */
function liveBlocks(slug: string) {
  const src = readFileSync(join(LESSONS, `${slug}.mdx`), 'utf8');
  return findBlocks(src)
    .filter((b) => b.kind === 'LiveBlock')
    .map((b) => ({ title: b.props.title as string, commands: b.props.commands as string[], expect: b.props.expect as string[] }));
}

/** What loads the terminal: xterm.js, the Terminal chunk, the lab worker. */
const HEAVY = /\/(Terminal|worker|xterm)[.-][^/]*\.js$/;

async function screen(block: Locator): Promise<string> {
  return block.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

/** Astro drops the island's `ssr` attribute once it has hydrated (then the buttons work). */
async function hydrated(block: Locator): Promise<void> {
  await expect(block.locator('astro-island:not([ssr])')).toHaveCount(1, { timeout: 15_000 });
}

/**
 * Starts the page's `index`-th live block by pressing its suggested commands, as the built page
 * shows them, one after the other; checks each ran and that the terminal shows every line the
 * lesson declares in `expect`.
 */
async function activate(page: Page, slug: string, index: number) {
  const spec = liveBlocks(slug)[index]!;
  const block = page.locator('section.live-block').nth(index);
  await expect(block.locator('.live-title')).toHaveText(spec.title);
  // The island itself: a block taller than the screen can be in view while its buttons are not.
  await block.locator('.live-island').scrollIntoViewIfNeeded();
  await hydrated(block);
  // Hydrated when visible; the first suggested command starts the cluster and runs.
  const buttons = block.locator('button.live-command');
  await expect(buttons).toHaveText(spec.commands);
  for (const [i, command] of spec.commands.entries()) {
    await buttons.nth(i).click();
    await expect(block.locator('.lab-terminal-screen[data-accepting]')).toBeVisible({ timeout: 20_000 });
    // Each command's line appears once it has run (the prompt comes back after it).
    await expect.poll(() => screen(block), { timeout: 20_000 }).toContain('$ ' + command);
  }
  await expect(block.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  for (const quote of spec.expect) await expect.poll(() => screen(block), { message: quote, timeout: 20_000 }).toContain(quote);
  await expect(block).toHaveAttribute('data-live', 'active');
  return block;
}

// Every lesson the build produced, every live block on it: lessons run in parallel across the
// workers, the blocks of a lesson one after the other in one page (one cluster each).
for (const path of lessonPages()) {
  const slug = path.split('/')[2]!;
  const declared = liveBlocks(slug);
  test(`${slug}: no terminal before a start, then each of its ${declared.length} live blocks runs its suggested commands on its own cluster and shows what it expects`, async ({ page, baseURL }) => {
    test.setTimeout(30_000 + 40_000 * declared.length);
    const problems = watchProblems(page, baseURL!);
    const heavy: string[] = [];
    page.on('request', (r) => {
      if (HEAVY.test(new URL(r.url()).pathname)) heavy.push(r.url());
    });
    page.on('worker', (w) => heavy.push(`worker ${w.url()}`));
    await page.goto(path);
    // The page shows the blocks the lesson declares, in order.
    const blocks = page.locator('section.live-block');
    await expect(blocks.locator('.live-title')).toHaveText(declared.map((b) => b.title));
    // Scroll through every block: islands hydrate, but nothing heavy loads.
    for (const block of await blocks.all()) {
      await block.locator('.live-island').scrollIntoViewIfNeeded();
      await hydrated(block);
      await expect(block.locator('button.live-start')).toBeVisible();
    }
    await page.waitForLoadState('networkidle');
    expect(heavy).toEqual([]);
    expect(await page.locator('.xterm').count()).toBe(0);

    for (const index of declared.keys()) {
      await activate(page, slug, index);
      // Its own cluster: one more terminal, the earlier ones still there.
      await expect(page.locator('.lab-terminal')).toHaveCount(index + 1);
    }
    expect(heavy.some((u) => u.startsWith('worker '))).toBe(true);
    expect(problems).toEqual([]);
  });
}

test('an active live block passes axe in both themes and prints its static listing', async ({ page }) => {
  await page.goto('/lessons/iptables-mode/');
  const block = await activate(page, 'iptables-mode', 0);
  await expect(block.locator('.live-static')).toBeHidden();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  // Printed, an active block shows its static listing, not the terminal.
  await page.emulateMedia({ media: 'print' });
  await expect(block.locator('.live-static')).toBeVisible();
  await expect(block.locator('.live-island')).toBeHidden();
});

test('the start button works from the keyboard', async ({ page }) => {
  await page.goto('/lessons/iptables-mode/');
  const block = page.locator('section.live-block').first();
  await block.scrollIntoViewIfNeeded();
  await hydrated(block);
  const start = block.locator('button.live-start');
  await expect(start).toBeVisible();
  await start.focus();
  await page.keyboard.press('Enter');
  await expect(block.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await page.keyboard.type('kubectl get svc web');
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(block), { timeout: 20_000 }).toMatch(/^web\s+ClusterIP\s+10\.96\.142\.37/m);
});

for (const slug of ['iptables-mode', 'cluster-dns', 'networkpolicy-basics']) {
  for (const size of [
    { name: 'desktop', width: 1280, height: 800 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    test(`screenshot ${slug} with a live block active at ${size.width}px`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.goto(`/lessons/${slug}/`);
      // Before a start: the static listing the engine printed at build time.
      const idle = page.locator('section.live-block').first();
      await idle.scrollIntoViewIfNeeded();
      await expect(idle.locator('button.live-start')).toBeVisible();
      await idle.screenshot({ path: `test-results/screenshots/lesson-live-${slug}-${size.name}-idle.png` });
      const block = await activate(page, slug, 0);
      // Nothing wider than the screen.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow).toBeLessThanOrEqual(0);
      await block.screenshot({ path: `test-results/screenshots/lesson-live-${slug}-${size.name}.png` });
      await page.screenshot({ path: `test-results/screenshots/lesson-live-${slug}-${size.name}-viewport.png` });
      // Printed: the listing, not the terminal.
      await page.emulateMedia({ media: 'print' });
      await block.screenshot({ path: `test-results/screenshots/lesson-live-${slug}-${size.name}-print.png` });
    });
  }
}
