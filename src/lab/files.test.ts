import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { labSlugs, loadLab } from './files';

function labsDir(labYaml: string, files: Record<string, string> = {}): string {
  const dir = mkdtempSync(join(tmpdir(), 'clusterpath-labs-'));
  mkdirSync(join(dir, 'demo', 'manifests'), { recursive: true });
  writeFileSync(join(dir, 'demo', 'lab.yaml'), labYaml);
  for (const [f, t] of Object.entries(files)) writeFileSync(join(dir, 'demo', f), t);
  return dir;
}

const LAB = `title: Demo lab
summary: A lab that exists only in this test.
level: basic
minutes: 5
cluster: {cni: flannel}
setup: [manifests/web.yaml]
tasks:
  - id: t
    title: A task
    text: Do the thing.
    checks: [{type: file, path: ~/x, contains: y}]
solution: [echo y > ~/x]
`;

describe('loadLab', () => {
  it('returns the ClusterConfig overrides first, then the setup files', () => {
    const dir = labsDir(LAB, { 'manifests/web.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: web}\n' });
    const r = loadLab('demo', dir);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.manifests.map((m) => m.source)).toEqual(['labs/demo/lab.yaml (cluster)', 'labs/demo/manifests/web.yaml']);
    expect(r.manifests[0]!.text).toBe('apiVersion: clusterpath.dev/v1alpha1\nkind: ClusterConfig\ncni: flannel\n');
  });

  it('names an unknown lab and lists the known ones', () => {
    const dir = labsDir(LAB, { 'manifests/web.yaml': '' });
    expect(loadLab('nope', dir)).toEqual({ ok: false, error: 'no lab "nope" (labs: demo)' });
    expect(labSlugs(dir)).toEqual(['demo']);
  });

  it('names the line and column of a YAML syntax error, with no stack trace', () => {
    const bad = LAB.replace('    title: A task', '   title: A task');
    expect(loadLab('demo', labsDir(bad, { 'manifests/web.yaml': '' }))).toEqual({
      ok: false, error: 'labs/demo/lab.yaml: line 9, column 1: Sequence item without - indicator',
    });
  });

  it('reports a missing setup file and a schema error with the field', () => {
    expect(loadLab('demo', labsDir(LAB))).toEqual({ ok: false, error: 'labs/demo/lab.yaml: setup file manifests/web.yaml does not exist' });
    const bad = loadLab('demo', labsDir(LAB.replace('level: basic', 'level: expert'), { 'manifests/web.yaml': '' }));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.error).toMatch(/^labs\/demo\/lab\.yaml: level: Invalid enum value/);
  });

  it('loads the real labs of this repository', () => {
    for (const slug of labSlugs()) expect(loadLab(slug).ok, slug).toBe(true);
  });
});
