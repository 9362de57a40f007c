/**
 * What every controller gets: the API server, the clock, the seeded PRNG, the cluster
 * config, an event recorder and a timer queue. Controllers are level-triggered: they mark
 * keys dirty from store events and reconcile them in `sync`, until nothing is left to do.
 */
import type { ApiServer } from '../model/apiserver';
import type { ObjectStore, StoreEvent } from '../model/store';
import type { Clock } from '../core/clock';
import type { Rng } from '../core/rng';
import type { ClusterConfig } from '../cluster/config';
import type { EventRecorder } from './events';
import type { SelectionIndex } from './selection';

export interface Timers {
  /** Run `fn` once the clock reaches `atMs` (at the next tick or settle). */
  at(atMs: number, fn: () => void): void;
}

export interface ControllerContext {
  api: ApiServer;
  store: ObjectStore;
  clock: Clock;
  rng: Rng;
  config: ClusterConfig;
  events: EventRecorder;
  timers: Timers;
  /** Pods/EndpointSlices by namespace + label, Services by selector (shared by the endpoint controllers). */
  index: SelectionIndex;
}

export interface Controller {
  readonly name: string;
  /** Called for every store change; mark what needs reconciling. Must not write. */
  observe(e: StoreEvent): void;
  /** Reconcile what is marked; return true when anything was written. */
  sync(): boolean;
}

/** A set of dirty keys with a reconcile function — the workqueue of client-go, synchronous. */
export class DirtySet {
  #keys = new Set<string>();
  add(key: string): void {
    this.#keys.add(key);
  }
  /** Take all keys marked so far (new marks during processing land in the next round). */
  drain(): string[] {
    if (this.#keys.size === 0) return [];
    const out = [...this.#keys];
    this.#keys.clear();
    return out;
  }
  get size(): number {
    return this.#keys.size;
  }
}

export const nsName = (ns: string | undefined, name: string): string => `${ns ?? ''}/${name}`;
export const splitKey = (key: string): [string, string] => {
  const i = key.indexOf('/');
  return [key.slice(0, i), key.slice(i + 1)];
};
