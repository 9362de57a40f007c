/**
 * Each kubelet's heartbeats (pkg/kubelet/nodelease, kubelet_node_status.go): a Lease named
 * after the node in kube-node-lease (holderIdentity = node, leaseDurationSeconds 40,
 * owned by the Node) renewed every 10 s, and the Node's conditions' lastHeartbeatTime
 * refreshed every 5 min (nodeStatusReportFrequency) while nothing changes.
 */
import { rfc3339, rfc3339Micro } from '../core/clock';
import { clone } from '../core/json';
import { createRng, type Rng } from '../core/rng';
import type { StoreEvent } from '../model/store';
import type { Lease, Node } from '../model/types';
import type { Controller, ControllerContext } from './context';

export const LEASE_RENEW_MS = 10_000;
export const NODE_STATUS_REPORT_MS = 300_000;
const LEASE_NS = 'kube-node-lease';

export class NodeLeaseController implements Controller {
  readonly name = 'node-lease';
  #pending = new Set<string>();
  #started = new Set<string>();
  #uids: Rng;
  constructor(private readonly ctx: ControllerContext, seed: number) {
    this.#uids = createRng(seed ^ 0x1ea5e);
  }

  observe(e: StoreEvent): void {
    if (e.object.kind !== 'Node') return;
    if (e.type === 'DELETED') this.#started.delete(e.object.metadata.name);
    else if (!this.#started.has(e.object.metadata.name)) this.#pending.add(e.object.metadata.name);
  }

  sync(): boolean {
    let wrote = false;
    for (const name of this.#pending) {
      this.#pending.delete(name);
      if (this.#started.has(name)) continue;
      this.#started.add(name);
      wrote = this.#renew(name) || wrote;
      const beat = () => {
        if (!this.#started.has(name)) return;
        this.#renew(name);
        this.ctx.timers.at(this.ctx.clock.now() + LEASE_RENEW_MS, beat);
      };
      const report = () => {
        if (!this.#started.has(name)) return;
        this.#report(name);
        this.ctx.timers.at(this.ctx.clock.now() + NODE_STATUS_REPORT_MS, report);
      };
      this.ctx.timers.at(this.ctx.clock.now() + LEASE_RENEW_MS, beat);
      this.ctx.timers.at(this.ctx.clock.now() + NODE_STATUS_REPORT_MS, report);
    }
    return wrote;
  }

  #renew(node: string): boolean {
    const n = this.ctx.store.get('Node', undefined, node) as Node | undefined;
    if (!n || !this.ctx.store.get('Namespace', undefined, LEASE_NS)) return false;
    const now = rfc3339Micro(this.ctx.clock.now());
    const lease = this.ctx.store.get('Lease', LEASE_NS, node) as Lease | undefined;
    if (!lease) {
      this.ctx.api.create(
        {
          apiVersion: 'coordination.k8s.io/v1',
          kind: 'Lease',
          metadata: { name: node, namespace: LEASE_NS, ownerReferences: [{ apiVersion: 'v1', kind: 'Node', name: node, uid: n.metadata.uid }] },
          spec: { holderIdentity: node, leaseDurationSeconds: 40, renewTime: now },
        },
        { uidRng: this.#uids },
        LEASE_NS,
      );
      return true;
    }
    const next = clone(lease);
    next.spec = { ...next.spec, renewTime: now };
    this.ctx.api.write(next);
    return true;
  }

  #report(node: string): void {
    const n = this.ctx.store.get('Node', undefined, node) as Node | undefined;
    if (!n) return;
    const next = clone(n);
    const t = rfc3339(this.ctx.clock.now());
    for (const c of next.status.conditions ?? []) c.lastHeartbeatTime = t;
    this.ctx.api.write(next);
  }
}
