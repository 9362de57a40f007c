import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { pageTypes, seriousViolations, watchProblems } from './site';

// The lab editor in the built site: Monaco + monaco-yaml loaded on first open, files shared
// with the terminal's shell, Apply typed into the terminal, and `kubectl edit` opening it.
// A lab whose setup has a Service `web` (kubectl edit svc web) and starts with nothing in ~.
const LAB = pageTypes().labs + 'kube-proxy-first-look/';
/** What only the editor fetches: Monaco's chunk, its two workers, the schema. */
const EDITOR_ASSET = /\/(monaco\.[^/]*\.(js|css)|editor\.worker-[^/]*\.js|yaml\.worker-[^/]*\.js|codicon\.[^/]*\.ttf|EditorPanel\.[^/]*\.js)$|\/editor\/kubernetes\.schema\.json$/;

async function screen(page: Page): Promise<string> {
  return page.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

async function editorText(page: Page): Promise<string> {
  return page.locator('.lab-editor-host').evaluate((el) => (el as HTMLElement & { editorText?: () => string }).editorText?.() ?? '');
}

async function openLab(page: Page): Promise<void> {
  await page.goto(LAB);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 15_000 });
}

async function runInTerminal(page: Page, line: string): Promise<void> {
  await page.locator('.lab-terminal-screen').click();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
}

/**
 * Puts text into Monaco the way a paste does (typing would auto-indent and accept suggestions
 * on Enter): a paste event on the focused element inside the editor.
 */
async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * Opens the editor with the keyboard: focus the button, press Enter. Then waits for the cursor
 * in it, as a learner does: the panel is ready before it has read the first file from the
 * worker, and that file then replaces whatever was pasted or typed; the focus comes once it is open.
 */
async function openEditor(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open editor' }).focus();
  await page.keyboard.press('Enter');
  await expect(page.locator('.lab-editor-panel[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.lab-editor-host .monaco-editor.focused')).toBeVisible();
}

/** monaco-yaml underlines schema mismatches as warnings and YAML syntax errors as errors. */
const SQUIGGLE = '.lab-editor-host :is(.squiggly-warning, .squiggly-error)';

const BROKEN = `apiVersion: v1
kind: Service
metadata:
  name: x
spec:
  selector:
    app: web
  ports:
  - port: eighty
    targetPort: 80
`;

/** By keyboard, as a learner edits: find `line` with Ctrl+F, and replace its last `chars` characters with `text`. */
async function replaceAtLineEnd(page: Page, line: string, chars: number, text: string): Promise<void> {
  await page.locator('.lab-editor-host .monaco-editor').click();
  await page.keyboard.press('Control+F');
  await page.keyboard.type(line);
  await page.keyboard.press('Escape');
  await page.keyboard.press('End');
  for (let i = 0; i < chars; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type(text);
}

test('no editor asset is fetched before the editor is opened; opening fetches them from our origin', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  const fetched: string[] = [];
  page.on('request', (r) => fetched.push(r.url()));
  page.on('worker', (w) => fetched.push(w.url()));
  await openLab(page);
  await runInTerminal(page, 'kubectl get svc web');
  await expect.poll(() => screen(page)).toMatch(/^web\s+ClusterIP/m);
  await page.waitForLoadState('networkidle');
  expect(fetched.filter((u) => EDITOR_ASSET.test(u))).toEqual([]);
  await openEditor(page);
  // The lab starts with nothing in ~, so the editor opens a new, empty manifest.yaml. The
  // schema is loaded when monaco-yaml validates it as yaml-language-server does an empty file
  // (since its PR #426): the root object's required apiVersion and kind are missing.
  await expect(page.getByLabel('File')).toHaveValue('manifest.yaml');
  await expect(page.locator('.lab-editor-problems')).toHaveText('2 problems (F8 goes through them)', { timeout: 15_000 });
  const editorAssets = fetched.filter((u) => EDITOR_ASSET.test(u));
  // Monaco's own editor worker starts when a feature needs it; the YAML worker at once.
  for (const re of [/monaco\.[^/]*\.js$/, /yaml\.worker-[^/]*\.js$/, /kubernetes\.schema\.json$/]) {
    expect(editorAssets.some((u) => re.test(u)), `${re} fetched on open`).toBe(true);
  }
  expect(editorAssets.every((u) => u.startsWith(baseURL!))).toBe(true);
  const ms = await page.evaluate(() => {
    const open = performance.getEntriesByName('clusterpath:editor-open')[0]!.startTime;
    return Math.round(performance.getEntriesByName('clusterpath:editor-ready')[0]!.startTime - open);
  });
  console.log(`editor: open → ready in ${ms} ms`);
  expect(problems).toEqual([]);
});

