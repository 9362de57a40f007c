// Shared helpers for the browser tests: the list of built pages and the page types.
import { readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import type { Page } from '@playwright/test';

export const DIST = new URL('../../dist/', import.meta.url).pathname;
export const LESSONS = new URL('../../content/lessons/', import.meta.url).pathname;

function walk(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) {
      if (e.name !== 'pagefind') walk(p, out);
    } else out.push(p);
  }
  return out;
}

export const distFiles = (): string[] => walk(DIST);

/** Every built HTML page as a URL path (`/lessons/x/`), the 404 page aside. */
export function builtPages(): string[] {
  return distFiles()
    .filter((f) => f.endsWith('.html') && !f.endsWith('404.html'))
    .map((f) => '/' + relative(DIST, f).replace(/index\.html$/, ''))
    .sort();
}

/** Every built lesson page (`/lessons/<slug>/`): what the per-lesson checks run over. */
export function lessonPages(): string[] {
  return builtPages().filter((p) => /^\/lessons\/[^/]+\/$/.test(p));
}

/** The lessons' sources (content/lessons/<slug>.mdx) as the page paths the build must produce. */
export function lessonSources(): string[] {
  return readdirSync(LESSONS)
    .filter((f) => f.endsWith('.mdx'))
    .map((f) => `/lessons/${f.replace(/\.mdx$/, '')}/`)
    .sort();
}

/** axe's serious and critical violations on the page as it is now, one line each (empty = pass). */
export async function seriousViolations(page: Page): Promise<string[]> {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** One page of each type, for screenshots and accessibility checks. */
export function pageTypes() {
  const pages = builtPages();
  const first = (re: RegExp) => {
    const p = pages.find((x) => re.test(x));
    if (!p) throw new Error(`no built page matches ${re}`);
    return p;
  };
  return {
    home: '/',
    lessons: '/lessons/',
    lesson: first(/^\/lessons\/[^/]+\/$/),
    labs: '/labs/',
    lab: first(/^\/labs\/[^/]+\/$/),
    quiz: '/quiz/',
    practice: '/quiz/practice/',
    mock: '/quiz/mock/',
    progress: '/progress/',
    search: '/search/?q=kube-proxy',
  };
}

/** Collects console errors, failed or third-party requests and CSP violations on a page. */
export function watchProblems(page: Page, base: string): string[] {
  const problems: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console error: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`uncaught: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(base) && !u.startsWith('data:') && !u.startsWith('blob:')) problems.push(`third-party request: ${u}`);
  });
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`);
  });
  void page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'}`);
    });
  });
  return problems;
}
