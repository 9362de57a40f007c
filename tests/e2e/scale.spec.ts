// The scale explorer (/scale): a real sweep in the engine workers (one per core, up to three),
// charts, tables, CSV, axe, keyboard, cancel; screenshots (desktop + phone) under test-results/scale/.
import { readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page, type Worker } from '@playwright/test';

const SHOTS = 'test-results/scale';
// Expected CSV header: the columns of src/components/scale/csv.ts, in order.
const HEADER = 'mode,services,endpoints,programmed,iptablesRules,ipvsVirtualServers,ipvsRealServers,ipsetEntries,nftRules,nftElements,syncMs,applyMs,traversedMean,traversedMax,textBytes,reached';
const EPS = 3;

/** Open /scale/ and wait for the island to hydrate (Astro drops `ssr` then): input before that is lost. */
async function open(page: Page): Promise<void> {
  await page.goto('/scale/');
  await expect(page.locator('astro-island[ssr]')).toHaveCount(0);
}

/** Run 10–1,000 Services with EPS endpoints, by keyboard (Enter in the endpoints field submits). */
async function sweep(page: Page): Promise<void> {
  await open(page);
  await page.selectOption('#scale-from', '10');
  await page.selectOption('#scale-to', '1000');
  await page.locator('#scale-eps').fill(String(EPS));
  await page.locator('#scale-eps').press('Enter');
  await expect(page.getByRole('status')).toContainText(/Measuring|Starting/);
  await expect(page.getByRole('status')).toContainText('Done: 15 measurements', { timeout: 240_000 });
}

/** A table's cells as numbers: rows of [services, iptables, IPVS, nftables]. */
async function table(page: Page, id: string): Promise<number[][]> {
  // textContent, not innerText: the table may sit in a closed <details>.
  const rows = await page.locator(`table[data-table="${id}"] tbody tr`).evaluateAll((trs) =>
    trs.map((tr) => [...tr.children].map((c) => c.textContent ?? '')));
  return rows.map((r) => r.map((c) => Number(c.replace(/,/g, ''))));
}

test.describe.configure({ mode: 'serial' });
test.setTimeout(300_000);

/** The page's workers as they start, each with a promise of its end (terminated or closed). */
function watchWorkers(page: Page): { worker: Worker; closed: Promise<unknown> }[] {
  const seen: { worker: Worker; closed: Promise<unknown> }[] = [];
  page.on('worker', (worker) => seen.push({ worker, closed: new Promise((r) => worker.on('close', r)) }));
  return seen;
}

/** One worker per core, at most one per mode (src/components/scale/pool.ts). */
async function poolSize(page: Page): Promise<number> {
  return Math.max(1, Math.min(3, await page.evaluate(() => navigator.hardwareConcurrency)));
}