test('write a Service with a mistake, see it underlined, fix it, save and apply, all by keyboard', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  // A half-typed line in the terminal must not end up in front of Apply's command.
  await page.locator('.lab-terminal-screen').click();
  await page.keyboard.type('kubec');
  await openEditor(page);
  // New file, named by keyboard.
  await page.getByRole('button', { name: 'New file' }).focus();
  await page.keyboard.press('Enter');
  await page.getByLabel('New file in ~/').fill('x.yaml');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('File')).toHaveValue('x.yaml');
  // Monaco has focus.
  await expect(page.locator('.lab-editor-host .monaco-editor.focused')).toBeVisible();
  await pasteIntoEditor(page, BROKEN);
  await expect.poll(() => editorText(page)).toBe(BROKEN);
  // Lines are laid out one under the other: Monaco's inline positions survived the CSP
  // (src/editor/csp.ts moves them into constructed stylesheets).
  const tops = await page.locator('.lab-editor-host .view-line').evaluateAll((els) => els.map((e) => Math.round(e.getBoundingClientRect().top)));
  expect(new Set(tops).size).toBe(tops.length);
  expect(tops.length).toBeGreaterThanOrEqual(10);
  // monaco-yaml checks it against the schema: port must be an integer.
  await expect(page.locator(SQUIGGLE).first()).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('.lab-editor-problems')).toHaveText(/^1 problem/);
  await page.keyboard.press('Control+Home');
  // Fix: select "eighty" on line 9 and type 80.
  for (let i = 0; i < 8; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('End');
  for (let i = 0; i < 6; i++) await page.keyboard.press('Shift+ArrowLeft');
  await page.keyboard.type('80');
  await expect.poll(() => editorText(page)).toBe(BROKEN.replace('eighty', '80'));
  await expect(page.locator('.lab-editor-problems')).toHaveText('No problems', { timeout: 15_000 });
  await expect(page.locator(SQUIGGLE)).toHaveCount(0);
  // Ctrl-S inside Monaco saves to ~/x.yaml.
  await page.keyboard.press('Control+S');
  await expect(page.locator('.lab-editor-status')).toHaveText('Saved ~/x.yaml');
  // Escape leaves the editor: focus lands on Save, Tab reaches Apply, Enter applies.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('button', { name: 'Save' })).toBeFocused();
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Apply' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => screen(page)).toContain('user@workstation:~$ kubectl apply -f ~/x.yaml');
  await expect.poll(() => screen(page)).toMatch(/^service\/x created$/m);
  // The shell reads the same file.
  await runInTerminal(page, 'cat ~/x.yaml');
  await expect.poll(() => screen(page)).toContain('  - port: 80\n    targetPort: 80');
  // Apply went into the terminal's history.
  await page.keyboard.press('ArrowUp');
  await page.keyboard.press('ArrowUp');
  await expect.poll(async () => (await screen(page)).trimEnd().split('\n').pop()).toBe('user@workstation:~$ kubectl apply -f ~/x.yaml');
  await page.keyboard.press('Control+U');
  // A change made in the terminal shows in the editor after the command.
  await runInTerminal(page, "sed -i 's/port: 80$/port: 8080/' ~/x.yaml");
  await expect.poll(() => editorText(page)).toContain('  - port: 8080\n');
  await expect(page.locator('.lab-editor-status')).toHaveText(/changed on disk: reloaded/);
  expect(problems).toEqual([]);
});

test('completion offers the fields of the kind being written, hover shows their docs', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await openEditor(page);
  await pasteIntoEditor(page, 'apiVersion: v1\nkind: Service\nmetadata:\n  name: c\nspec:\n  ');
  await page.keyboard.press('Control+Space');
  const suggest = page.locator('.lab-editor-host .suggest-widget');
  await expect(suggest).toBeVisible({ timeout: 10_000 });
  // ServiceSpec's fields (from the engine's OpenAPI slice), not a Deployment's.
  await expect(suggest).toContainText('externalTrafficPolicy');
  await expect(suggest).toContainText('clusterIP');
  // Typing narrows the list (it is virtualised, so look for later fields by filtering).
  await page.keyboard.type('sessionAff');
  await expect(suggest).toContainText('sessionAffinityConfig');
  for (let i = 0; i < 'sessionAff'.length; i++) await page.keyboard.press('Backspace');
  await page.keyboard.type('replic');
  await page.keyboard.press('Control+Space');
  await expect(page.locator('.lab-editor-host .suggest-widget.visible, .lab-editor-host .suggest-widget.message')).not.toContainText('replicas');
  await page.keyboard.press('Escape');
  await expect(suggest).toBeHidden();
  // Hover on a key: its description.
  await page.locator('.lab-editor-host .view-line', { hasText: /^kind:\sService$/ }).locator('span', { hasText: 'kind' }).first().hover();
  await expect(page.locator('.monaco-hover').filter({ hasText: 'Kind is a string value representing the REST resource' })).toBeVisible({ timeout: 10_000 });
  expect(problems).toEqual([]);
});

