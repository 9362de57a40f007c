/**
 * Event recording like client-go's EventRecorder with the correlator's aggregation: the same
 * object, reason and message again bumps `count` and `lastTimestamp` instead of adding a row.
 * Event names are `<object>.<hex timestamp>` as upstream makes them.
 */
import { rfc3339 } from '../core/clock';
import type { ApiServer } from '../model/apiserver';
import type { Event, KubeObject } from '../model/types';
import type { Clock } from '../core/clock';

export class EventRecorder {
  #seq = 0;
  #index = new Map<string, string>();
  constructor(private readonly api: ApiServer, private readonly clock: Clock) {}

  record(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string, component: string, host?: string, fieldPath?: string): void {
    const ns = obj.metadata.namespace ?? 'default';
    // getEventKey (client-go tools/record/events_cache.go): source, involved object incl.
    // fieldPath, type, reason and message; a repeat bumps count and lastTimestamp.
    const key = [component, host ?? '', obj.kind, obj.metadata.namespace ?? '', obj.metadata.name, fieldPath ?? '', obj.metadata.uid, obj.apiVersion, type, reason, message].join('\u0000');
    const now = rfc3339(this.clock.now());
    const existingName = this.#index.get(key);
    const existing = existingName ? (this.api.store.get('Event', ns, existingName) as Event | undefined) : undefined;
    if (existing) {
      this.api.store.put({ ...existing, metadata: { ...existing.metadata }, count: existing.count + 1, lastTimestamp: now });
      return;
    }
    const nanos = BigInt(this.clock.now()) * 1_000_000n + BigInt(++this.#seq);
    const name = `${obj.metadata.name}.${nanos.toString(16)}`;
    this.#index.set(key, name);
    const ev: Event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { name, namespace: ns, uid: '', resourceVersion: '', creationTimestamp: now },
      involvedObject: {
        kind: obj.kind,
        namespace: obj.metadata.namespace,
        name: obj.metadata.name,
        uid: obj.metadata.uid,
        apiVersion: obj.apiVersion,
        resourceVersion: obj.metadata.resourceVersion,
        ...(fieldPath ? { fieldPath } : {}),
      },
      reason,
      message,
      source: host ? { component, host } : { component },
      firstTimestamp: now,
      lastTimestamp: now,
      count: 1,
      type,
      eventTime: null,
      reportingComponent: component,
      reportingInstance: host ?? '',
    };
    ev.metadata.uid = `ev-${nanos.toString(16)}`;
    this.api.store.put(ev);
  }
}
