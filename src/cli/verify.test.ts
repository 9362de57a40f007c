import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from './main';
import { SUMMARY_RE, verifyLabs } from './verify';

async function capture(fn: (term: { out(s: string): void; err(s: string): void }) => Promise<number>) {
  let out = '';
  let err = '';
  const code = await fn({ out: (s) => void (out += s), err: (s) => void (err += s) });
  return { out, err, code };
}

const CM = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  mode: "off"\n';

/** A lab whose one task asks for cfg's mode to be `on`; `solution` decides whether it gets there. */
function lab(title: string, check: string, solution: string): string {
  return `title: ${title}
summary: A small lab used by the tests of lab verify, nothing more.
level: basic
minutes: 5
setup: [manifests/cm.yaml]
tasks:
  - id: turn-it-on
    title: Turn it on
    text: Set the mode of the ConfigMap cfg to on.
    checks:
${check}
solution:
  - ${solution}
`;
}

const MODE_ON = `      - {type: object, resource: configmap/cfg, jsonpath: "{.data.mode}", equals: "on"}`;
const PATCH_ON = `kubectl patch configmap cfg -p '{"data":{"mode":"on"}}'`;

function labsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cp-labs-'));
  const add = (slug: string, yaml: string) => {
    mkdirSync(join(dir, slug, 'manifests'), { recursive: true });
    writeFileSync(join(dir, slug, 'lab.yaml'), yaml);
    writeFileSync(join(dir, slug, 'manifests', 'cm.yaml'), CM);
  };
  add('good', lab('Good lab', MODE_ON, PATCH_ON));
  add('holds-before', lab('Holds before', `      - {type: object, resource: configmap/cfg, jsonpath: "{.data.mode}", equals: "off"}`, PATCH_ON));
  add('not-solved', lab('Not solved', MODE_ON, `kubectl get configmap cfg`));
  add('bad-schema', 'title: Broken lab\n');
  add('bad-setup', lab('Bad setup', MODE_ON, PATCH_ON));
  writeFileSync(join(dir, 'bad-setup', 'manifests', 'cm.yaml'), CM + '---\napiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports: [{port: 80}]\n');
  return dir;
}

describe('clusterpath lab verify', () => {
  it('passes a lab whose tasks are open before the solution and done after it', async () => {
    const r = await capture((t) => verifyLabs(['good'], t, { dir: labsDir() }));
    expect(r.out).toBe('PASS good (1 task)\nlab verify: 1 passed, 0 failed\n');
    expect(r.code).toBe(0);
  });

  it('-v shows every check, the solution and its output', async () => {
    const r = await capture((t) => verifyLabs(['good'], t, { dir: labsDir(), verbose: true }));
    expect(r.out).toBe(`PASS good (1 task)
  before the solution (every task must be open):
    ok   turn-it-on: open
      · configmap/cfg {.data.mode} is "off"; expected "on"
  solution (1 line):
    $ ${PATCH_ON}
      configmap/cfg patched
  after the solution (every task must be done):
    ok   turn-it-on: done
      ✓ configmap/cfg {.data.mode} is "on"; expected "on"
lab verify: 1 passed, 0 failed
`);
  });

  it('fails a task that holds before the solution (a check that cannot fail) and one the solution does not reach', async () => {
    const r = await capture((t) => verifyLabs(['holds-before', 'not-solved'], t, { dir: labsDir() }));
    expect(r.code).toBe(1);
    expect(r.out).toContain('FAIL holds-before (1 task)\n');
    expect(r.out).toContain('    BAD  turn-it-on: holds already\n      ✓ configmap/cfg {.data.mode} is "off"; expected "off"\n');
    expect(r.out).toContain('  ✗ task turn-it-on already holds before the solution: its checks cannot fail\n');
    expect(r.out).toContain('FAIL not-solved (1 task)\n');
    expect(r.out).toContain('    BAD  turn-it-on: NOT DONE\n      · configmap/cfg {.data.mode} is "off"; expected "on"\n');
    expect(r.out).toContain('  ✗ task turn-it-on does not hold after the solution\n');
    expect(r.out).toMatch(/lab verify: 0 passed, 2 failed\n$/);
  });

  it('reports an invalid lab and an unknown slug without stopping the others', async () => {
    const r = await capture((t) => verifyLabs(['bad-schema', 'nope', 'good'], t, { dir: labsDir() }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL bad-schema: labs\/bad-schema\/lab.yaml: summary: Required\n/);
    expect(r.out).toContain('FAIL nope: no lab "nope" (labs: bad-schema, bad-setup, good, holds-before, not-solved)\n');
    expect(r.out).toMatch(/PASS good \(1 task\)\nlab verify: 1 passed, 2 failed\n$/);
    expect(SUMMARY_RE.exec(r.out)?.slice(1)).toEqual(['1', '2']);
  });

  it('main runs lab verify on the real labs/ folder', async () => {
    const r = await capture((t) => main(['lab', 'verify', 'kube-proxy-first-look'], t));
    expect(r.out).toBe('PASS kube-proxy-first-look (3 tasks)\nlab verify: 1 passed, 0 failed\n');
    expect(r.code).toBe(0);
  });

  it('fails a lab whose setup the API server refuses, saying why', async () => {
    const r = await capture((t) => verifyLabs(['bad-setup'], t, { dir: labsDir() }));
    expect(r.code).toBe(1);
    expect(r.out).toMatch(/^FAIL bad-setup \(1 task\)\n/);
    expect(r.out).toContain('  ✗ setup: The Service "Web" is invalid: metadata.name: Invalid value: "Web": ');
  });

  it('npm test (scripts/test.mjs) reads the closing line with the same pattern', () => {
    expect(readFileSync(new URL('../../scripts/test.mjs', import.meta.url), 'utf8')).toContain(SUMMARY_RE.source.replace(/\//g, '\\/'));
  });

  it('refuses an unknown subcommand or option', async () => {
    expect(await capture((t) => main(['lab'], t))).toMatchObject({ code: 2, err: 'clusterpath: lab needs a subcommand: verify\n' });
    expect(await capture((t) => main(['lab', 'check'], t))).toMatchObject({ code: 2, err: 'clusterpath: unknown lab subcommand "check" (known: verify)\n' });
    expect((await capture((t) => main(['lab', 'verify', '--bogus'], t))).code).toBe(2);
  });
});