test('kubectl edit opens the live object in the editor; Save applies it, Cancel changes nothing', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  // Before the editor was ever opened: kubectl edit opens it.
  await runInTerminal(page, 'kubectl edit svc web');
  await expect(page.locator('.lab-editor-panel[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect.poll(() => editorText(page)).toContain("# Please edit the object below. Lines beginning with a '#' will be ignored,\n");
  expect(await editorText(page)).toMatch(/\nkind: Service\nmetadata:\n/);
  await expect(page.locator('.lab-editor-file')).toContainText(/kubectl edit \/tmp\/kubectl-edit-\d+\.yaml/);
  // Cancel: kubectl says nothing changed.
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => screen(page)).toContain('Edit cancelled, no changes made.');
  // Again, change the selector's value and save with Ctrl-S.
  await runInTerminal(page, 'kubectl edit svc web');
  await expect.poll(() => editorText(page)).toContain('# Please edit the object below.');
  await replaceAtLineEnd(page, 'sessionAffinity: None', 4, 'ClientIP');
  await expect.poll(() => editorText(page)).toContain('sessionAffinity: ClientIP');
  await page.keyboard.press('Control+S');
  await expect.poll(() => screen(page)).toMatch(/^service\/web edited$/m);
  await runInTerminal(page, "kubectl get svc web -o jsonpath='{.spec.sessionAffinity}{\"\\n\"}'");
  await expect.poll(() => screen(page)).toMatch(/^ClientIP$/m);
  // An invalid edit comes back with the API server's reasons in the header, as kubectl reopens
  // the file; closing it unchanged gives up and keeps a copy.
  await runInTerminal(page, 'kubectl edit svc web');
  await expect.poll(() => editorText(page)).toContain('sessionAffinity: ClientIP');
  await replaceAtLineEnd(page, 'sessionAffinity: ClientIP', 8, 'Sticky');
  await page.keyboard.press('Control+S');
  await expect
    .poll(() => editorText(page))
    .toContain('# services "web" was not valid:\n# * spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None"\n#\n');
  await page.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => screen(page)).toMatch(/error: services "web" is invalid\nA copy of your changes has been stored to "\/tmp\/kubectl-edit-\d+\.yaml"\nerror: Edit cancelled, no valid changes were saved\./);
  expect(problems).toEqual([]);
});

