// The layers of DESIGN.md §2, enforced: imports go only downwards, and a folder is entered
// through its index.ts. (src/engine has its own stricter test: no node:, no DOM, no clock.)
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = new URL('../src/', import.meta.url).pathname;

/** Which top-level folders of src/ each folder may import from. */
const ALLOWED: Record<string, string[]> = {
  engine: [],
  lessons: ['shell', 'engine'],
  shell: ['engine'],
  cli: ['shell', 'engine', 'lab', 'quiz'],
  lab: ['shell', 'engine', 'lessons'],
  quiz: ['shell', 'engine', 'lessons'],
  terminal: ['shell'],
  editor: ['shell'],
};

/** Folders that must be entered through their index.ts from outside. */
const FACADES = ['engine', 'shell'];

function files(dir: string, out: string[] = []): string[] {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) files(p, out);
    else if (/\.(ts|tsx|astro|mjs)$/.test(e.name)) out.push(p);
  }
  return out;
}

const top = (abs: string) => relative(SRC, abs).split('/')[0]!;

function violations(): string[] {
  const bad: string[] = [];
  for (const file of files(SRC)) {
    const from = top(file);
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/^\s*(?:import|export)[^'"]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|import\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/gm)) {
      const spec = (m[1] ?? m[2])!;
      const target = resolve(dirname(file), spec);
      if (!target.startsWith(SRC)) continue;
      const to = top(target);
      if (to === from) continue;
      const rel = relative(SRC, file);
      if (from in ALLOWED && !ALLOWED[from]!.includes(to)) bad.push(`${rel}: ${from}/ may not import ${to}/ (${spec})`);
      if (FACADES.includes(to) && relative(join(SRC, to), target).replace(/(\/index)?(\.ts)?$/, '') !== '') {
        bad.push(`${rel}: enter ${to}/ through its index.ts, not ${spec}`);
      }
    }
  }
  return bad;
}

describe('layering', () => {
  it('imports only go downwards and enter engine/ and shell/ through index.ts', () => {
    expect(violations()).toEqual([]);
  });
});
