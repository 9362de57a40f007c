import { expect, test, type Page } from '@playwright/test';
import { seriousViolations, watchProblems } from './site';

// The lab terminal in the built site: xterm.js on the page, the cluster in a Web Worker.
// The lab whose objects (Deployment and Service `web`, Pod `client`) these tests use.
const LAB = '/labs/kube-proxy-first-look/';

/** The terminal's buffer as text, wrapped rows joined (the island exposes it on its element). */
async function screen(page: Page): Promise<string> {
  return page.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

/** The last non-empty row (where the prompt and the line being typed are). */
async function lastLine(page: Page): Promise<string> {
  const rows = (await screen(page)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

async function openLab(page: Page): Promise<void> {
  await page.goto(LAB);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await page.locator('.lab-terminal-screen').click();
}

async function waitReady(page: Page): Promise<void> {
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
}

async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

test('the terminal takes keys at once and runs kubectl against the lab cluster', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.goto(LAB);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await expect.poll(() => screen(page)).toContain('Starting cluster…');
  await page.locator('.lab-terminal-screen').click();
  // Typed before the cluster is up: the line waits in the worker's queue, then runs.
  await run(page, 'kubectl get pods -A');
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(/kube-system\s+coredns-[a-z0-9]+-[a-z0-9]{5}\s+1\/1\s+Running/);
  await expect.poll(() => screen(page)).toMatch(/default\s+web-[a-z0-9]+-[a-z0-9]{5}/);
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$');
  const marks = await page.evaluate(() =>
    Object.fromEntries(performance.getEntriesByType('mark').filter((m) => m.name.startsWith('clusterpath:')).map((m) => [m.name, Math.round(m.startTime)])),
  );
  console.log('terminal timings (ms after navigation):', JSON.stringify(marks));
  expect(problems).toEqual([]);
});

test('ssh worker changes the prompt, exit brings it back', async ({ page }) => {
  await openLab(page);
  await waitReady(page);
  await run(page, 'ssh worker');
  await expect.poll(() => lastLine(page)).toBe('root@worker:~#');
  await run(page, 'hostname');
  await expect.poll(() => screen(page)).toMatch(/^worker$/m);
  await run(page, 'exit');
  await expect.poll(() => screen(page)).toContain('Connection to worker closed.');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$');
});

test('kubectl run -it --rm with a one-shot command: the notice, then its output as it runs, then the deletion', async ({ page }) => {
  await openLab(page);
  await waitReady(page);
  await run(page, "kubectl run tmp --rm -it --restart=Never --image=busybox:1.36 -- sh -c 'echo out; echo err >&2; exit 2'");
  await expect.poll(() => lastLine(page), { timeout: 15_000 }).toBe('user@workstation:~$');
  const text = await screen(page);
  const rows = text.slice(text.indexOf('kubectl run tmp')).split('\n').map((l) => l.trimEnd());
  const shown = rows.slice(1, rows.lastIndexOf('user@workstation:~$'));
  expect(shown).toEqual([
    'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.',
    "If you don't see a command prompt, try pressing enter.",
    'out',
    'err',
    "Session ended, resume using 'kubectl attach tmp -c tmp -n default -i -t' command",
    'pod "tmp" deleted from default namespace',
    'pod default/tmp terminated (Error)',
  ]);
  await run(page, 'echo $?');
  await expect.poll(() => screen(page)).toMatch(/^2$/m);
});

test('history: Up recalls the last command, and it is kept for the lab across a reload', async ({ page }) => {
  await openLab(page);
  await waitReady(page);
  await run(page, 'kubectl get svc web');
  await expect.poll(() => screen(page)).toMatch(/^web\s+ClusterIP/m);
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ kubectl get svc web');
  await page.keyboard.press('Control+U');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$');
  await page.reload();
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await page.locator('.lab-terminal-screen').click();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ kubectl get svc web');
  // Ctrl-R finds it by a fragment.
  await page.keyboard.press('Control+C');
  await page.keyboard.press('Control+R');
  await page.keyboard.type('svc w');
  await expect.poll(() => lastLine(page)).toBe("(reverse-i-search)`svc w': kubectl get svc web");
});

test('Tab completes kubectl verbs, resource types and object names', async ({ page }) => {
  await openLab(page);
  await waitReady(page);
  await page.keyboard.type('kubectl get po');
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ kubectl get pods');
  await page.keyboard.type('cl');
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ kubectl get pods client');
  await page.keyboard.press('Control+U');
  await page.keyboard.type('kubectl desc');
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ kubectl describe');
  await page.keyboard.press('Control+U');
  // Two Tabs on an ambiguous word list the choices.
  await page.keyboard.type('kubectl get -');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await expect.poll(() => screen(page)).toContain('--all-namespaces');
});

test('Ctrl-C abandons the line; multi-line paste runs line by line', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await waitReady(page);
  await page.keyboard.type('kubectl delete deployment web');
  await page.keyboard.press('Control+C');
  await expect.poll(() => screen(page)).toContain('user@workstation:~$ kubectl delete deployment web^C');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$');
  await page.evaluate((text) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', text);
    document.querySelector('.xterm-helper-textarea')!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, 'kubectl get nodes\nkubectl get deploy web\n');
  await expect.poll(() => screen(page)).toMatch(/control-plane\s+Ready\s+control-plane/);
  await expect.poll(() => screen(page)).toMatch(/^web\s+2\/2/m);
  const text = await screen(page);
  expect(text).toContain('user@workstation:~$ kubectl get nodes');
  expect(text).toContain('user@workstation:~$ kubectl get deploy web');
  // The deployment was not deleted: Ctrl-C dropped that line.
  expect(text).not.toContain('deleted');
  expect(problems).toEqual([]);
});

test('screen-reader mode toggles and axe finds nothing serious with the terminal running', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await waitReady(page);
  await run(page, 'kubectl get svc');
  const toggle = page.getByRole('button', { name: 'Screen reader mode' });
  await expect(toggle).toHaveAttribute('aria-pressed', 'false');
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('.lab-terminal-screen .xterm-accessibility-tree')).toBeAttached();
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  // Resizing redraws with new cell sizes: still no inline style for CSP to block.
  await page.setViewportSize({ width: 700, height: 700 });
  await run(page, 'hostname');
  await expect.poll(() => screen(page)).toMatch(/^workstation$/m);
  expect(problems).toEqual([]);
});

for (const size of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  test(`terminal screenshot at ${size.width}px`, async ({ page }) => {
    await page.setViewportSize({ width: size.width, height: size.height });
    await openLab(page);
    await waitReady(page);
    await run(page, 'kubectl get pods -o wide');
    await expect.poll(() => screen(page)).toContain('client');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator('.lab-terminal').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `test-results/screenshots/lab-terminal-${size.name}.png` });
  });
}

test('a worker crash shows a notice and a restart button that brings a fresh cluster', async ({ page }) => {
  await openLab(page);
  await waitReady(page);
  const worker = page.workers().find((w) => w.url().includes('worker'));
  expect(worker, 'the lab runs in a Web Worker').toBeDefined();
  // An exception nobody catches inside the worker, as a bug in the engine would throw.
  await worker!.evaluate(() => {
    setTimeout(() => {
      throw new Error('simulated engine bug');
    });
  });
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster stopped');
  await expect(page.getByRole('alert')).toContainText('simulated engine bug');
  await expect.poll(() => screen(page)).toContain('The cluster stopped');
  await page.getByRole('button', { name: 'Restart cluster' }).click();
  await waitReady(page);
  await run(page, 'kubectl get deploy');
  await expect.poll(() => screen(page)).toMatch(/^web\s+2\/2/m);
});
