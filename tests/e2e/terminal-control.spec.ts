import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { seriousViolations, watchProblems } from './site';

// Ctrl-C on running commands, the second terminal tab and screen-reader mode, in the built site.
// The lab: web (2 nginx pods) and client (busybox, with ping and wget).
const LAB = '/labs/kube-proxy-first-look/';
const SHOTS = 'test-results/terminal-control';

/** Terminal tab `i`'s buffer as text (the island exposes it on each panel). */
async function screen(page: Page, i = 0): Promise<string> {
  return page.locator(`#lab-term-panel-${i}`).evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

async function lastLine(page: Page, i = 0): Promise<string> {
  const rows = (await screen(page, i)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

async function openLab(page: Page): Promise<void> {
  await page.goto(LAB);
  await expect(page.locator('#lab-term-panel-0[data-accepting]')).toBeVisible();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
  await page.locator('#lab-term-panel-0').click();
}

/** The command lines in the lab's saved session (what a reload replays). */
async function savedLines(page: Page): Promise<string[]> {
  return page.evaluate((key) => {
    const raw = localStorage.getItem(key);
    return raw ? (JSON.parse(raw) as { events: { line?: string }[] }).events.flatMap((e) => (e.line === undefined ? [] : [e.line])) : [];
  }, `clusterpath:lab:${LAB.split('/')[2]}`);
}

async function run(page: Page, line: string): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/** The page with the packet-path panel's title at the top of its (sticky, scrolling) column. */
async function shotPanel(page: Page, path: string): Promise<void> {
  await page.locator('.trace-panel').evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await page.screenshot({ path });
}

/** Ctrl-C must end the command at once: the prompt is back within this (the shell's grace time is 1.5 s). */
const AT_ONCE = { timeout: 1000 };

test('Ctrl-C ends sleep 30 at once: ^C and a new prompt', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, 'sleep 30');
  await page.waitForTimeout(800);
  // Still running: no prompt under the line.
  expect(await lastLine(page)).toBe('user@workstation:~$ sleep 30');
  await page.keyboard.press('Control+C');
  await expect.poll(() => lastLine(page), AT_ONCE).toBe('user@workstation:~$');
  expect(await screen(page)).toContain('user@workstation:~$ sleep 30\n^C\nuser@workstation:~$');
  expect(problems).toEqual([]);
});

test('ping streams a reply a second until Ctrl-C, then prints its statistics', async ({ page }) => {
  await openLab(page);
  await run(page, `kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}{"\\n"}'`);
  await expect.poll(() => screen(page)).toMatch(/^10\.244\.\d+\.\d+$/m);
  const ip = /^(10\.244\.\d+\.\d+)$/m.exec(await screen(page))![1]!;
  await run(page, 'kubectl exec -it client -- sh');
  await expect.poll(() => lastLine(page)).toBe('/ #');
  await run(page, `ping ${ip}`);
  await expect.poll(() => screen(page)).toMatch(/^PING [\d.]+ \([\d.]+\): 56 data bytes$/m);
  // Replies arrive while it runs, one a second.
  await expect.poll(async () => (await screen(page)).match(/^64 bytes from [\d.]+: seq=\d+ ttl=6\d time=[\d.]+ ms$/gm)?.length ?? 0, { timeout: 5000 }).toBeGreaterThanOrEqual(3);
  await page.keyboard.press('Control+C');
  await expect.poll(() => lastLine(page), AT_ONCE).toBe('/ #');
  const text = await screen(page);
  expect(text).toMatch(/ ms\n\^C\n--- [\d.]+ ping statistics ---\n\d+ packets transmitted, \d+ packets received, 0% packet loss\nround-trip min\/avg\/max = [\d.]+\/[\d.]+\/[\d.]+ ms\n\/ #/);
  await run(page, 'exit');
});

test('a loop prints each round as it runs and a watch piped into grep shows its matches on Ctrl-C; a reload shows the same', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, 'for i in 1 2 3 4 5 6; do echo "round $i"; kubectl get deployment web -o name; sleep 1; done');
  // Round 2 is on the screen while the loop still runs (no prompt under it yet). One poll for
  // both: round 3 follows a second later, so a separate look at the last line could see it.
  await expect.poll(async () => (await screen(page)).trimEnd(), { timeout: 5000, intervals: [100] }).toMatch(/\nround 2\ndeployment\.apps\/web$/);
  await page.keyboard.press('Control+C');
  await expect.poll(() => lastLine(page), AT_ONCE).toBe('user@workstation:~$');
  // sleep dies of SIGINT: the rounds so far, the tty's ^C, bash's newline, the prompt; no round 6.
  expect((await screen(page)).trimEnd()).toMatch(/\$ for i in .*\nround 1\ndeployment\.apps\/web\nround 2\ndeployment\.apps\/web\n(round \d\ndeployment\.apps\/web\n)*\^C\nuser@workstation:~\$$/);
  expect(await screen(page)).not.toContain('round 6');

  // just-bash runs grep when the watch ends; Ctrl-C shows what grep had printed by then.
  await run(page, 'kubectl get pods -w | grep web');
  await page.waitForTimeout(1500);
  expect(await lastLine(page)).toBe('user@workstation:~$ kubectl get pods -w | grep web');
  await page.keyboard.press('Control+C');
  await expect.poll(() => lastLine(page), AT_ONCE).toBe('user@workstation:~$');
  expect((await screen(page)).trimEnd()).toMatch(/\$ kubectl get pods -w \| grep web\n(web-\S+ +1\/1 +Running +0 +\S+\n){2}\^C\nuser@workstation:~\$$/);

  const before = await screen(page);
  await expect.poll(() => savedLines(page)).toContain('kubectl get pods -w | grep web');
  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
  // The restored scrollback is the live one (its first line says it was restored). Polled: the
  // terminal draws it a moment after the status changes, and its first prompt is the same.
  await expect.poll(async () => (await screen(page)).replace(/^Restoring your session…\n/, '')).toBe(before.replace(/^Starting cluster…\n/, ''));
  expect(await lastLine(page)).toBe('user@workstation:~$');
  expect(problems).toEqual([]);
});

