/**
 * Garbage collector (background propagation) and namespace controller: dependents whose
 * controlling owner is gone are deleted (pods gracefully); a Terminating namespace is emptied,
 * then removed.
 */
import type { StoreEvent } from '../model/store';
import type { KubeObject } from '../model/types';
import { RESOURCES } from '../model/kinds';
import { DirtySet, type Controller, type ControllerContext } from './context';

export class GarbageCollector implements Controller {
  readonly name = 'garbage-collector';
  #goneOwners = new DirtySet();
  #namespaces = new DirtySet();
  /** owner uid → dependents (kind/ns/name). */
  #dependents = new Map<string, Set<string>>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const o = e.object;
    for (const ref of o.metadata.ownerReferences ?? []) {
      let set = this.#dependents.get(ref.uid);
      if (!set) this.#dependents.set(ref.uid, (set = new Set()));
      const key = `${o.kind}|${o.metadata.namespace ?? ''}|${o.metadata.name}`;
      if (e.type === 'DELETED') set.delete(key);
      else set.add(key);
    }
    if (e.type === 'DELETED' && this.#dependents.has(o.metadata.uid)) this.#goneOwners.add(o.metadata.uid);
    if (o.kind === 'Namespace' && e.type !== 'DELETED' && o.metadata.deletionTimestamp) this.#namespaces.add(o.metadata.name);
    if (e.type === 'DELETED' && o.metadata.namespace) {
      const ns = this.ctx.store.get('Namespace', undefined, o.metadata.namespace);
      if (ns?.metadata.deletionTimestamp) this.#namespaces.add(ns.metadata.name);
    }
  }

  sync(): boolean {
    let wrote = false;
    const { store, api } = this.ctx;
    for (const uid of this.#goneOwners.drain()) {
      for (const key of this.#dependents.get(uid) ?? []) {
        const [kind, ns, name] = key.split('|') as [string, string, string];
        const dep = store.get(kind, ns || undefined, name);
        if (!dep || dep.metadata.deletionTimestamp) continue;
        // Orphaned meanwhile (propagationPolicy Orphan): no longer a dependent.
        if (!dep.metadata.ownerReferences?.some((r) => r.uid === uid)) continue;
        const owners = (dep.metadata.ownerReferences ?? []).filter((r) => r.uid !== uid);
        if (owners.length && owners.some((r) => this.#ownerExists(dep, r.uid, r.kind, r.name))) continue;
        api.delete(api.resource(kind), ns || undefined, name);
        wrote = true;
      }
      this.#dependents.delete(uid);
    }
    for (const nsName of this.#namespaces.drain()) {
      const ns = store.get('Namespace', undefined, nsName);
      if (!ns) continue;
      let remaining = 0;
      for (const r of RESOURCES) {
        if (!r.namespaced) continue;
        for (const o of store.list(r.kind, nsName)) {
          remaining++;
          if (!o.metadata.deletionTimestamp) {
            if (r.kind === 'Event') api.purge(o);
            else api.delete(r, nsName, o.metadata.name);
            wrote = true;
          }
        }
      }
      if (remaining === 0 || RESOURCES.every((r) => !r.namespaced || store.list(r.kind, nsName).length === 0)) {
        api.purge(ns);
        wrote = true;
      }
    }
    return wrote;
  }

  #ownerExists(dep: KubeObject, _uid: string, kind: string, name: string): boolean {
    return !!this.ctx.store.get(kind, dep.metadata.namespace, name);
  }
}
