/**
 * The shared selection index (what client-go's indexers give the endpoint controllers):
 * objects by namespace and label pair, and Services by namespace and selector, kept up to
 * date from store events in one place. Both the EndpointSlice and the Endpoints controllers
 * use it to answer "which Services select this pod?" and "which pods does this Service
 * select?" without scanning every Service or every pod.
 *
 * A Service selector is a plain map (spec.selector is map[string]string), so matching is
 * equality on every key. A Service is posted under one pair of its selector (the first key
 * in sorted order); a pod has one value per key, so each candidate turns up at most once.
 * An empty or missing selector selects nothing here, as for the endpoint controllers.
 */
import type { ObjectStore, StoreEvent } from '../model/store';
import type { KubeObject, Labels, Service } from '../model/types';

type Postings = Map<string, Set<string>>;

const pair = (k: string, v: string): string => `${k}=${v}`;

export function selectsLabels(selector: Labels, labels: Labels | undefined): boolean {
  for (const k in selector) if (labels?.[k] !== selector[k]) return false;
  return true;
}

function post(map: Map<string, Postings>, ns: string, key: string, name: string): void {
  let byPair = map.get(ns);
  if (!byPair) map.set(ns, (byPair = new Map()));
  let set = byPair.get(key);
  if (!set) byPair.set(key, (set = new Set()));
  set.add(name);
}

function unpost(map: Map<string, Postings>, ns: string, key: string, name: string): void {
  const byPair = map.get(ns);
  const set = byPair?.get(key);
  if (!set) return;
  set.delete(name);
  if (set.size === 0) byPair!.delete(key);
}

/** The pair a Service is posted under, or undefined when its selector is empty. */
function servicePair(s: Service | undefined): string | undefined {
  const sel = s?.spec?.selector;
  if (!sel) return undefined;
  let first: string | undefined;
  for (const k in sel) if (first === undefined || k < first) first = k;
  return first === undefined ? undefined : pair(first, sel[first]!);
}

export class SelectionIndex {
  /** kind → namespace → "k=v" → names. */
  #labels = new Map<string, Map<string, Postings>>();
  /** namespace → "k=v" → Service names. */
  #services = new Map<string, Postings>();
  readonly #kinds: ReadonlySet<string>;

  constructor(private readonly store: ObjectStore, kinds: readonly string[] = ['Pod', 'EndpointSlice']) {
    this.#kinds = new Set(kinds);
  }

  /** Call for every store event, before the controllers see it. */
  observe(e: StoreEvent): void {
    const o = e.object;
    const ns = o.metadata.namespace ?? '';
    const name = o.metadata.name;
    if (o.kind === 'Service') {
      const before = e.type === 'ADDED' ? undefined : servicePair(e.old as Service | undefined);
      const after = e.type === 'DELETED' ? undefined : servicePair(o as Service);
      if (before === after) return;
      if (before) unpost(this.#services, ns, before, name);
      if (after) post(this.#services, ns, after, name);
      return;
    }
    if (!this.#kinds.has(o.kind)) return;
    let byNs = this.#labels.get(o.kind);
    if (!byNs) this.#labels.set(o.kind, (byNs = new Map()));
    const oldLabels = e.type === 'ADDED' ? undefined : e.old?.metadata.labels;
    const newLabels = e.type === 'DELETED' ? undefined : o.metadata.labels;
    if (oldLabels === newLabels) return;
    for (const k in oldLabels) if (newLabels?.[k] !== oldLabels[k]) unpost(byNs, ns, pair(k, oldLabels[k]!), name);
    for (const k in newLabels) if (oldLabels?.[k] !== newLabels[k]) post(byNs, ns, pair(k, newLabels[k]!), name);
  }

  /** Names of the Services in `namespace` whose selector matches `labels`. */
  servicesSelecting(namespace: string, labels: Labels | undefined): string[] {
    const byPair = this.#services.get(namespace);
    if (!byPair || !labels) return [];
    const out: string[] = [];
    for (const k in labels) {
      const names = byPair.get(pair(k, labels[k]!));
      if (!names) continue;
      for (const n of names) {
        const s = this.store.get('Service', namespace, n) as Service | undefined;
        if (s?.spec.selector && selectsLabels(s.spec.selector, labels)) out.push(n);
      }
    }
    return out;
  }

  /**
   * Objects of an indexed kind in `namespace` whose labels match every pair of `selector`,
   * sorted by name. An empty selector gives nothing (the endpoint controllers' rule).
   */
  select<T extends KubeObject = KubeObject>(kind: string, namespace: string, selector: Labels): T[] {
    const byPair = this.#labels.get(kind)?.get(namespace);
    if (!byPair) return [];
    let smallest: Set<string> | undefined;
    for (const k in selector) {
      const names = byPair.get(pair(k, selector[k]!));
      if (!names) return [];
      if (!smallest || names.size < smallest.size) smallest = names;
    }
    if (!smallest) return [];
    const out: T[] = [];
    for (const n of [...smallest].sort()) {
      const o = this.store.get(kind, namespace, n);
      if (o && selectsLabels(selector, o.metadata.labels)) out.push(o as T);
    }
    return out;
  }
}