test('kubectl logs -f in tab 1 shows, as it happens, the request a wget in tab 2 makes; Ctrl-C kills it', async ({ page }) => {
  await openLab(page);
  await run(page, 'kubectl logs -f -l app=web --prefix --tail=0');
  const tab2 = page.getByRole('tab', { name: 'Terminal 2' });
  await tab2.click();
  await expect(page.locator('#lab-term-panel-1 textarea')).toBeFocused();
  await run(page, "kubectl exec client -- wget -qO- $(kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}')");
  await expect.poll(() => screen(page, 1)).toContain('Welcome to nginx!');
  await page.getByRole('tab', { name: 'Terminal 1' }).click();
  await expect(page.locator('#lab-term-panel-0 textarea')).toBeFocused();
  // Still following (no prompt), with the access-log line of that request, prefixed by its pod.
  await expect.poll(() => screen(page, 0), { timeout: 10_000 }).toMatch(/^\[pod\/web-\S+\/nginx\] 10\.244\.\d+\.\d+ - - \[[^\]]+\] "GET \/ HTTP\/1\.1" 200 615 "-" "[^"]*" "-"$/m);
  expect(await lastLine(page, 0)).toMatch(/^\[pod\/web-/);
  await page.keyboard.press('Control+C');
  // kubectl logs does not trap SIGINT: it dies of it, and bash starts the prompt on a new line.
  await expect.poll(() => lastLine(page, 0), AT_ONCE).toBe('user@workstation:~$');
  expect(await screen(page, 0)).toMatch(/"-"\n\^C\nuser@workstation:~\$\s*$/);
});

