/**
 * `kubectl apply` semantics over the ApiServer: multi-document YAML (and v1 List), each
 * document applied on its own (a failing one changes nothing), create-or-three-way-merge via
 * the kubectl.kubernetes.io/last-applied-configuration annotation, client/server dry-run.
 */
import { parseAllDocuments } from 'yaml';
import { ApiErrorThrow, badRequest, yamlError, type ApiError } from '../core/errors';
import { clone, deepEqual, isPlainObject } from '../core/json';
import type { ApiServer } from './apiserver';
import { objectRef } from './kinds';
import { goYamlError } from './yamlerrors';
import { threeWayMerge } from './patch';
import type { KubeObject, ObjectInput } from './types';

export const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';
export type ApplyDocResult =
  | { ok: true; index: number; outcome: ApplyOutcome; ref: string; object: KubeObject; warnings?: string[] }
  | { ok: false; index: number; error: ApiError; kind?: string; name?: string; namespace?: string };

/** One parsed document: a plain object, or the YAML error that stopped it. */
export type ParsedDoc = { index: number; value: unknown } | { index: number; error: ApiError };

/** Split a YAML stream into documents; syntax errors carry line and column (1-based). */
export function parseDocuments(text: string): ParsedDoc[] {
  const out: ParsedDoc[] = [];
  const docs = parseAllDocuments(text, { prettyErrors: true, uniqueKeys: true });
  let index = 0;
  for (const doc of docs) {
    const err = doc.errors[0];
    if (err) {
      // kubectl's document chunk starts after the `---` line that opens it.
      let start = doc.range[0];
      if (text.startsWith('---', start)) start = text.indexOf('\n', start) < 0 ? text.length : text.indexOf('\n', start) + 1;
      const g = goYamlError(text, err, start, doc.range[2]);
      out.push({ index: index++, error: yamlError(`error converting YAML to JSON: ${g.message}`, g.line, g.column) });
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 100 });
    if (value === null || value === undefined) continue; // empty document, like kubectl
    if (isPlainObject(value) && value.kind === 'List' && Array.isArray(value.items)) {
      for (const item of value.items) out.push({ index: index++, value: item });
      continue;
    }
    out.push({ index: index++, value });
  }
  return out;
}

