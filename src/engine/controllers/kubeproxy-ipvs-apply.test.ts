// An IPVS-mode sync applied as a diff (only what changed) must leave a node exactly as a
// whole-state reconcile does: same ipset members in the same order, same kube-ipvs0
// addresses, same virtual servers and real servers (kernel list order, weights).
// Random clusters, random changes, two nodes side by side.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../core/clock';
import { createRng, type Rng } from '../core/rng';
import type { EndpointSlice, Service } from '../model/types';
import { NodeHost } from '../node';
import { IpvsProxier } from '../proxy';
import { makeTestEndpointSlice, makeTestService } from '../proxy/iptables/testing';
import { applyIpvsState } from './kubeproxy';

const NODE_IP = '172.18.0.3';

function host(): NodeHost {
  return new NodeHost({ name: 'worker', ip: NODE_IP, prefix: 16, gateway: '172.18.0.1', eth0PeerIfindex: 7, clock: new ManualClock(), seed: 1 });
}

/** Everything IPVS-mode state on a node that a learner can print, in the order it prints. */
function nodeState(h: NodeHost): unknown {
  return {
    addresses: h.interfaces.find((l) => l.name === 'kube-ipvs0')?.addresses.map((a) => a.address),
    ipsets: [...h.ipsets.values()].map((s) => `${s.name}: ${[...s.members].join(' ')}`),
    ipvs: [...h.ipvs.services.values()].map(
      (s) => `${s.protocol} ${s.address}:${s.port} ${s.scheduler} ${s.flags} ${s.timeout} -> ${s.dests.map((d) => `${d.address}:${d.port}@${d.weight}`).join(' ')}`,
    ),
  };
}

const pick = <T>(rng: Rng, xs: readonly T[]): T => xs[rng.int(xs.length)]!;

function randomService(rng: Rng, i: number): Service {
  return makeTestService('ns', `svc${i}`, (s) => {
    const type = pick(rng, ['ClusterIP', 'NodePort', 'LoadBalancer'] as const);
    s.spec.type = type;
    s.spec.clusterIP = `10.96.0.${10 + i}`;
    // A small pool of external IPs so that services share entries and virtual servers.
    if (rng.int(3) === 0) s.spec.externalIPs = [pick(rng, ['192.0.2.1', '192.0.2.2'])];
    if (type !== 'ClusterIP' && rng.int(2) === 0) s.spec.externalTrafficPolicy = 'Local';
    if (rng.int(4) === 0) s.spec.sessionAffinity = 'ClientIP';
    s.spec.ports = [{ name: 'p', port: pick(rng, [80, 443]), protocol: pick(rng, ['TCP', 'UDP'] as const), targetPort: 8080, ...(type !== 'ClusterIP' ? { nodePort: 30000 + i } : {}) }];
    if (rng.int(3) === 0) s.spec.ports.push({ name: 'q', port: 53, protocol: 'UDP', targetPort: 5353, ...(type !== 'ClusterIP' ? { nodePort: 31000 + i } : {}) });
    if (type === 'LoadBalancer') {
      if (s.spec.externalTrafficPolicy === 'Local') s.spec.healthCheckNodePort = 32000 + i;
      s.status = { loadBalancer: { ingress: [{ ip: pick(rng, ['198.51.100.1', '198.51.100.2', `198.51.100.${10 + i}`]) }] } };
      if (rng.int(3) === 0) s.spec.loadBalancerSourceRanges = [pick(rng, ['203.0.113.0/24', '172.18.0.0/16'])];
    }
  });
}

function randomSlice(rng: Rng, i: number): EndpointSlice {
  return makeTestEndpointSlice('ns', `svc${i}`, 1, (eps) => {
    eps.ports = [{ name: 'p', port: 8080, protocol: pick(rng, ['TCP', 'UDP'] as const) }, { name: 'q', port: 5353, protocol: 'UDP' }];
    const n = rng.int(4);
    eps.endpoints = [];
    for (let e = 0; e < n; e++) {
      eps.endpoints.push({ addresses: [`10.244.${rng.int(3)}.${rng.int(6) + 2}`], conditions: { ready: rng.int(5) !== 0 }, nodeName: pick(rng, ['worker', 'worker2']) });
    }
  });
}

describe('IPVS sync applied as a diff', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`leaves the node as a whole-state reconcile does (seed ${seed}, 80 random changes)`, () => {
      const rng = createRng(seed);
      const p = new IpvsProxier({ nodeName: 'worker', nodeIP: NODE_IP, nodeAddresses: [NODE_IP, '127.0.0.1'], masqueradeMark: '0x4000' });
      const byDiff = host();
      const byReconcile = host();
      const services = new Map<number, Service>();
      const slices = new Map<number, EndpointSlice>();
      let incremental = 0;
      for (let step = 0; step < 80; step++) {
        const i = rng.int(8);
        const op = rng.int(6);
        if (op === 0 || op === 1) {
          const s = randomService(rng, i);
          const old = services.get(i);
          if (old) p.onServiceUpdate(old, s);
          else p.onServiceAdd(s);
          services.set(i, s);
        } else if (op === 2 && services.has(i)) {
          p.onServiceDelete(services.get(i)!);
          services.delete(i);
        } else if (op === 3 && slices.has(i)) {
          p.onEndpointSliceDelete(slices.get(i)!);
          slices.delete(i);
        } else {
          const s = randomSlice(rng, i);
          const old = slices.get(i);
          if (old) p.onEndpointSliceUpdate(old, s);
          else p.onEndpointSliceAdd(s);
          slices.set(i, s);
        }
        if (rng.int(2) === 0) continue;
        const r = p.sync();
        if (r.changes) incremental++;
        applyIpvsState(byDiff, r);
        applyIpvsState(byReconcile, r, true);
        expect(nodeState(byDiff)).toEqual(nodeState(byReconcile));
      }
      // The diff path was really exercised, and the state is not trivially empty.
      expect(incremental).toBeGreaterThan(20);
      expect((nodeState(byReconcile) as { ipvs: string[] }).ipvs.length).toBeGreaterThan(0);
    });
  }
});
