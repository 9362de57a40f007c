import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_HELP, chromiumPath } from './chromium.mjs';

describe('chromiumPath', () => {
  const only = (...present: string[]) => (p: string) => present.includes(p);
  it('uses CHROMIUM_PATH when it exists', () => {
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/c/chrome' }, only('/opt/c/chrome', '/usr/bin/chromium'))).toBe('/opt/c/chrome');
  });
  it('does not fall back when CHROMIUM_PATH is wrong', () => {
    expect(chromiumPath({ CHROMIUM_PATH: '/nope' }, only('/usr/bin/chromium'))).toBeUndefined();
  });
  it("finds Debian's chromium, and nothing when none is installed", () => {
    expect(chromiumPath({}, only('/usr/bin/chromium'))).toBe('/usr/bin/chromium');
    expect(chromiumPath({}, only())).toBeUndefined();
  });
});

describe('npm test without Chromium', () => {
  it('stops at once with one line saying how to install it', () => {
    const r = spawnSync('node', ['scripts/test.mjs'], { encoding: 'utf8', env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' } });
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${CHROMIUM_HELP}\n`);
  });
});
