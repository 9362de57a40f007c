// After `astro build`: add the CSP to every page, then build the Pagefind search index
// (astro build wipes dist/, so both must run after it, every time).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as pagefind from 'pagefind';
import { withCsp } from './csp.mjs';

const dist = new URL('../dist/', import.meta.url).pathname;

async function* htmlFiles(dir) {
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) yield* htmlFiles(p);
    else if (e.name.endsWith('.html')) yield p;
  }
}

let pages = 0;
for await (const file of htmlFiles(dist)) {
  await writeFile(file, withCsp(await readFile(file, 'utf8')));
  pages++;
}

const { index, errors } = await pagefind.createIndex({});
if (!index) throw new Error(`pagefind: ${errors.join('; ')}`);
const added = await index.addDirectory({ path: dist });
if (added.errors.length > 0) throw new Error(`pagefind: ${added.errors.join('; ')}`);
const written = await index.writeFiles({ outputPath: join(dist, 'pagefind') });
if (written.errors.length > 0) throw new Error(`pagefind: ${written.errors.join('; ')}`);
await pagefind.close();
console.log(`postbuild: CSP on ${pages} pages; search index of ${added.page_count} pages`);
