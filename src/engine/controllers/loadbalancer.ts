/**
 * LoadBalancer IPs, as cloud-provider-kind or MetalLB hand them out on a kind cluster: the
 * next free address of the pool goes to status.loadBalancer.ingress (ipMode VIP).
 */
import { clone } from '../core/json';
import { formatIPv4, parseCIDR } from '../core/ip';
import type { StoreEvent } from '../model/store';
import type { Service } from '../model/types';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';

export class LoadBalancerController implements Controller {
  readonly name = 'service-lb';
  #dirty = new DirtySet();
  #used = new Map<string, string>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    if (e.object.kind !== 'Service') return;
    const key = nsName(e.object.metadata.namespace, e.object.metadata.name);
    if (e.type === 'DELETED') this.#used.delete(key);
    else this.#dirty.add(key);
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const svc = this.ctx.store.get('Service', ns, name) as Service | undefined;
      if (!svc) continue;
      const has = svc.status?.loadBalancer?.ingress?.length;
      if (svc.spec.type !== 'LoadBalancer') {
        if (has) {
          const next = clone(svc);
          next.status = { loadBalancer: {} };
          this.#used.delete(key);
          this.ctx.api.write(next);
          wrote = true;
        }
        continue;
      }
      if (has) continue;
      const ip = this.#allocate(key, svc.spec.loadBalancerIP);
      if (!ip) continue;
      const next = clone(svc);
      next.status = { loadBalancer: { ingress: [{ ip, ipMode: 'VIP' }] } };
      this.ctx.api.write(next);
      this.ctx.events.record(svc, 'Normal', 'EnsuringLoadBalancer', 'Ensuring load balancer', 'service-controller');
      this.ctx.events.record(svc, 'Normal', 'EnsuredLoadBalancer', 'Ensured load balancer', 'service-controller');
      wrote = true;
    }
    return wrote;
  }

  #allocate(key: string, wanted?: string): string | undefined {
    const taken = new Set(this.#used.values());
    if (wanted && !taken.has(wanted)) {
      this.#used.set(key, wanted);
      return wanted;
    }
    const pool = parseCIDR(this.ctx.config.loadBalancerPool);
    if (!pool) return undefined;
    for (let i = 0; i < pool.size; i++) {
      const ip = formatIPv4(pool.base + i);
      if (!taken.has(ip)) {
        this.#used.set(key, ip);
        return ip;
      }
    }
    return undefined;
  }
}
