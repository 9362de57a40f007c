import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import { labSchema, type LabData } from './schema';

/**
 * Reading labs from disk, for the CLI (`clusterpath run --lab`, `lab verify`). The site gets
 * the same data through its content collection; both validate with `labSchema`.
 */
export const LABS_DIR = new URL('../../labs/', import.meta.url).pathname;

export type LabLoad = { ok: true; lab: LabData; manifests: { text: string; source: string }[] } | { ok: false; error: string };

export function labSlugs(dir = LABS_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'lab.yaml')))
    .map((e) => e.name)
    .sort();
}

/** A lab and what its cluster starts from: the ClusterConfig overrides, then the setup files. */
export function loadLab(slug: string, dir = LABS_DIR): LabLoad {
  const file = join(dir, slug, 'lab.yaml');
  if (!/^[a-z0-9][a-z0-9-]*$/.test(slug) || !existsSync(file)) {
    const known = existsSync(dir) ? labSlugs(dir).join(', ') : '';
    return { ok: false, error: `no lab "${slug}"${known ? ` (labs: ${known})` : ''}` };
  }
  // A YAML syntax error names its line and column, never a stack trace.
  const doc = parseDocument(readFileSync(file, 'utf8'));
  const syntax = doc.errors[0];
  if (syntax) {
    const at = syntax.linePos?.[0];
    const where = at ? ` line ${at.line}, column ${at.col}:` : '';
    return { ok: false, error: `labs/${slug}/lab.yaml:${where} ${syntax.message.split(' at line ')[0]!.split('\n')[0]}` };
  }
  const parsed = labSchema.safeParse(doc.toJS());
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { ok: false, error: `labs/${slug}/lab.yaml: ${issue.path.join('.')}: ${issue.message}` };
  }
  const lab = parsed.data;
  const manifests: { text: string; source: string }[] = [];
  if (Object.keys(lab.cluster).length > 0) {
    const config = { apiVersion: 'clusterpath.dev/v1alpha1', kind: 'ClusterConfig', ...lab.cluster };
    manifests.push({ text: stringify(config), source: `labs/${slug}/lab.yaml (cluster)` });
  }
  for (const f of lab.setup) {
    const path = join(dir, slug, f);
    if (!existsSync(path)) return { ok: false, error: `labs/${slug}/lab.yaml: setup file ${f} does not exist` };
    manifests.push({ text: readFileSync(path, 'utf8'), source: `labs/${slug}/${f}` });
  }
  return { ok: true, lab, manifests };
}