test('kubectl get pods -w in tab 1 shows a pod scaled up in tab 2; each tab keeps its own history; Ctrl-C ends the watch', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, 'kubectl get pods -w');
  await expect.poll(() => screen(page)).toMatch(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/m);
  // Keyboard only: Shift+Tab leaves the terminal for the tabs; the arrow opens Terminal 2.
  const tab1 = page.getByRole('tab', { name: 'Terminal 1' });
  const tab2 = page.getByRole('tab', { name: 'Terminal 2' });
  await expect(tab1).toHaveAttribute('aria-selected', 'true');
  await tab1.focus();
  await page.keyboard.press('ArrowRight');
  await expect(tab2).toHaveAttribute('aria-selected', 'true');
  await expect(tab2).toBeFocused();
  await expect(page.locator('#lab-term-panel-1[data-accepting]')).toBeVisible();
  await expect(page.locator('#lab-term-panel-0')).toBeHidden();
  await page.keyboard.press('Tab');
  await expect.poll(() => lastLine(page, 1)).toBe('user@workstation:~$');
  await run(page, 'kubectl scale deployment web --replicas=3');
  await expect.poll(() => screen(page, 1)).toContain('deployment.apps/web scaled');
  await page.screenshot({ path: `${SHOTS}/two-tabs-desktop.png` });
  // Back to Terminal 1: the watch printed the new pod's rows as they happened.
  await page.keyboard.press('Shift+Tab');
  await page.keyboard.press('ArrowLeft');
  await expect(tab1).toHaveAttribute('aria-selected', 'true');
  await expect.poll(() => screen(page, 0), { timeout: 10_000 }).toMatch(/^web-\S+ {3}0\/1 {3}(Pending|ContainerCreating) {3}0 {5}\d+s$/m);
  await page.locator('.lab-terminal').screenshot({ path: `${SHOTS}/watch-tab-desktop.png` });
  await page.keyboard.press('Tab');
  await page.keyboard.press('Control+C');
  // kubectl catches SIGINT and exits 1 (its interrupt handler), so bash adds no newline: the
  // prompt follows the tty's `^C` echo on the same row.
  await expect.poll(() => lastLine(page, 0), AT_ONCE).toBe('^Cuser@workstation:~$');
  // Own histories: Up in each tab recalls that tab's last line.
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => lastLine(page, 0)).toBe('^Cuser@workstation:~$ kubectl get pods -w');
  await page.keyboard.press('Control+U');
  await tab2.click();
  // A click on a tab gives its terminal the keyboard (a learner types once the cursor is there).
  await expect(page.locator('#lab-term-panel-1 textarea')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => lastLine(page, 1)).toBe('user@workstation:~$ kubectl scale deployment web --replicas=3');
  await page.keyboard.press('Control+U');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.waitForTimeout(300);
  await page.screenshot({ path: `${SHOTS}/two-tabs-phone.png` });
  await page.locator('.lab-terminal').screenshot({ path: `${SHOTS}/two-tabs-phone-terminal.png` });
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  expect(problems).toEqual([]);
});

