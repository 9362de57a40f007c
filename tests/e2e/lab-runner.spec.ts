import { mkdirSync, readFileSync, readdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './site';

// The lab runner in the built site: live tasks, hints and solution, and the session log behind
// resume, undo, reset, share links and export (src/lab/log.ts, src/components/lab/).
const SLUG = 'kube-proxy-first-look';
const LAB = `/labs/${SLUG}/`;
const SAVE_KEY = `clusterpath:lab:${SLUG}`;
const SHOTS = 'test-results/lab-runner';
const FIX = `kubectl patch service web -p '{"spec":{"selector":{"app":"web"}}}'`;

/** The terminal's buffer as text, wrapped rows joined (the island exposes it on its element). */
async function screen(page: Page): Promise<string> {
  return page.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

async function lastLine(page: Page): Promise<string> {
  const rows = (await screen(page)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

async function openLab(page: Page, url = LAB): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await page.locator('.lab-terminal-screen').click();
}

/** Types a line and waits for the next prompt. */
async function run(page: Page, line: string, prompt = 'user@workstation:~$'): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLine(page), { timeout: 15_000 }).toBe(prompt);
}

const progress = (page: Page) => page.getByRole('progressbar');

async function savedEvents(page: Page): Promise<string[]> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as { events: { line?: string; path?: string }[] }).events.map((e) => e.line ?? e.path ?? '') : [];
  }, SAVE_KEY);
}

/** The commands and outputs in the scrollback, without the start-up banner. */
const scrollback = (text: string) => text.replace(/^(Starting cluster…|Restoring your session…)\n/, '').trimEnd();

test('solving the lab by typing: tasks turn done, the progress bar moves, changes are announced', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '0');
  await expect(progress(page)).toHaveAttribute('aria-valuemax', '3');
  await expect(page.locator('.lab-progress-label')).toHaveText('0 of 3 tasks done');
  await expect(page.locator('#task-fix-the-service .task-state')).toHaveText('Not done yet');

  // Reading changes nothing; the checks say why the task is not done yet.
  await run(page, 'kubectl get endpointslices -l kubernetes.io/service-name=web');
  await page.locator('#task-fix-the-service .task-checks summary').click();
  await expect(page.locator('#task-fix-the-service .task-checks li').first()).toContainText('Not yet:');

  await page.locator('.lab-terminal-screen').click();
  await run(page, FIX);
  await expect(page.locator('#task-fix-the-service')).toHaveAttribute('data-done', 'true');
  await expect(page.locator('#task-fix-the-service .task-state')).toHaveText('Done');
  await expect(page.locator('#task-fix-the-service .task-mark')).toHaveText('✓');
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '2');
  await expect(page.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');
  await expect(page.locator('[aria-live="polite"]')).toContainText('Task done: Give the Service endpoints. Task done: Find the KUBE-SVC chain on a node. 2 of 3 tasks done.');
  await expect(page.locator('#task-fix-the-service .task-checks li').first()).toContainText('Holds:');

  await run(page, 'ssh worker', 'root@worker:~#');
  await run(page, "iptables-save -t nat | grep 'default/web:http cluster IP'", 'root@worker:~#');
  await expect.poll(() => screen(page)).toMatch(/-A KUBE-SERVICES -d [0-9.]+\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-/);
  await run(page, 'exit');
  // The third task holds once three pods are ready: `rollout status` waits for them.
  await run(page, 'kubectl scale deployment web --replicas=3');
  await run(page, 'kubectl rollout status deployment web');
  await expect.poll(() => screen(page)).toContain('deployment "web" successfully rolled out');
  await expect(page.locator('.lab-progress-label')).toHaveText('3 of 3 tasks done');
  await expect(progress(page)).toHaveAttribute('aria-valuenow', '3');
  await expect(page.locator('#task-follow-the-endpoints .task-state')).toHaveText('Done');
  expect(problems).toEqual([]);
});