/** Terminal tab `i`'s buffer as text (with two tabs open there are two screens). */
async function tabScreen(page: Page, i: number): Promise<string> {
  return page.locator(`#lab-term-panel-${i}`).evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

async function tabLastLine(page: Page, i: number): Promise<string> {
  const rows = (await tabScreen(page, i)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: x
spec:
  selector:
    app: web
  ports:
  - port: 80
`;

test('Apply types into the terminal tab in view, or the idle one when it runs a command; kubectl edit in tab 2 answers tab 2', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  const tab1 = page.getByRole('tab', { name: 'Terminal 1' });
  const tab2 = page.getByRole('tab', { name: 'Terminal 2' });
  await tab2.click();
  await expect(page.locator('#lab-term-panel-1[data-accepting]')).toBeVisible();
  await openEditor(page);
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByLabel('New file in ~/').fill('x.yaml');
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('File')).toHaveValue('x.yaml');
  await expect(page.locator('.lab-editor-host .monaco-editor.focused')).toBeVisible();
  await pasteIntoEditor(page, SERVICE);
  await expect(page.locator('.lab-editor-problems')).toHaveText('No problems', { timeout: 15_000 });
  // Apply by keyboard (Escape leaves Monaco for Save; Tab reaches Apply): into Terminal 2, the tab in view.
  await page.keyboard.press('Escape');
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Apply' })).toBeFocused();
  await page.keyboard.press('Enter');
  await expect.poll(() => tabScreen(page, 1)).toMatch(/^user@workstation:~\$ kubectl apply -f ~\/x\.yaml\nservice\/x created$/m);
  await expect(page.locator('.lab-editor-status')).toHaveText('Saved ~/x.yaml and ran kubectl apply -f ~/x.yaml in Terminal 2');
  await expect(tab2).toHaveAttribute('aria-selected', 'true');
  expect(await tabScreen(page, 0)).not.toContain('kubectl apply');

  // Terminal 2 busy with a ping that runs until Ctrl-C: Apply goes to Terminal 1 and shows it.
  await page.locator('#lab-term-panel-1').click();
  await page.keyboard.type('ping 172.18.0.3');
  await page.keyboard.press('Enter');
  await expect.poll(() => tabScreen(page, 1)).toMatch(/^64 bytes from 172\.18\.0\.3: icmp_seq=1 /m);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect(tab1).toHaveAttribute('aria-selected', 'true');
  await expect(page.locator('#lab-term-panel-0')).toBeVisible();
  await expect.poll(() => tabScreen(page, 0)).toMatch(/^user@workstation:~\$ kubectl apply -f ~\/x\.yaml\nservice\/x unchanged$/m);
  await expect(page.locator('.lab-editor-status')).toHaveText('Saved ~/x.yaml. Terminal 2 is running a command, so kubectl apply -f ~/x.yaml ran in Terminal 1.');
  await page.locator('.lab-terminal').screenshot({ path: 'test-results/screenshots/editor-apply-busy-tab-terminal.png' });
  await page.locator('.lab-editor-panel').screenshot({ path: 'test-results/screenshots/editor-apply-busy-tab-editor.png' });
  const results = await new AxeBuilder({ page }).analyze();
  expect(results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id}: ${v.help}`)).toEqual([]);
  // The ping never saw the line.
  expect((await tabScreen(page, 1)).match(/kubectl apply/g)).toHaveLength(1);
  await tab2.click();
  await page.locator('#lab-term-panel-1').click();
  await page.keyboard.press('Control+C');
  await expect.poll(() => tabLastLine(page, 1)).toBe('user@workstation:~$');

  // kubectl edit typed in Terminal 2 while Terminal 1 is in view meanwhile: the saved edit goes back to Terminal 2's kubectl.
  await page.keyboard.type('kubectl edit svc x');
  await page.keyboard.press('Enter');
  await expect.poll(() => editorText(page)).toContain('# Please edit the object below.');
  await tab1.click();
  // The tab gives its terminal the keyboard a moment later (setTimeout 0): wait for it, or it
  // takes the focus back from the editor in the middle of the edit below.
  await expect(page.locator('#lab-term-panel-0 textarea')).toBeFocused();
  await replaceAtLineEnd(page, 'sessionAffinity: None', 4, 'ClientIP');
  await page.keyboard.press('Control+S');
  await expect.poll(() => tabScreen(page, 1)).toMatch(/^user@workstation:~\$ kubectl edit svc x\nservice\/x edited$/m);
  expect(await tabScreen(page, 0)).not.toContain('edited');
  await expect.poll(() => tabLastLine(page, 1)).toBe('user@workstation:~$');
  expect(problems).toEqual([]);
});

test('axe finds nothing serious with the editor open, in both themes (also after the find widget was used)', async ({ page, baseURL }) => {
  const problems = watchProblems(page, baseURL!);
  await openLab(page);
  await openEditor(page);
  await pasteIntoEditor(page, BROKEN);
  await expect(page.locator(SQUIGGLE).first()).toBeVisible({ timeout: 15_000 });
  // Opened and closed, Monaco's find widget stays in the page, hidden: nothing in it may take focus.
  await page.locator('.lab-editor-host .monaco-editor').click();
  await page.keyboard.press('Control+F');
  await expect(page.locator('.find-widget.visible')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.locator('.find-widget[aria-hidden="true"] textarea, .find-widget[aria-hidden="true"] input').first()).toHaveAttribute('tabindex', '-1');
  // Opened again, it takes the keys as before.
  await page.keyboard.press('Control+F');
  await expect(page.locator('.find-widget.visible textarea, .find-widget.visible input').first()).toBeFocused();
  await page.keyboard.press('Escape');
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    expect(await seriousViolations(page)).toEqual([]);
  }
  expect(problems).toEqual([]);
});

for (const size of [
  { name: 'phone', width: 390, height: 844 },
  { name: 'desktop', width: 1280, height: 800 },
]) {
  for (const scheme of ['light', 'dark'] as const) {
    test(`editor screenshot at ${size.width}px, ${scheme}`, async ({ page }) => {
      await page.setViewportSize({ width: size.width, height: size.height });
      await page.emulateMedia({ colorScheme: scheme });
      await openLab(page);
      await openEditor(page);
      await pasteIntoEditor(page, BROKEN);
      await expect(page.locator(SQUIGGLE).first()).toBeVisible({ timeout: 15_000 });
      await page.locator('.lab-editor-panel').scrollIntoViewIfNeeded();
      await page.screenshot({ path: `test-results/screenshots/editor-${size.name}-${scheme}.png` });
      // Nothing wider than the screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    });
  }
}
