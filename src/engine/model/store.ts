/**
 * The object store (etcd's role): frozen snapshots keyed by kind and namespace/name, one
 * cluster-wide resourceVersion counter, and synchronous watchers. Validation, defaulting and
 * admission live in the registry in front of it; the store only keeps and notifies.
 */
import { deepFreeze } from '../core/json';
import type { KubeObject } from './types';

export type StoreEventType = 'ADDED' | 'MODIFIED' | 'DELETED';
export interface StoreEvent {
  type: StoreEventType;
  object: KubeObject;
  old?: KubeObject;
}
export type StoreListener = (e: StoreEvent) => void;

export const keyOf = (namespace: string | undefined, name: string): string => (namespace ? `${namespace}/${name}` : name);

export class ObjectStore {
  #kinds = new Map<string, Map<string, KubeObject>>();
  #sorted = new Map<string, KubeObject[]>();
  #rv = 1000;
  #listeners: StoreListener[] = [];

  nextResourceVersion(): string {
    return String(++this.#rv);
  }

  #table(kind: string): Map<string, KubeObject> {
    let t = this.#kinds.get(kind);
    if (!t) this.#kinds.set(kind, (t = new Map()));
    return t;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#kinds.get(kind)?.get(keyOf(namespace, name));
  }

  /** All objects of a kind (optionally one namespace), sorted by namespace then name. */
  list(kind: string, namespace?: string): readonly KubeObject[] {
    let all = this.#sorted.get(kind);
    if (!all) {
      all = [...(this.#kinds.get(kind)?.values() ?? [])].sort((a, b) => {
        const ka = keyOf(a.metadata.namespace, a.metadata.name);
        const kb = keyOf(b.metadata.namespace, b.metadata.name);
        return ka < kb ? -1 : ka > kb ? 1 : 0;
      });
      this.#sorted.set(kind, all);
    }
    return namespace === undefined ? all : all.filter((o) => o.metadata.namespace === namespace);
  }

  /** Unsorted iteration for controllers (no sort, no copy); optionally one namespace. */
  *each(kind: string, namespace?: string): IterableIterator<KubeObject> {
    const t = this.#kinds.get(kind);
    if (!t) return;
    for (const o of t.values()) if (namespace === undefined || o.metadata.namespace === namespace) yield o;
  }

  count(kind: string): number {
    return this.#kinds.get(kind)?.size ?? 0;
  }

  /** Store `obj` (already defaulted and validated), stamping a new resourceVersion. */
  put(obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = this.nextResourceVersion();
    deepFreeze(obj);
    const table = this.#table(obj.kind);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const old = table.get(key);
    table.set(key, obj);
    this.#sorted.delete(obj.kind);
    this.#emit(old ? { type: 'MODIFIED', object: obj, old } : { type: 'ADDED', object: obj });
    return obj;
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const table = this.#kinds.get(kind);
    const key = keyOf(namespace, name);
    const old = table?.get(key);
    if (!table || !old) return undefined;
    table.delete(key);
    this.#sorted.delete(kind);
    this.#emit({ type: 'DELETED', object: old, old });
    return old;
  }

  watch(l: StoreListener): () => void {
    this.#listeners.push(l);
    return () => {
      this.#listeners = this.#listeners.filter((x) => x !== l);
    };
  }

  #emit(e: StoreEvent): void {
    for (const l of this.#listeners) l(e);
  }
}