test('hints open one at a time; the solution asks first and flags the lab’s quiz questions', async ({ page }) => {
  await openLab(page);
  const hint = page.getByRole('button', { name: /^Show hint/ });
  await expect(hint).toHaveText('Show hint 1 of 5');
  await hint.click();
  await expect(page.locator('.hint')).toHaveCount(1);
  await expect(hint).toHaveText('Show hint 2 of 5');
  await hint.click();
  await expect(page.locator('.hint')).toHaveCount(2);
  await page.getByRole('button', { name: 'Show the solution…' }).click();
  await expect(page.getByText('Show the solution? Try the hints first')).toBeVisible();
  await page.getByRole('button', { name: 'Not yet' }).click();
  await expect(page.locator('.solution-body')).toHaveCount(0);
  await page.getByRole('button', { name: 'Show the solution…' }).click();
  await page.getByRole('button', { name: 'Yes, show the solution' }).click();
  await expect(page.locator('.solution-body')).toContainText('kubectl patch service web');
  await expect(page.locator('.solution-body')).toContainText(/quiz questions? about this lab (is|are) back in your review queue/);
  const flagged = await page.evaluate(() => Object.keys((JSON.parse(localStorage.getItem('clusterpath:quiz') ?? '{}') as { flagged?: object }).flagged ?? {}));
  expect(flagged.length).toBeGreaterThan(0);
  // Hints and the solution are part of the saved session (written a moment after the change).
  await expect.poll(() => page.evaluate((key) => {
    const save = JSON.parse(localStorage.getItem(key) ?? '{}') as { hints?: number; solution?: boolean };
    return [save.hints, save.solution];
  }, SAVE_KEY)).toEqual([2, true]);
  await page.reload();
  await expect(page.locator('.hint')).toHaveCount(2);
  await expect(page.locator('.solution-body')).toBeVisible();
});