test("a ping in tab 2 stays out of tab 1's packet path; the panel shows the tab in view", async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, `kubectl get pods -l app=web -o jsonpath='{.items[0].status.podIP}{"\\n"}'`);
  await expect.poll(() => screen(page)).toMatch(/^10\.244\.\d+\.\d+$/m);
  const web = /^(10\.244\.\d+\.\d+)$/m.exec(await screen(page))![1]!;
  const panel = page.locator('.trace-panel');
  await expect(panel.locator('.trace-panel-line')).toHaveText('Terminal 1');
  // The panel is an island hydrated when the page is idle (client:idle): on a busy machine, late.
  await expect(page.locator('astro-island:has(.trace-panel):not([ssr])')).toHaveCount(1, { timeout: 30_000 });
  // Terminal 2: ping worker from the workstation, an echo request a second until Ctrl-C.
  const tab1 = page.getByRole('tab', { name: 'Terminal 1' });
  const tab2 = page.getByRole('tab', { name: 'Terminal 2' });
  await tab2.click();
  await expect(page.locator('#lab-term-panel-1[data-accepting]')).toBeVisible();
  await page.locator('#lab-term-panel-1').click();
  await run(page, 'ping 172.18.0.3');
  await expect.poll(() => screen(page, 1)).toMatch(/^64 bytes from 172\.18\.0\.3: icmp_seq=1 /m);
  // Terminal 1 meanwhile: a curl from the worker node after two seconds of pings next door.
  await tab1.click();
  await page.locator('#lab-term-panel-0').click();
  await run(page, `sleep 2; ssh worker "curl -s -o /dev/null -w '%{http_code}\\n' http://${web}"`);
  await expect.poll(() => lastLine(page, 0), { timeout: 10_000 }).toBe('user@workstation:~$');
  expect(await screen(page, 0)).toMatch(/^200$/m);
  // Tab 2's ping ran all along (it shares the worker with the curl, so a reply can come late).
  await expect.poll(() => screen(page, 1)).toMatch(/icmp_seq=3 /);
  // Only the curl's connection: one TCP path from worker to the pod, no ICMP, no tabs of connections.
  await expect(panel.locator('.trace-panel-line')).toHaveText(/^Terminal 1: sleep 2; ssh worker/);
  await expect(panel.locator('.pp-outcome')).toContainText(`TCP ${web} port 80: connected`);
  await expect(panel.getByRole('tab')).toHaveCount(0);
  await expect(panel).not.toContainText('ICMP');
  await expect(panel.locator('[role="status"]')).toHaveText(`Packet path updated: Terminal 1: 1 connection, the last TCP ${web}:80: Connected`);
  await shotPanel(page, `${SHOTS}/trace-own-tab-desktop.png`);
  // Terminal 2 in view: its ping has not ended, so it has no packet path yet.
  await tab2.click();
  await expect(panel.locator('.trace-panel-line')).toHaveText('Terminal 2');
  await expect(panel).toContainText('No connection yet');
  await page.locator('#lab-term-panel-1').click();
  // Four echo requests at least (one a second), however fast the steps above ran.
  await expect.poll(() => screen(page, 1)).toMatch(/icmp_seq=4 /);
  await page.keyboard.press('Control+C');
  await expect.poll(() => screen(page, 1), AT_ONCE).toMatch(/^--- 172\.18\.0\.3 ping statistics ---\n\d+ packets transmitted/m);
  // Now its echo requests (the last eight at most), and nothing of the curl.
  const sent = Number(/^(\d+) packets transmitted/m.exec(await screen(page, 1))![1]);
  expect(sent).toBeGreaterThanOrEqual(4);
  await expect(panel.locator('.trace-panel-line')).toHaveText('Terminal 2: ping 172.18.0.3');
  const connections = panel.getByRole('tab');
  await expect(connections).toHaveCount(Math.min(sent, 8));
  await expect(connections.filter({ hasText: /^\d+ ICMP 172\.18\.0\.3/ })).toHaveCount(Math.min(sent, 8));
  await expect(panel).not.toContainText('TCP');
  await shotPanel(page, `${SHOTS}/trace-ping-tab-desktop.png`);
  // Back to Terminal 1 (keyboard: the tab list's arrows): the curl's path again.
  await tab2.focus();
  await page.keyboard.press('ArrowLeft');
  await expect(tab1).toHaveAttribute('aria-selected', 'true');
  await expect(panel.locator('.pp-outcome')).toContainText(`TCP ${web} port 80: connected`);
  const results = await new AxeBuilder({ page }).include('.trace-panel').analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  expect(problems).toEqual([]);
});

