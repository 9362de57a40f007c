import AxeBuilder from '@axe-core/playwright';
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { findBlocks } from '../../src/lessons/mdx-blocks';
import { watchProblems } from './site';

// Live blocks in the built lessons (issue #7): nothing heavy loads until a block is started;
// started, it runs its suggested commands on its own cluster and shows what the lesson quotes.

/** The live blocks of a lesson as its MDX declares them: title, commands, expected quotes. */
function liveBlocks(slug: string) {
  const src = readFileSync(new URL(`../../content/lessons/${slug}.mdx`, import.meta.url), 'utf8');
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

async function activate(page: Page, slug: string, index: number) {
  const spec = liveBlocks(slug)[index]!;
  const block = page.locator('section.live-block').filter({ has: page.getByRole('heading', { name: spec.title }) });
  await block.scrollIntoViewIfNeeded();
  await hydrated(block);
  // Hydrated when visible; the first suggested command starts the cluster and runs.
  const buttons = block.locator('button.live-command');
  await expect(buttons).toHaveCount(spec.commands.length);
  for (const [i, command] of spec.commands.entries()) {
    await expect(buttons.nth(i)).toHaveText(command);
    await buttons.nth(i).click();
    await expect(block.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
    // Each command's line appears once it has run (the prompt comes back after it).
    await expect.poll(() => screen(block), { timeout: 20_000 }).toContain('$ ' + command);
  }
  await expect(block.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  for (const quote of spec.expect) await expect.poll(() => screen(block), { timeout: 20_000 }).toContain(quote);
  await expect(block).toHaveAttribute('data-live', 'active');
  return block;
}

for (const slug of ['iptables-mode', 'cluster-dns']) {
  test(`${slug}: no terminal before a start, then every suggested command of a live block prints what the lesson quotes`, async ({ page, baseURL }) => {
    const problems = watchProblems(page, baseURL!);
    const heavy: string[] = [];
    page.on('request', (r) => {
      if (HEAVY.test(new URL(r.url()).pathname)) heavy.push(r.url());
    });
    page.on('worker', (w) => heavy.push(`worker ${w.url()}`));
    await page.goto(`/lessons/${slug}/`);
    // Scroll through every block: islands hydrate, but nothing heavy loads.
    for (const block of await page.locator('section.live-block').all()) {
      await block.scrollIntoViewIfNeeded();
      await expect(block.locator('button.live-start')).toBeVisible();
    }
    await page.waitForLoadState('networkidle');
    expect(heavy).toEqual([]);
    expect(await page.locator('.xterm').count()).toBe(0);

    const block = await activate(page, slug, 0);
    expect(heavy.some((u) => u.startsWith('worker '))).toBe(true);
    // The other blocks have not started clusters of their own.
    await expect(page.locator('.lab-terminal')).toHaveCount(1);
    await expect(block.locator('.live-static')).toBeHidden();

    for (const scheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme: scheme });
      const results = await new AxeBuilder({ page }).analyze();
      const bad = results.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
      expect(bad).toEqual([]);
    }
    // Printed, an active block shows its static listing, not the terminal.
    await page.emulateMedia({ media: 'print' });
    await expect(block.locator('.live-static')).toBeVisible();
    await expect(block.locator('.live-island')).toBeHidden();
    await page.emulateMedia({ media: 'screen' });
    expect(problems).toEqual([]);
  });
}

test('a second block on the page starts its own cluster', async ({ page }) => {
  await page.goto('/lessons/iptables-mode/');
  await activate(page, 'iptables-mode', 0);
  const second = await activate(page, 'iptables-mode', 1);
  await expect(page.locator('.lab-terminal')).toHaveCount(2);
  // Its own cluster: the NodePort patch ran there, on a fresh copy of the scenario.
  expect(await screen(second)).toContain('service/web patched');
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