test('a reload mid-lab resumes exactly: same scrollback, same prompt context, same state', async ({ page }) => {
  await openLab(page);
  await run(page, 'kubectl get pods -o wide');
  await run(page, FIX);
  await run(page, 'cat > ~/note.txt <<EOF\nselector was wbe\nEOF');
  await run(page, 'ssh worker', 'root@worker:~#');
  await run(page, 'cd /tmp', 'root@worker:/tmp#');
  await run(page, 'iptables -N LEARNER', 'root@worker:/tmp#');
  await expect.poll(() => savedEvents(page)).toHaveLength(6);
  const before = scrollback(await screen(page));

  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect.poll(() => lastLine(page)).toBe('root@worker:/tmp#');
  expect(scrollback(await screen(page))).toBe(before);
  await expect(page.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');
  await page.locator('.lab-terminal-screen').click();
  await run(page, 'iptables -S LEARNER', 'root@worker:/tmp#');
  await expect.poll(() => screen(page)).toMatch(/^-N LEARNER$/m);
  await run(page, 'exit');
  await run(page, 'cat ~/note.txt');
  await expect.poll(() => screen(page)).toMatch(/^selector was wbe$/m);
});

test('undo takes back the last change; reset (after confirming) starts from the setup', async ({ page }) => {
  await openLab(page);
  const undo = page.getByRole('button', { name: 'Undo' });
  await expect(undo).toBeDisabled();
  await run(page, FIX);
  await run(page, 'kubectl get service web -o jsonpath={.spec.selector.app}; echo');
  await expect(undo).toBeEnabled();
  await expect(page.locator('#lab-undo-what')).toHaveText(`Takes back: ${FIX}`);
  await expect(page.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');

  await undo.click();
  await expect(page.locator('.lab-terminal-message')).toHaveText('The last change was undone.');
  await expect(page.locator('.lab-progress-label')).toHaveText('0 of 3 tasks done');
  // The read after it stays, replayed against the state without the patch.
  await expect.poll(async () => scrollback(await screen(page))).toBe('user@workstation:~$ kubectl get service web -o jsonpath={.spec.selector.app}; echo\nwbe\nuser@workstation:~$');
  await expect(undo).toBeDisabled();
  await expect.poll(() => savedEvents(page)).toEqual(['kubectl get service web -o jsonpath={.spec.selector.app}; echo']);

  await page.locator('.lab-terminal-screen').click();
  await run(page, 'kubectl create namespace scratch');
  await page.getByRole('button', { name: 'Reset…' }).click();
  await expect(page.getByText('Reset the lab? Your commands')).toBeVisible();
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => savedEvents(page)).toHaveLength(2);
  await page.getByRole('button', { name: 'Reset…' }).click();
  await page.getByRole('button', { name: 'Reset the lab' }).click();
  await expect(page.locator('.lab-terminal-message')).toHaveText('The lab was reset to its setup.');
  await expect.poll(async () => scrollback(await screen(page))).toBe('user@workstation:~$');
  await expect.poll(() => savedEvents(page)).toEqual([]);
  await page.locator('.lab-terminal-screen').click();
  await run(page, 'kubectl get namespace scratch');
  await expect.poll(() => screen(page)).toContain('Error from server (NotFound): namespaces "scratch" not found');
});

test('a shared link restores the state in a fresh browser context, asking first when there is local progress', async ({ page, browser, baseURL }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await openLab(page);
  await run(page, FIX);
  await run(page, 'ssh worker', 'root@worker:~#');
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.locator('.lab-terminal-message')).toHaveText(/Link copied/);
  const link = await page.getByLabel('Share link').inputValue();
  expect(link).toMatch(new RegExp(`^${baseURL}${LAB}#s=[A-Za-z0-9_-]+$`));
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(link);
  const before = scrollback(await screen(page));

  // A fresh context: no local save, so the link opens at once.
  const fresh = await browser.newContext();
  const other = await fresh.newPage();
  const problems = watchProblems(other, baseURL!);
  await other.goto(link);
  await expect(other.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect.poll(() => lastLine(other)).toBe('root@worker:~#');
  expect(scrollback(await screen(other))).toBe(before);
  await expect(other.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');
  expect(new URL(other.url()).hash).toBe('');
  await expect.poll(() => savedEvents(other)).toEqual([FIX, 'ssh worker']);
  expect(problems).toEqual([]);
  await fresh.close();

  // With local progress of its own, the page asks; keeping it ignores the link.
  const mine = await browser.newContext();
  const third = await mine.newPage();
  await openLab(third);
  await run(third, 'kubectl get pods');
  await expect.poll(() => savedEvents(third)).toEqual(['kubectl get pods']);
  await third.goto('about:blank');
  await third.goto(link);
  await expect(third.getByText('This link holds a shared session')).toBeVisible();
  await third.getByRole('button', { name: 'Keep my progress' }).click();
  await expect(third.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect.poll(() => lastLine(third)).toBe('user@workstation:~$');
  expect(await savedEvents(third)).toEqual(['kubectl get pods']);
  await third.goto('about:blank');
  await third.goto(link);
  await third.getByRole('button', { name: 'Open the shared session' }).click();
  await expect.poll(() => lastLine(third), { timeout: 20_000 }).toBe('root@worker:~#');
  await expect.poll(() => savedEvents(third)).toEqual([FIX, 'ssh worker']);
  await mine.close();
});

test('after a worker crash, Restart replays the session and Reset starts from the setup', async ({ page }) => {
  await openLab(page);
  await run(page, FIX);
  const crash = async () => {
    const worker = page.workers().findLast((w) => w.url().includes('worker'));
    await worker!.evaluate(() => {
      setTimeout(() => {
        throw new Error('simulated engine bug');
      });
    });
    await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster stopped');
  };
  await crash();
  await page.getByRole('button', { name: 'Restart cluster' }).click();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect(page.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');
  await crash();
  await page.getByRole('button', { name: 'Reset…' }).click();
  await page.getByRole('button', { name: 'Reset the lab' }).click();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await expect(page.locator('.lab-progress-label')).toHaveText('0 of 3 tasks done');
  await expect.poll(() => savedEvents(page)).toEqual([]);
  await page.locator('.lab-terminal-screen').click();
  await run(page, 'kubectl get service web -o jsonpath={.spec.selector.app}; echo');
  await expect.poll(() => screen(page)).toMatch(/^wbe$/m);
});

test('export downloads the session as Markdown', async ({ page }) => {
  await openLab(page);
  await run(page, FIX);
  await run(page, 'kubectl get svc web');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export session' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(new RegExp(`^clusterpath-${SLUG}-\\d{4}-\\d{2}-\\d{2}\\.md$`));
  const md = readFileSync((await file.path())!, 'utf8');
  expect(md).toMatch(/^# kube-proxy, first look: a Service with no endpoints: my session\n/);
  expect(md).toContain('## Tasks (2 of 3 done)');
  expect(md).toContain('- [ ] Watch kube-proxy follow the endpoints');
  expect(md).toContain('- [x] Give the Service endpoints');
  expect(md).toContain(`1. \`${FIX}\``);
  expect(md).toMatch(/```console\nuser@workstation:~\$ kubectl get svc web\nNAME\s+TYPE\s+CLUSTER-IP/);
});

test('a corrupt or future save is set aside with a visible notice, and the lab works', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await page.addInitScript((key) => {
    if (!sessionStorage.getItem('seeded')) {
      sessionStorage.setItem('seeded', '1');
      localStorage.setItem(key, '{"v":1,"slug":"kube-proxy-first-look","events":[{"at":');
    }
  }, SAVE_KEY);
  await openLab(page);
  await expect(page.getByRole('alert')).toContainText('Your saved session for this lab could not be read: the saved session is damaged (not JSON)');
  mkdirSync(SHOTS, { recursive: true });
  // A viewport shot: the workspace is sticky, so an element shot taller than the viewport smears.
  await page.locator('.lab-terminal-notice').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/lab-notice.png` });
  await run(page, 'kubectl get svc web');
  await expect.poll(() => screen(page)).toMatch(/^web\s+ClusterIP/m);
  expect(await page.evaluate((k) => localStorage.getItem(k + ':unreadable'), SAVE_KEY)).toContain('"events":[{"at":');
  await page.getByRole('button', { name: 'Dismiss' }).click();
  await expect(page.getByRole('alert')).toHaveCount(0);

  // A save from a newer format, written as the next page loads (this one saves as it goes).
  await page.addInitScript((key) => {
    if (sessionStorage.getItem('future') === '1') {
      sessionStorage.removeItem('future');
      localStorage.setItem(key, JSON.stringify({ v: 2, slug: 'kube-proxy-first-look', seed: 1, start: 0, events: [] }));
    }
  }, SAVE_KEY);
  await page.evaluate(() => sessionStorage.setItem('future', '1'));
  await page.reload();
  await expect(page.getByRole('alert')).toContainText('comes from a newer version of ClusterPath');
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  expect(problems).toEqual([]);
});

test('keyboard only: Tab reaches everything, Enter and Space work, Esc then Tab leaves the terminal', async ({ page }) => {
  await page.goto(LAB);
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  const focused = () => page.evaluate(() => {
    const el = document.activeElement as HTMLElement | null;
    return el ? `${el.tagName.toLowerCase()}:${(el.getAttribute('aria-label') ?? el.textContent ?? '').trim().slice(0, 40)}` : '';
  });
  /** Presses Tab (or Shift+Tab) until `want` has focus (at most 60 times), failing otherwise. */
  const tabTo = async (want: RegExp, key = 'Tab') => {
    for (let i = 0; i < 60; i++) {
      await page.keyboard.press(key);
      if (want.test(await focused())) return;
    }
    throw new Error(`Tab never reached ${want}; last focus ${await focused()}`);
  };
  // Opening a hint moves the keyboard to it, in an effect after paint: wait for that, as a
  // learner waits to see where the focus went, or the next Tab races the effect.
  await tabTo(/^button:Show hint 1 of 5$/);
  await page.keyboard.press('Enter');
  await expect(page.locator('.hint')).toHaveCount(1);
  await expect.poll(focused).toBe('li:Hint 1 of 5');
  await tabTo(/^button:Show hint 2 of 5$/);
  await page.keyboard.press('Space');
  await expect(page.locator('.hint')).toHaveCount(2);
  await expect.poll(focused).toBe('li:Hint 2 of 5');
  await tabTo(/^button:Show the solution…$/);
  await page.keyboard.press('Enter');
  await expect.poll(focused).toBe('button:Yes, show the solution');
  await page.keyboard.press('Enter');
  await expect(page.locator('.solution-body')).toBeVisible();
  // The shown solution takes the keyboard in the next frame (requestAnimationFrame): Tab from there.
  await expect(page.locator('.solution-body')).toBeFocused();

  // Into the terminal (xterm's textarea), run the fix, then leave it with Esc, Tab.
  await tabTo(/^textarea:/);
  await run(page, FIX);
  await expect(page.locator('.lab-progress-label')).toHaveText('2 of 3 tasks done');
  await page.keyboard.press('Tab'); // completes, stays inside
  expect(await focused()).toMatch(/^textarea:/);
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  expect(await focused()).not.toMatch(/^textarea:/);
  // Back up to the toolbar (Shift-Tab always leaves the terminal): Undo with Enter, Reset with Space.
  await page.keyboard.press('Shift+Tab');
  expect(await focused()).toMatch(/^textarea:/);
  await tabTo(/^button:Undo$/, 'Shift+Tab');
  await page.keyboard.press('Enter');
  await expect(page.locator('.lab-progress-label')).toHaveText('0 of 3 tasks done');
  await expect.poll(focused).toMatch(/^textarea:/); // back at the prompt
  await tabTo(/^button:Reset…$/, 'Shift+Tab');
  await page.keyboard.press('Space');
  await expect.poll(focused).toBe('button:Reset the lab');
  await page.keyboard.press('Enter');
  await expect(page.locator('.lab-terminal-message')).toHaveText('The lab was reset to its setup.');
});

test('the shell’s own tools load on first use in the worker (just-bash’s lazily loaded commands)', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, `kubectl get pods -o json | jq -r '.items[].metadata.name' | grep -c web`);
  await run(page, `echo hello world | sed 's/world/lab/' | awk '{print toupper($2)}'`);
  await run(page, `printf 'b\\na\\nb\\n' | sort | uniq -c | wc -l`);
  await run(page, `echo -n lab | base64; seq 3 | tail -1; cut -d: -f1 /etc/passwd | head -1 || true`);
  const text = await screen(page);
  expect(text).toMatch(/grep -c web\n2\n/);
  expect(text).toMatch(/toupper\(\$2\)}'\nLAB\n/);
  expect(text).toMatch(/wc -l\n2\n/);
  expect(text).toMatch(/head -1 \|\| true\nbGFi\n3\n/);
  expect(problems).toEqual([]);
});

test('every lab page boots its cluster (with its ClusterConfig) and checks its tasks: none done before the learner starts', async ({ page, baseURL }) => {
  test.setTimeout(180_000);
  const problems = watchProblems(page, baseURL!);
  const slugs = readdirSync(new URL('../../labs/', import.meta.url), { withFileTypes: true }).filter((e) => e.isDirectory()).map((e) => e.name);
  expect(slugs.length).toBeGreaterThan(1);
  for (const slug of slugs) {
    await page.goto(`/labs/${slug}/`);
    await expect(page.locator('.lab-terminal-status'), slug).toHaveText('Cluster running', { timeout: 30_000 });
    const max = await progress(page).getAttribute('aria-valuemax');
    await expect(page.locator('.lab-progress-label'), slug).toHaveText(`0 of ${max} tasks done`);
    // No setup manifest was refused (the worker would print kubectl's error in the terminal).
    expect(await screen(page), slug).not.toMatch(/^(Error|error):/m);
  }
  // The flannel lab's ClusterConfig (cni: flannel) reached the cluster: no kindnet DaemonSet.
  await page.goto('/labs/policy-does-nothing/');
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 30_000 });
  await page.locator('.lab-terminal-screen').click();
  await run(page, 'kubectl get daemonsets -A -o name');
  await expect.poll(() => screen(page)).toContain('daemonset.apps/kube-flannel-ds\ndaemonset.apps/kube-proxy\n');
  expect(await screen(page)).not.toContain('kindnet');
  expect(problems).toEqual([]);
});

test('the lab page has no serious accessibility violations, and looks right on desktop and phone', async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  await openLab(page);
  await run(page, 'kubectl get svc web');
  await run(page, FIX);
  await page.locator('#task-fix-the-service .task-checks summary').click();
  await page.getByRole('button', { name: /^Show hint/ }).click();
  await page.getByRole('button', { name: 'Copy link' }).click();
  await expect(page.getByLabel('Share link')).toBeVisible();
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: `${SHOTS}/lab-desktop.png`, fullPage: false });
  await page.locator('.brief').screenshot({ path: `${SHOTS}/lab-tasks-desktop.png` });

  await page.setViewportSize({ width: 390, height: 844 });
  await page.getByRole('button', { name: 'Reset…' }).click();
  await page.screenshot({ path: `${SHOTS}/lab-phone.png`, fullPage: true });
  await page.locator('.lab-terminal').scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/lab-phone-terminal.png` });
  const phone = await new AxeBuilder({ page }).analyze();
  expect(phone.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);
});