/** Go json.Marshal of an unstructured object: keys sorted, compact. */
export function sortedJSON(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(sortedJSON).join(',')}]`;
  if (isPlainObject(v)) {
    return `{${Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${sortedJSON(v[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(v);
}

/**
 * The applied document plus its last-applied-configuration annotation. kubectl computes the
 * annotation from the object as it sends it: namespace filled in for namespaced kinds and
 * an `annotations` map present (empty when the manifest has none), hence the familiar
 * `"metadata":{"annotations":{},"name":"web","namespace":"default"}`.
 */
function withLastApplied(doc: ObjectInput, namespace: string | undefined): ObjectInput {
  const applied = clone(doc);
  const meta = { ...(isPlainObject(applied.metadata) ? applied.metadata : {}) };
  if (namespace !== undefined) meta.namespace = namespace;
  const annotations = { ...((meta.annotations as Record<string, string> | undefined) ?? {}) };
  delete annotations[LAST_APPLIED];
  const forAnnotation = clone(applied);
  forAnnotation.metadata = { ...meta, annotations };
  annotations[LAST_APPLIED] = sortedJSON(forAnnotation) + '\n';
  applied.metadata = { ...meta, annotations };
  return applied;
}

const stripVolatile = (o: KubeObject) => ({ ...o, metadata: { ...o.metadata, resourceVersion: '', generation: 0 }, status: undefined });

/**
 * `kubectl create -f`: POST each document as it is (AlreadyExists when the name is taken);
 * `saveConfig` records the last-applied-configuration annotation like `--save-config`.
 * A client dry-run returns the document unchanged (kubectl prints what it would send).
 */
export function createDocument(api: ApiServer, doc: unknown, index: number, opts: { dryRun?: 'client' | 'server'; namespace?: string; saveConfig?: boolean }): ApplyDocResult {
  const meta = isPlainObject(doc) && isPlainObject(doc.metadata) ? doc.metadata : {};
  const named = {
    kind: isPlainObject(doc) && typeof doc.kind === 'string' ? doc.kind : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
  };
  try {
    if (!isPlainObject(doc)) throw new ApiErrorThrow(badRequest('error validating data: expected an object'));
    const input = doc as ObjectInput;
    const r = api.resourceOf(input);
    const ns = r.namespaced ? named.namespace ?? opts.namespace ?? 'default' : undefined;
    const body = opts.saveConfig ? withLastApplied(input, ns) : clone(input);
    if (opts.dryRun === 'client') {
      const object = body as KubeObject;
      return { ok: true, index, outcome: 'created', ref: objectRef(r, named.name ?? ''), object };
    }
    const object = api.create(body, { dryRun: opts.dryRun === 'server' }, ns ?? 'default');
    return { ok: true, index, outcome: 'created', ref: objectRef(r, object.metadata.name), object };
  } catch (e) {
    if (e instanceof ApiErrorThrow) return { ok: false, index, error: e.apiError, ...named };
    throw e;
  }
}

export function applyDocument(api: ApiServer, doc: unknown, index: number, opts: { dryRun?: 'client' | 'server'; namespace?: string }): ApplyDocResult {
  const meta = isPlainObject(doc) && isPlainObject(doc.metadata) ? doc.metadata : {};
  const named = {
    kind: isPlainObject(doc) && typeof doc.kind === 'string' ? doc.kind : undefined,
    name: typeof meta.name === 'string' ? meta.name : undefined,
    namespace: typeof meta.namespace === 'string' ? meta.namespace : undefined,
  };
  try {
    if (!isPlainObject(doc)) throw new ApiErrorThrow(badRequest('error validating data: expected an object'));
    const input = doc as ObjectInput;
    const r = api.resourceOf(input);
    const ns = r.namespaced ? named.namespace ?? opts.namespace ?? 'default' : undefined;
    if (!named.name) {
      throw new ApiErrorThrow(badRequest(`error when retrieving current configuration of:\nResource: "${r.group ? `${r.group}/${r.version}` : r.version}, Resource=${r.name}", GroupVersionKind: "${r.group ? `${r.group}/` : '/'}${r.version}, Kind=${r.kind}"\nName: "", Namespace: "${ns ?? ''}"\nfrom server for: "STDIN": resource name may not be empty`));
    }
    const ref = objectRef(r, named.name);
    const live = api.store.get(r.kind, ns, named.name);
    const applied = withLastApplied(input, ns);
    if (opts.dryRun === 'client') {
      const object = clone(applied) as KubeObject;
      return { ok: true, index, outcome: live ? 'configured' : 'created', ref, object };
    }
    const dryRun = opts.dryRun === 'server';
    if (!live) {
      const object = api.create(applied, { dryRun }, ns);
      return { ok: true, index, outcome: 'created', ref, object };
    }
    const lastText = live.metadata.annotations?.[LAST_APPLIED];
    let last: unknown;
    try {
      last = lastText ? JSON.parse(lastText) : undefined;
    } catch {
      last = undefined;
    }
    const merged = threeWayMerge(clone(live), last, applied) as ObjectInput;
    if (isPlainObject(merged.metadata)) delete merged.metadata.resourceVersion;
    const object = api.update(merged, { dryRun }, ns);
    const outcome: ApplyOutcome = deepEqual(stripVolatile(object), stripVolatile(live)) ? 'unchanged' : 'configured';
    const warnings = lastText ? undefined : [`resource ${r.name}/${named.name} is missing the ${LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.`];
    return warnings ? { ok: true, index, outcome, ref, object, warnings } : { ok: true, index, outcome, ref, object };
  } catch (e) {
    if (e instanceof ApiErrorThrow) return { ok: false, index, error: e.apiError, ...named };
    throw e;
  }
}
