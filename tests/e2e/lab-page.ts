// Helpers for driving a lab page like a learner: type into the terminal, read it back, write a
// file in the editor and press Apply, read the task list.
import { expect, type Page } from '@playwright/test';

export const PROMPT = 'user@workstation:~$';

/** The terminal's buffer as text, wrapped rows joined (the island exposes it on its element). */
export async function screen(page: Page): Promise<string> {
  return page.locator('.lab-terminal-screen').evaluate((el) => (el as HTMLElement & { terminalText: () => string }).terminalText());
}

export async function lastLine(page: Page): Promise<string> {
  const rows = (await screen(page)).split('\n').map((r) => r.trimEnd()).filter(Boolean);
  return rows[rows.length - 1] ?? '';
}

/** The commands and outputs in the scrollback, without the start-up banner. */
export const scrollback = (text: string) => text.replace(/^(Starting cluster…|Restoring your session…)\n/, '').trimEnd();

/** Opens a lab page (or a share link) and waits until its cluster runs and the terminal takes keys. */
export async function openLab(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.lab-terminal-screen[data-accepting]')).toBeVisible();
  await expect(page.locator('.lab-terminal-status')).toHaveText('Cluster running', { timeout: 20_000 });
}

/** Types a line into the terminal and waits for the next prompt; returns what the command printed. */
export async function run(page: Page, line: string, prompt = PROMPT): Promise<string> {
  await page.locator('.lab-terminal-screen').click();
  const before = (await screen(page)).trimEnd();
  await page.keyboard.type(line);
  await page.keyboard.press('Enter');
  // endsWith: output without a final newline (agnhost's /hostname) runs into the prompt, as in bash.
  await expect.poll(async () => (await lastLine(page)).endsWith(prompt), { timeout: 15_000, message: `prompt after: ${line}` }).toBe(true);
  // The output lies between the echoed line (its last row, for a heredoc) and the new prompt.
  const after = (await screen(page)).trimEnd();
  const echoed = line.split('\n').pop()!;
  const from = after.indexOf(echoed, after.startsWith(before) ? before.length : 0) + echoed.length;
  return after.slice(from, after.lastIndexOf(prompt)).replace(/^[ \t]*\n/, '').trimEnd();
}

/**
 * Opens the editor (Monaco loads on first open) and waits for the cursor in it: the panel is
 * ready before it has read the first file from the worker, and that file replaces whatever the
 * editor showed; the focus comes once it is open.
 */
export async function openEditor(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Open editor' }).click();
  await expect(page.locator('.lab-editor-panel[data-ready="true"]')).toBeVisible({ timeout: 20_000 });
  await expect(page.locator('.lab-editor-host .monaco-editor.focused')).toBeVisible();
}

export async function editorText(page: Page): Promise<string> {
  return page.locator('.lab-editor-host').evaluate((el) => (el as HTMLElement & { editorText?: () => string }).editorText?.() ?? '');
}

/**
 * Puts text into Monaco the way a paste does (typing would auto-indent and accept suggestions
 * on Enter): a paste event on the focused element inside the editor.
 */
export async function pasteIntoEditor(page: Page, text: string): Promise<void> {
  await page.evaluate((t) => {
    const dt = new DataTransfer();
    dt.setData('text/plain', t);
    document.activeElement!.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, text);
}

/**
 * Writes a new file ~/NAME in the editor (opening it if needed), saves it with Ctrl-S, presses
 * Apply and waits for kubectl's answer in the terminal.
 */
export async function applyFromEditor(page: Page, name: string, yaml: string, expectOutput: RegExp): Promise<void> {
  if (!(await page.locator('.lab-editor-panel[data-ready="true"]').isVisible())) await openEditor(page);
  await page.getByRole('button', { name: 'New file' }).click();
  await page.getByLabel('New file in ~/').fill(name);
  await page.keyboard.press('Enter');
  await expect(page.getByLabel('File')).toHaveValue(name);
  await expect(page.locator('.lab-editor-host .monaco-editor.focused')).toBeVisible();
  await pasteIntoEditor(page, yaml);
  await expect.poll(() => editorText(page)).toBe(yaml);
  await expect(page.locator('.lab-editor-problems')).toHaveText('No problems', { timeout: 15_000 });
  await page.keyboard.press('Control+S');
  await expect(page.locator('.lab-editor-status')).toHaveText(`Saved ~/${name}`);
  await page.getByRole('button', { name: 'Apply' }).click();
  await expect.poll(() => screen(page)).toContain(`${PROMPT} kubectl apply -f ~/${name}`);
  await expect.poll(() => screen(page), { timeout: 15_000 }).toMatch(expectOutput);
  await expect.poll(() => lastLine(page), { timeout: 15_000 }).toBe(PROMPT);
}

/** The task list: which tasks are done, and the progress label. */
export async function doneTasks(page: Page): Promise<string[]> {
  return page.locator('li.task[data-done="true"]').evaluateAll((els) => els.map((e) => e.id.replace(/^task-/, '')));
}

export async function expectProgress(page: Page, done: string[], total: number): Promise<void> {
  await expect.poll(() => doneTasks(page), { timeout: 15_000 }).toEqual(done);
  await expect(page.locator('.lab-progress-label')).toHaveText(`${done.length} of ${total} tasks done`);
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuenow', String(done.length));
  await expect(page.getByRole('progressbar')).toHaveAttribute('aria-valuemax', String(total));
}
