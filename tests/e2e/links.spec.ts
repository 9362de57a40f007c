import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DIST, distFiles, lessonSources } from './site';

/** The dist/ file an internal URL path is served from, as a static host resolves it. */
function target(path: string): string | undefined {
  const clean = decodeURIComponent(path.split(/[?#]/)[0]!);
  const candidates = clean.endsWith('/') ? [join(DIST, clean, 'index.html')] : [join(DIST, clean), join(DIST, clean, 'index.html'), join(DIST, `${clean}.html`)];
  return candidates.find((c) => existsSync(c));
}

test('no internal link or asset in dist/ points to a missing file', () => {
  const missing: string[] = [];
  const pages = distFiles().filter((f) => f.endsWith('.html'));
  // Every lesson is among the pages checked (the lesson list comes from its sources).
  for (const lesson of lessonSources()) expect(pages).toContain(join(DIST, lesson, 'index.html'));
  let checked = 0;
  for (const file of pages) {
    const html = readFileSync(file, 'utf8');
    for (const m of html.matchAll(/\s(?:href|src)="([^"]+)"/g)) {
      const url = m[1]!;
      // A link within the page (a lesson's table of contents, a footnote): its target must exist.
      if (url.startsWith('#') && url.length > 1) {
        checked++;
        if (!html.includes(`id="${decodeURIComponent(url.slice(1))}"`)) missing.push(`${file.slice(DIST.length)} → ${url} (no such id on the page)`);
        continue;
      }
      if (!url.startsWith('/') || url.startsWith('//')) continue;
      checked++;
      if (!target(url)) missing.push(`${file.slice(DIST.length)} → ${url}`);
      // A fragment must exist on the target page.
      const [path, frag] = url.split('#');
      if (frag && path) {
        const page = target(path);
        if (page && !readFileSync(page, 'utf8').includes(`id="${frag}"`)) missing.push(`${file.slice(DIST.length)} → ${url} (no #${frag})`);
      }
    }
  }
  expect(checked).toBeGreaterThan(20);
  expect(missing).toEqual([]);
});

test('the sitemap lists every page', () => {
  const sitemap = readFileSync(join(DIST, 'sitemap-0.xml'), 'utf8');
  for (const p of ['/', '/lessons/', '/labs/', '/quiz/']) expect(sitemap).toContain(`${p}</loc>`);
});
