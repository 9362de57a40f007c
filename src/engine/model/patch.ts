/**
 * Patches: JSON merge patch (RFC 7386), a strategic merge patch covering the list merge keys
 * learners meet (containers/env/volumes by name, container ports by containerPort, Service
 * ports by port), JSON patch (RFC 6902), and kubectl apply's three-way merge against the
 * last-applied-configuration annotation (k8s.io/apimachinery/pkg/util/strategicpatch).
 */
import { clone, isPlainObject } from '../core/json';

type Obj = Record<string, unknown>;

export class PatchError extends Error {}

export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  const out: Obj = isPlainObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** The strategic merge key for a list field, or undefined for "replace the list". */
function mergeKey(field: string, items: unknown[]): string | undefined {
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'env':
    case 'volumes':
    case 'imagePullSecrets':
      return 'name';
    case 'volumeMounts':
      return 'mountPath';
    case 'ports': {
      const first = items.find(isPlainObject);
      if (first && 'containerPort' in first) return 'containerPort';
      return 'port';
    }
    default:
      return undefined;
  }
}

function strategicList(field: string, target: unknown, patch: unknown[]): unknown[] {
  const key = mergeKey(field, patch);
  if (!key || !Array.isArray(target)) return patch.filter((x) => !(isPlainObject(x) && '$patch' in x)).map(clone);
  const out = target.map(clone);
  for (const item of patch) {
    if (!isPlainObject(item)) continue;
    const idx = out.findIndex((x) => isPlainObject(x) && x[key] === item[key]);
    if (item.$patch === 'delete') {
      if (idx >= 0) out.splice(idx, 1);
      continue;
    }
    if (idx >= 0) out[idx] = strategicMerge(out[idx], item);
    else out.push(strategicMerge({}, item));
  }
  return out;
}

export function strategicMerge(target: unknown, patch: unknown): unknown {
  if (!isPlainObject(patch)) return clone(patch);
  if (patch.$patch === 'replace') {
    const { $patch: _, ...rest } = patch;
    return clone(rest);
  }
  const out: Obj = isPlainObject(target) ? clone(target) : {};
  for (const [k, v] of Object.entries(patch)) {
    if (k === '$patch' || k.startsWith('$setElementOrder') || k.startsWith('$retainKeys')) continue;
    if (v === null) delete out[k];
    else if (Array.isArray(v)) out[k] = strategicList(k, out[k], v);
    else out[k] = strategicMerge(out[k], v);
  }
  return out;
}

function pointer(path: string): string[] {
  if (path === '') return [];
  if (!path.startsWith('/')) throw new PatchError(`invalid JSON pointer "${path}"`);
  return path.slice(1).split('/').map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

/** RFC 6902. Errors follow evanphx/json-patch's wording where kubectl users see them. */
export function jsonPatch(target: unknown, ops: unknown): unknown {
  if (!Array.isArray(ops)) throw new PatchError('json: cannot unmarshal object into Go value of type jsonpatch.Patch');
  let doc = clone(target);
  for (const op of ops) {
    if (!isPlainObject(op)) throw new PatchError('invalid JSON patch operation');
    const parts = pointer(String(op.path ?? ''));
    const get = (p: string[]): unknown => p.reduce<unknown>((o, k) => (Array.isArray(o) ? o[k === '-' ? o.length : Number(k)] : isPlainObject(o) ? o[k] : undefined), doc);
    const parentOf = (p: string[]) => get(p.slice(0, -1));
    const last = parts[parts.length - 1]!;
    const missing = () => new PatchError(`doc is missing path: "${String(op.path)}": missing value`);
    switch (op.op) {
      case 'add':
      case 'replace': {
        if (parts.length === 0) {
          doc = clone(op.value);
          break;
        }
        const parent = parentOf(parts);
        if (Array.isArray(parent)) {
          const i = last === '-' ? parent.length : Number(last);
          if (!(i >= 0 && i <= parent.length)) throw missing();
          if (op.op === 'add') parent.splice(i, 0, clone(op.value));
          else parent[i] = clone(op.value);
        } else if (isPlainObject(parent)) {
          if (op.op === 'replace' && !(last in parent)) throw new PatchError(`doc is missing key: ${String(op.path)}: missing value`);
          parent[last] = clone(op.value);
        } else throw missing();
        break;
      }
      case 'remove': {
        const parent = parentOf(parts);
        if (Array.isArray(parent) && Number(last) < parent.length) parent.splice(Number(last), 1);
        else if (isPlainObject(parent) && last in parent) delete parent[last];
        else throw new PatchError(`Unable to remove nonexistent key: ${last}: missing value`);
        break;
      }
      case 'test':
        if (JSON.stringify(get(parts)) !== JSON.stringify(op.value)) throw new PatchError(`testing value ${String(op.path)} failed: test failed`);
        break;
      case 'move':
      case 'copy': {
        const from = pointer(String(op.from ?? ''));
        const v = clone(get(from));
        if (op.op === 'move') doc = jsonPatch(doc, [{ op: 'remove', path: op.from }]);
        doc = jsonPatch(doc, [{ op: 'add', path: op.path, value: v }]);
        break;
      }
      default:
        throw new PatchError(`Unexpected kind: ${String(op.op)}`);
    }
  }
  return doc;
}

/** Keys set in `last` but gone from `next` become deletions (recursing into maps). */
function deletions(last: unknown, next: unknown): Obj | undefined {
  if (!isPlainObject(last)) return undefined;
  const out: Obj = {};
  let any = false;
  for (const k of Object.keys(last)) {
    if (!isPlainObject(next) || !(k in next)) {
      out[k] = null;
      any = true;
    } else {
      const sub = deletions(last[k], next[k]);
      if (sub) {
        out[k] = sub;
        any = true;
      }
    }
  }
  return any ? out : undefined;
}

/** kubectl apply: merge `applied` into `live`, deleting what the previous apply set and this one dropped. */
export function threeWayMerge(live: unknown, lastApplied: unknown, applied: unknown): unknown {
  const del = deletions(lastApplied, applied);
  const pruned = del ? mergePatch(live, del) : live;
  return strategicMerge(pruned, applied);
}
