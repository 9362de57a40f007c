/**
 * Turn fetched objects into what `kubectl get` writes, for every `-o` format.
 * Groups of one kind print as one table (widths per group) separated by a blank line,
 * like kubectl's separatorWriter; names get `kind.group/` when several kinds were asked for.
 */
import type { KubeObject, ResourceType } from '../../../../engine';
import { columnsFor, headerFor, labelsCell } from './columns';
import { formatTable } from './table';
import { toYaml } from './yaml';
import { toJson } from './json';
import { JsonPathError, parseTemplate, execute, evaluate, parsePath, relaxed } from './jsonpath';

export interface Group {
  resource: ResourceType;
  objects: KubeObject[];
}

export type OutputFormat =
  | { kind: 'table'; wide: boolean }
  | { kind: 'yaml' }
  | { kind: 'json' }
  | { kind: 'name' }
  | { kind: 'jsonpath'; template: string }
  | { kind: 'custom-columns'; columns: { header: string; path: string }[] };

export interface PrintOptions {
  now: number;
  withNamespace: boolean;
  withKind: boolean;
  showLabels: boolean;
  noHeaders: boolean;
  labelColumns: string[];
  /** One object asked for by name: print it bare rather than inside a List. */
  singleItem: boolean;
}

const FORMATS =
  'custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml';

/** Parse `-o`; the error text is kubectl's. */
export function parseOutput(o: string): OutputFormat | { error: string } {
  if (o === '') return { kind: 'table', wide: false };
  if (o === 'wide') return { kind: 'table', wide: true };
  if (o === 'yaml') return { kind: 'yaml' };
  if (o === 'json') return { kind: 'json' };
  if (o === 'name') return { kind: 'name' };
  const eq = o.indexOf('=');
  const name = eq === -1 ? o : o.slice(0, eq);
  const arg = eq === -1 ? '' : o.slice(eq + 1);
  if (name === 'jsonpath') {
    if (!arg) return { error: 'template format specified but no template given' };
    try {
      parseTemplate(arg);
    } catch (e) {
      return { error: `error parsing jsonpath ${arg}, ${(e as Error).message}` };
    }
    return { kind: 'jsonpath', template: arg };
  }
  if (name === 'custom-columns') {
    if (!arg) return { error: 'custom-columns format specified but no custom columns given' };
    const columns: { header: string; path: string }[] = [];
    for (const spec of arg.split(',')) {
      const colon = spec.indexOf(':');
      if (colon === -1) return { error: `unexpected custom-columns spec: ${spec}, expected <header>:<json-path-expr>` };
      columns.push({ header: spec.slice(0, colon), path: relaxed(spec.slice(colon + 1)) });
    }
    return { kind: 'custom-columns', columns };
  }
  return { error: `unable to match a printer suitable for the output format "${o}", allowed formats are: ${FORMATS}` };
}

export const isHumanReadable = (f: OutputFormat) => f.kind === 'table';

/** A v1 List around the objects, as kubectl builds for yaml/json/jsonpath of several items. */
export function asList(objects: KubeObject[]): Record<string, unknown> {
  return { apiVersion: 'v1', items: objects, kind: 'List', metadata: { resourceVersion: '' } };
}

export function printGroups(groups: Group[], format: OutputFormat, opts: PrintOptions): string {
  const all = groups.flatMap((g) => g.objects.map((o) => ({ o, r: g.resource })));
  switch (format.kind) {
    case 'table':
      return groups
        .filter((g) => g.objects.length > 0)
        .map((g) => tableFor(g, format.wide, opts))
        .join('\n');
    case 'name':
      return all.map(({ o, r }) => `${r.group ? `${r.singularName}.${r.group}` : r.singularName}/${o.metadata.name}\n`).join('');
    case 'yaml':
      return toYaml(data(all.map((x) => x.o), opts));
    case 'json':
      return toJson(data(all.map((x) => x.o), opts));
    case 'jsonpath':
      return execute(parseTemplate(format.template), data(all.map((x) => x.o), opts));
    case 'custom-columns': {
      const rows = all.map(({ o }) =>
        format.columns.map((c) => {
          const got = evaluate(parsePath(c.path.slice(1, -1)), o).filter((v) => v !== undefined && v !== null);
          return got.length ? got.map(goValue).join(',') : '<none>';
        }),
      );
      return formatTable(opts.noHeaders ? rows : [format.columns.map((c) => c.header), ...rows]);
    }
  }
}

function data(objects: KubeObject[], opts: PrintOptions): unknown {
  return opts.singleItem && objects.length === 1 ? objects[0] : asList(objects);
}

/** fmt's %v for a JSON value: maps as map[k:v], lists as [a b]. */
function goValue(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goValue).join(' ')}]`;
  if (v && typeof v === 'object') return `map[${Object.keys(v).sort().map((k) => `${k}:${goValue((v as Record<string, unknown>)[k])}`).join(' ')}]`;
  return String(v);
}

function tableFor(g: Group, wide: boolean, opts: PrintOptions): string {
  const t = columnsFor(g.resource.kind);
  const withNs = opts.withNamespace && g.resource.namespaced;
  const header = headerFor(t, wide).map((h) => h.toUpperCase());
  const extra = opts.labelColumns.map((l) => l.split('/').pop()!.toUpperCase());
  const rows: string[][] = [];
  if (!opts.noHeaders) rows.push([...(withNs ? ['NAMESPACE'] : []), ...header, ...extra, ...(opts.showLabels ? ['LABELS'] : [])]);
  const prefix = opts.withKind ? (g.resource.group ? `${g.resource.singularName}.${g.resource.group}/` : `${g.resource.singularName}/`) : '';
  const nameCol = t.columns[0] === 'Name' ? 0 : -1;
  for (const o of g.objects) {
    const cells = t.row(o, opts.now, wide);
    if (nameCol === 0) cells[0] = prefix + cells[0];
    rows.push([
      ...(withNs ? [o.metadata.namespace ?? ''] : []),
      ...cells,
      ...opts.labelColumns.map((l) => o.metadata.labels?.[l] ?? ''),
      ...(opts.showLabels ? [labelsCell(o)] : []),
    ]);
  }
  return formatTable(rows);
}

export { JsonPathError };
