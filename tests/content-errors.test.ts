// An author's mistake in a lesson, lab or quiz file must fail the build and name the file
// and the field. Each case copies the project's content to a temp folder, breaks one
// field, and runs `astro sync` (the content step of `astro build`).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const root = new URL('..', import.meta.url).pathname;
const made: string[] = [];

function projectWith(file: string, edit: (text: string) => string): string {
  const dir = mkdtempSync(join(tmpdir(), 'clusterpath-content-'));
  made.push(dir);
  for (const f of ['astro.config.mjs', 'package.json', 'tsconfig.json', 'src', 'content', 'labs', 'public']) {
    cpSync(join(root, f), join(dir, f), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
  const path = join(dir, file);
  const before = readFileSync(path, 'utf8');
  const after = edit(before);
  expect(after).not.toBe(before);
  writeFileSync(path, after);
  return dir;
}

function sync(dir: string) {
  const r = spawnSync('npx', ['astro', 'sync'], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' } });
  return { status: r.status, output: r.stdout + r.stderr };
}

afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

describe('malformed content fails the build naming the file and the field', () => {
  it('a lesson with a level outside the enum', () => {
    const r = sync(projectWith('content/lessons/services.mdx', (t) => t.replace(/^level: \w+$/m, 'level: expert')));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('content/lessons/services.mdx');
    expect(r.output).toMatch(/level.*Expected 'basic' \| 'intermediate' \| 'advanced', received 'expert'/);
  });

  it('a quiz question whose answer is not a number', () => {
    const r = sync(projectWith('content/quiz/kube-proxy.yaml', (t) => t.replace(/^( {4}answer:) \d+$/m, '$1 one')));
    expect(r.status).not.toBe(0);
    expect(r.output).toMatch(/content\/quiz\/kube-proxy\.yaml: questions\[\d+\] \([a-z0-9-]+\)/);
    expect(r.output).toMatch(/answer.*Expected type `"number"`, received `"string"`/);
  });

  it('a lab task check of an unknown type', () => {
    const r = sync(projectWith('labs/kube-proxy-first-look/lab.yaml', (t) => t.replace(/type: reach/, 'type: teleport')));
    expect(r.status).not.toBe(0);
    expect(r.output).toContain('labs/kube-proxy-first-look/lab.yaml');
    expect(r.output).toMatch(/tasks\.0\.checks\.\d+\.type/);
    expect(r.output).toContain("Invalid discriminator value. Expected 'object' | 'reach' | 'dns' | 'rule' | 'ipvs' | 'file'");
  });
}, 60_000);
