import { mkdirSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { watchProblems } from './site';

// The lab page's Packet path and Compare modes panels (src/components/trace/) in the built site.
const SHOTS = 'test-results/packet-path';

async function screen(page: Page): Promise<string> {
  return page.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

async function lastLine(page: Page): Promise<string> {
  const rows = (await screen(page)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

async function openLab(page: Page, slug: string): Promise<void> {
  await page.goto(`/labs/${slug}/`);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
  await page.locator('.lab-terminal-screen').click();
}

/** Types a line and waits for the next prompt. */
async function run(page: Page, line: string, timeout = 15_000): Promise<void> {
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  await expect.poll(() => lastLine(page), { timeout }).toBe('user@workstation:~$');
}

/** Tab (keyboard only) until the focused element matches `selector`. */
async function tabTo(page: Page, selector: string, max = 80): Promise<void> {
  for (let i = 0; i < max; i++) {
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
    await page.keyboard.press('Tab');
  }
  throw new Error(`Tab never reached ${selector}`);
}

async function shots(page: Page, name: string, panel: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  for (const size of [
    { name: 'desktop', width: 1280, height: 900 },
    { name: 'phone', width: 390, height: 844 },
  ]) {
    await page.setViewportSize({ width: size.width, height: size.height });
    for (const theme of ['light', 'dark'] as const) {
      await page.evaluate((t) => (document.documentElement.dataset.theme = t), theme);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      expect(overflow, `the lab page scrolls sideways at ${size.width}px`).toBeLessThanOrEqual(0);
      await page.locator(panel).screenshot({ path: `${SHOTS}/${name}-${size.name}-${theme}.png` });
    }
  }
  await page.setViewportSize({ width: 1280, height: 800 });
}

test('after a curl the panel shows its connections, the KUBE-SVC/KUBE-SEP rules and the endpoint; keyboard only', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page, 'traffic-path');
  const panel = page.locator('.trace-panel');
  await expect(panel).toContainText('No connection yet');
  await run(page, 'kubectl run debug --image=nicolaka/netshoot:v0.13 -- sleep infinity');
  await run(page, 'kubectl wait --for=condition=Ready pod/debug --timeout=60s', 60_000);
  await run(page, 'kubectl exec debug -- curl -s -o /dev/null web');

  // curl from a musl image: DNS A, DNS AAAA, then TCP — the last one open.
  const tabs = panel.getByRole('tab');
  await expect(tabs).toHaveCount(3);
  await expect(tabs.nth(0)).toContainText('DNS A web.default.svc.cluster.local.');
  await expect(tabs.nth(2)).toContainText('TCP web:80');
  await expect(tabs.nth(2)).toHaveAttribute('aria-selected', 'true');
  await expect(panel.locator('.pp-outcome')).toContainText('Connected');
  await expect(panel.locator('[role="status"]')).toContainText('the last TCP web:80: Connected');
  const rules = panel.locator('.pp-rule');
  await expect(rules.filter({ hasText: /^KUBE-SERVICES → KUBE-SVC-[A-Z2-7]{16}$/ }).first()).toBeVisible();
  await expect(rules.filter({ hasText: /^KUBE-SVC-[A-Z2-7]{16} → KUBE-SEP-[A-Z2-7]{16}$/ }).first()).toBeVisible();
  const dnat = (await rules.filter({ hasText: /DNAT → / }).first().textContent())!;
  const endpoint = /DNAT → (10\.244\.\d+\.\d+:80)$/.exec(dnat)![1]!;
  await expect(panel.locator('.pp-app .pp-hop-title')).toContainText(endpoint);
  await expect(panel.locator('svg[role="img"] desc')).toContainText('Outcome: Connected.');

  // Keyboard only: leave the terminal (Esc, Tab), reach the open tab, move between connections with the arrows.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await tabTo(page, '.trace-panel .pp-tab[aria-selected="true"]');
  await page.keyboard.press('ArrowLeft');
  await expect(tabs.nth(1)).toHaveAttribute('aria-selected', 'true');
  await expect(tabs.nth(1)).toBeFocused();
  await expect(panel.locator('.pp-outcome')).toContainText('DNS NOERROR');
  await page.keyboard.press('End');
  await expect(tabs.nth(2)).toHaveAttribute('aria-selected', 'true');
  // Then Tab to the first node's hop and open it: the rules exactly as iptables-save prints them.
  await tabTo(page, '.trace-panel .pp-node .pp-hop-button');
  const hop = panel.locator('.pp-node .pp-hop-button').first();
  await expect(hop).toBeFocused();
  // Under the sticky terminal, the focused hop is scrolled into view, not stuck below the screen.
  await expect(hop).toBeInViewport();
  await expect(hop).toHaveAttribute('aria-expanded', 'false');
  await page.keyboard.press('Enter');
  await expect(hop).toHaveAttribute('aria-expanded', 'true');
  const detail = panel.locator('.pp-node .pp-detail').first();
  await expect(detail).toBeVisible();
  await expect(detail.locator('pre').first()).toContainText(new RegExp(`-A KUBE-SEP-[A-Z2-7]{16} -p tcp -m comment --comment "default/web:http" -m tcp -j DNAT --to-destination ${endpoint.replace(/\./g, '\\.')}`));
  await expect(detail).toContainText(/conntrack: NEW original/);
  // The reply leg is folded until asked for.
  await tabTo(page, '.trace-panel .pp-reply-toggle');
  await expect(panel.locator('.pp-reply-toggle')).toBeInViewport();
  await page.keyboard.press('Space');
  await expect(panel.locator('.pp-reply-toggle')).toHaveAttribute('aria-expanded', 'true');
  await page.screenshot({ path: `${SHOTS}/lab-page-desktop.png` });
  await expect(panel.locator('.pp-reply .pp-list')).toBeVisible();

  const axe = await new AxeBuilder({ page }).include('.trace-panel').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await shots(page, 'packet-path', '.trace-panel');
  expect(problems).toEqual([]);
});

test('a NetworkPolicy drop: the denied verdict and why, and the outcome Timed out', async ({ page }) => {
  await openLab(page, 'networkpolicy-default-deny');
  await run(page, `kubectl apply -f - <<'EOF'
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: default-deny, namespace: shop}
spec: {podSelector: {}, policyTypes: [Ingress]}
EOF`);
  await run(page, 'kubectl -n shop exec frontend -- nc -z -w 1 10.96.120.120 8080', 20_000);
  const panel = page.locator('.trace-panel');
  await expect(panel.locator('.pp-outcome')).toContainText('Timed out');
  const denied = panel.locator('.pp-policy.pp-bad');
  await expect(denied).toContainText('NetworkPolicy ingress');
  await expect(denied).toContainText('denied (no-rule-allows)');
  await denied.locator('.pp-hop-button').click();
  await expect(denied.locator('.pp-detail')).toContainText('isolated by: default-deny');
});

test('Compare modes: a Service under iptables beside its IPVS virtual server and nftables chains, updated live', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page, 'ipvs-mode');
  const panel = page.locator('.compare-panel');
  const ipt = panel.locator('[data-mode="iptables"]');
  const ipvs = panel.locator('[data-mode="ipvs"]');
  await expect(panel.getByLabel('Service')).toHaveValue('default/web');
  await expect(ipt).toContainText('live on worker');
  await expect(ipt.locator('pre')).toContainText(/-A KUBE-SERVICES -d 10\.96\.110\.110\/32 -p tcp -m comment --comment "default\/web:http cluster IP" -m tcp --dport 80 -j KUBE-SVC-/);
  await expect(ipvs).toContainText('if kube-proxy ran this mode');
  await expect(ipvs.locator('.cmp-command')).toHaveText('ipvsadm -Ln -t 10.96.110.110:80');
  await expect(ipvs.locator('pre')).toContainText(/TCP {2}10\.96\.110\.110:80 rr/);
  await expect.poll(async () => ((await ipvs.locator('pre').textContent()) ?? '').match(/-> 10\.244\./g)?.length).toBe(2);
  const nft = panel.locator('[data-mode="nftables"]');
  await expect(nft).toContainText('if kube-proxy ran this mode');
  await expect(nft.locator('pre')).toContainText(/10\.96\.110\.110 \. tcp \. 80 : goto service-[A-Z2-7]{8}-default\/web\/tcp\/http/);

  // Scale up: both columns follow once the new Pods are ready.
  await run(page, 'kubectl scale deployment web --replicas=3');
  await expect.poll(async () => ((await ipvs.locator('pre').textContent()) ?? '').match(/-> 10\.244\./g)?.length, { timeout: 30_000 }).toBe(3);
  await expect.poll(async () => ((await ipt.locator('pre').textContent()) ?? '').match(/-j DNAT/g)?.length, { timeout: 30_000 }).toBe(3);
  await expect.poll(async () => ((await nft.locator('pre').textContent()) ?? '').match(/numgen random mod 3 vmap/g)?.length, { timeout: 30_000 }).toBe(1);

  // Another Service, picked with the keyboard.
  await panel.getByLabel('Service').selectOption('kube-system/kube-dns');
  await expect(ipvs.locator('.cmp-command')).toContainText('ipvsadm -Ln -u 10.96.0.10:53');

  const axe = await new AxeBuilder({ page }).include('.compare-panel').analyze();
  expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  await panel.getByLabel('Service').selectOption('default/web');
  await shots(page, 'compare-modes', '.compare-panel');
  expect(problems).toEqual([]);
});