test('a 10–1,000 sweep draws four charts, fills the tables and exports CSV', async ({ page }) => {
  const workers = watchWorkers(page);
  await sweep(page);
  // The steps ran side by side on the pool's workers, and every worker is gone once done.
  expect(workers).toHaveLength(await poolSize(page));
  await Promise.all(workers.map((w) => w.closed));
  await expect(page.getByRole('status')).toContainText(workers.length === 1 ? 'one engine worker' : `${workers.length} engine workers side by side`);
  await expect(page.locator('.scale-chart canvas')).toHaveCount(4);
  await expect(page.locator('.scale-chart .u-legend').first()).toContainText('nftables');

  const programmed = await table(page, 'programmed');
  expect(programmed.map((r) => r[0])).toEqual([10, 30, 100, 300, 1000]);
  // kube-proxy's iptables ruleset: 2 + 3E rules per ClusterIP Service (see src/engine/scale.test.ts).
  expect(programmed[1]![1]! - programmed[0]![1]!).toBe(20 * (2 + 3 * EPS));
  // IPVS: one virtual server + E real servers per Service, plus ipset entries: more than 1 + E per Service.
  expect(programmed[4]![2]! - programmed[3]![2]!).toBeGreaterThan(700 * (1 + EPS));

  await page.getByText('Data table: rules a new connection walks').click();
  const walked = await table(page, 'traversed');
  const [first, last] = [walked[0]!, walked[walked.length - 1]!];
  expect(last[1]!).toBeGreaterThan(first[1]! * 10); // iptables: linear in Services
  expect(last[3]).toBe(first[3]); // nftables: one verdict-map lookup at any size
  expect(last[2]).toBe(first[2]); // IPVS: the same few rules, then a hash lookup
  await expect(page.locator('.scale .hint.error')).toHaveCount(0); // every probe reached an endpoint

  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
  expect(download.suggestedFilename()).toBe('clusterpath-scale.csv');
  const lines = readFileSync((await download.path())!, 'utf8').trimEnd().split('\r\n');
  expect(lines[0]).toBe(HEADER);
  expect(lines).toHaveLength(16);
  const rows = lines.slice(1).map((l) => l.split(','));
  expect(rows.every((r) => r.length === 16 && r[15] === 'true')).toBe(true);
  expect(rows.map((r) => `${r[0]}@${r[1]}`).slice(0, 3)).toEqual(['iptables@10', 'ipvs@10', 'nftables@10']);
  expect(rows.find((r) => r[0] === 'iptables' && r[1] === '30')![4]).toBe(String(programmed[1]![1]));

  await page.screenshot({ path: `${SHOTS}/desktop-light.png`, fullPage: true });
  // The theme toggle redraws the charts in the dark palette.
  await page.getByRole('button', { name: 'Dark theme' }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('.scale-chart canvas')).toHaveCount(4);
  await page.screenshot({ path: `${SHOTS}/desktop-dark.png`, fullPage: true });
});

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no serious or critical violation after a run (${scheme}), phone screenshot`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 390, height: 844 });
    await open(page);
    await page.selectOption('#scale-from', '10');
    await page.selectOption('#scale-to', '100');
    await page.locator('#scale-eps').fill('2');
    await page.getByRole('button', { name: 'Run' }).click();
    await expect(page.getByRole('status')).toContainText('Done: 9 measurements', { timeout: 120_000 });
    for (const s of await page.locator('.scale summary').all()) await s.click();
    const results = await new AxeBuilder({ page }).analyze();
    const bad = results.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
    expect(bad).toEqual([]);
    await page.screenshot({ path: `${SHOTS}/phone-${scheme}.png`, fullPage: true });
    await page.locator('.scale-figure').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/phone-${scheme}-chart.png` });
  });
}

test('bad input is refused with a message; Cancel stops every worker of a long run and keeps what was measured', async ({ page }) => {
  const workers = watchWorkers(page);
  await open(page);
  await page.locator('#scale-eps').fill('50');
  await expect(page.locator('#scale-eps-help')).toContainText('whole number from 1 to 20');
  await expect(page.getByRole('button', { name: 'Run' })).toBeDisabled();
  await page.locator('#scale-eps').fill('1');
  await page.selectOption('#scale-from', '10');
  await page.selectOption('#scale-to', '10000');
  await page.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('table[data-table="programmed"] tbody tr')).not.toContainText(['No data yet.'], { timeout: 60_000 });
  await expect(page.getByRole('status')).toContainText(/Measuring .* Services \(\d+ of 21 done\)/);
  expect(workers).toHaveLength(await poolSize(page));
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByRole('status')).toContainText('Cancelled; kept the');
  // Every worker is terminated, not left computing the 10,000-Service steps.
  await Promise.all(workers.map((w) => w.closed));
  const kept = Number(/kept the (\d+) measurement/.exec((await page.getByRole('status').textContent()) ?? '')?.[1]);
  expect(kept).toBeGreaterThan(0);
  expect(kept).toBeLessThan(21);
  await expect(page.getByRole('button', { name: 'Run' })).toBeEnabled();
  await expect(page.getByRole('button', { name: 'Export CSV' })).toBeEnabled();
});

test('the header links to the scale explorer', async ({ page }) => {
  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Scale' }).click();
  await expect(page).toHaveURL(/\/scale\/$/);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Scale explorer');
});