test('watch -n 1 kubectl get pods redraws on the alternate screen; Ctrl-C gives back the earlier screen and the prompt', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await run(page, 'kubectl scale deployment web --replicas=3');
  await expect.poll(() => screen(page)).toContain('deployment.apps/web scaled');
  await run(page, 'watch -n 1 kubectl get pods');
  const TITLE = /^Every 1\.0s: kubectl get pods +workstation: \w{3} \w{3} [ \d]\d (\d\d:\d\d:\d\d) \d{4}$/m;
  await expect.poll(() => screen(page)).toMatch(TITLE);
  // A full screen of its own: the title, a blank row, the table; the earlier lines are not on it.
  const first = await screen(page);
  expect(first.split('\n').slice(0, 3)).toEqual([expect.stringMatching(TITLE), '', expect.stringMatching(/^NAME\s+READY\s+STATUS\s+RESTARTS\s+AGE$/)]);
  expect(first).not.toContain('deployment.apps/web scaled');
  // Every second it runs kubectl again as the cluster's clock moves: the new pod turns Ready.
  const shownAt = TITLE.exec(first)![1];
  await expect.poll(async () => TITLE.exec(await screen(page))?.[1], { timeout: 5000 }).not.toBe(shownAt);
  await expect.poll(async () => (await screen(page)).match(/^web-\S+ +1\/1 +Running +0 +\d+s$/gm)?.length ?? 0, { timeout: 20_000 }).toBe(3);
  await page.locator('.lab-terminal').screenshot({ path: `${SHOTS}/watch-desktop.png` });
  // A narrower terminal gets the next screen at its width: the host and date end at its last column.
  const titleRow = async () => (await screen(page)).split('\n')[0]!;
  const wide = (await titleRow()).length;
  await page.setViewportSize({ width: 600, height: 800 });
  await expect.poll(async () => { const row = await titleRow(); return TITLE.test(row) && row.length < wide; }, { timeout: 5000 }).toBe(true);
  await page.keyboard.press('Control+C');
  // Back on the main screen as it was, no ^C (curses turned echo off), the prompt under the command.
  await expect.poll(() => lastLine(page), AT_ONCE).toBe('user@workstation:~$');
  const after = await screen(page);
  expect(after).toContain('deployment.apps/web scaled\nuser@workstation:~$ watch -n 1 kubectl get pods\nuser@workstation:~$');
  expect(after).not.toContain('Every 1.0s');
  expect(after).not.toContain('^C');
  // The prompt takes keys where it stands.
  await page.keyboard.press('ArrowUp');
  await expect.poll(() => lastLine(page)).toBe('user@workstation:~$ watch -n 1 kubectl get pods');
  await page.keyboard.press('Control+U');
  // A reload replays the watch to where Ctrl-C stopped it; the restored scrollback is the same.
  await expect.poll(() => savedLines(page)).toContain('watch -n 1 kubectl get pods');
  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
  await expect.poll(() => screen(page)).toContain('user@workstation:~$ watch -n 1 kubectl get pods\nuser@workstation:~$');
  expect(await screen(page)).not.toContain('Every 1.0s');
  expect(problems).toEqual([]);
});

test('both tabs are in the saved session: a reload shows each tab its own commands', async ({ page }) => {
  await openLab(page);
  await run(page, 'echo from-one');
  await expect.poll(() => screen(page)).toMatch(/^from-one$/m);
  await page.getByRole('tab', { name: 'Terminal 2' }).click();
  await expect(page.locator('#lab-term-panel-1[data-accepting]')).toBeVisible();
  await run(page, 'cd /tmp && echo from-two');
  await expect.poll(() => screen(page, 1)).toMatch(/^from-two$/m);
  await expect.poll(() => savedLines(page)).toEqual(['echo from-one', 'cd /tmp && echo from-two']);
  await page.reload();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
  await expect.poll(() => screen(page, 0)).toContain('user@workstation:~$ echo from-one');
  expect(await screen(page, 0)).not.toContain('from-two');
  await page.getByRole('tab', { name: 'Terminal 2' }).click();
  await expect(page.locator('#lab-term-panel-1[data-accepting]')).toBeVisible();
  await expect.poll(() => screen(page, 1)).toContain('user@workstation:~$ cd /tmp && echo from-two');
  await expect.poll(() => lastLine(page, 1)).toBe('user@workstation:/tmp$');
});

test('screen-reader mode announces command output in a polite live region', async ({ page }) => {
  await openLab(page);
  const toggle = page.getByRole('button', { name: 'Screen reader mode' });
  await toggle.click();
  await expect(toggle).toHaveAttribute('aria-pressed', 'true');
  await expect(page.locator('#lab-term-panel-0 .xterm-accessibility-tree')).toBeAttached();
  const region = page.getByTestId('terminal-announce');
  // role=log is a live region whose implicit aria-live is polite.
  await expect(region).toHaveAttribute('role', 'log');
  await page.locator('#lab-term-panel-0').click();
  await run(page, 'kubectl get deploy web');
  await expect(region).toContainText(/web\s+2\/2\s+2\s+2/);
  await toggle.click();
  await expect(region).toHaveText('');
});
