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
  /** kind → namespace ('' for cluster-scoped) → name → object. */
  #kinds = new Map<string, Map<string, Map<string, KubeObject>>>();
  #counts = new Map<string, number>();
  #rv = 1000;
  #listeners: StoreListener[] = [];

  nextResourceVersion(): string {
    return String(++this.#rv);
  }

  #table(kind: string, namespace: string | undefined): Map<string, KubeObject> {
    let byNs = this.#kinds.get(kind);
    if (!byNs) this.#kinds.set(kind, (byNs = new Map()));
    const ns = namespace ?? '';
    let t = byNs.get(ns);
    if (!t) byNs.set(ns, (t = new Map()));
    return t;
  }

  get(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.#kinds.get(kind)?.get(namespace ?? '')?.get(name);
  }

  /**
   * All objects of a kind (optionally one namespace), sorted by namespace then name, as the
   * API server lists them. A fresh array each call: sorted on demand, never cached, so the
   * cost is what `kubectl get -A` really pays. Controllers use SelectionIndex instead.
   */
  list(kind: string, namespace?: string): KubeObject[] {
    const byNs = this.#kinds.get(kind);
    if (!byNs) return [];
    const out: KubeObject[] = [];
    const spaces = namespace === undefined ? [...byNs.keys()].sort(byString) : [namespace];
    for (const ns of spaces) {
      const t = byNs.get(ns);
      if (!t || t.size === 0) continue;
      const names = [...t.keys()].sort(byString);
      for (const n of names) out.push(t.get(n)!);
    }
    return out;
  }

  count(kind: string): number {
    return this.#counts.get(kind) ?? 0;
  }

  /** Store `obj` (already defaulted and validated), stamping a new resourceVersion. */
  put(obj: KubeObject): KubeObject {
    obj.metadata.resourceVersion = this.nextResourceVersion();
    deepFreeze(obj);
    const table = this.#table(obj.kind, obj.metadata.namespace);
    const old = table.get(obj.metadata.name);
    table.set(obj.metadata.name, obj);
    if (!old) this.#counts.set(obj.kind, this.count(obj.kind) + 1);
    this.#emit(old ? { type: 'MODIFIED', object: obj, old } : { type: 'ADDED', object: obj });
    return obj;
  }

  remove(kind: string, namespace: string | undefined, name: string): KubeObject | undefined {
    const table = this.#kinds.get(kind)?.get(namespace ?? '');
    const old = table?.get(name);
    if (!table || !old) return undefined;
    table.delete(name);
    this.#counts.set(kind, this.count(kind) - 1);
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

const byString = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
