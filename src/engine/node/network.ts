/**
 * The nodes' network namespaces, kept in step with the API objects: one NodeHost per Node
 * (booted with kind's pre-kube-proxy rules), a veth + host route per pod with an IP on that
 * node (kindnet's CNI), and on every node a route to each other node's pod /24 via that
 * node (kindnetd's routes). A controller that only observes: it never writes to the store.
 */
import type { Clock } from '../core/clock';
import { formatIPv4, parseCIDR, parseIPv4 } from '../core/ip';
import type { ClusterConfig } from '../cluster/config';
import type { Controller } from '../controllers/context';
import type { StoreEvent } from '../model/store';
import type { Node, Pod } from '../model/types';
import { bootstrapDockerDns, syncKindMasqAgent, syncKubeletIptables } from './bootstrap';
import { NodeHost } from './host';

/** kind's docker network (`docker network inspect kind`): 172.18.0.0/16, gateway .1. */
const DOCKER_PREFIX = 16;

function nodeIP(n: Node): string | undefined {
  return n.status?.addresses?.find((a) => a.type === 'InternalIP')?.address;
}

export class NodeNetwork implements Controller {
  readonly name = 'node-network';
  readonly hosts = new Map<string, NodeHost>();
  /** pod uid → node it has a veth on. */
  readonly #podNode = new Map<string, string>();
  /** node → its pod CIDR and IP, for the other nodes' routes. */
  readonly #subnets = new Map<string, { cidr: string; ip: string }>();

  constructor(private readonly config: ClusterConfig, private readonly clock: Clock, private readonly seed: number) {}

  host(name: string): NodeHost | undefined {
    return this.hosts.get(name);
  }

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'Node') this.#node(e.type, o as Node);
    else if (o.kind === 'Pod') this.#pod(e.type, o as Pod);
  }

  sync(): boolean {
    return false;
  }

  #node(type: StoreEvent['type'], n: Node): void {
    const name = n.metadata.name;
    if (type === 'DELETED') {
      this.hosts.delete(name);
      this.#subnets.delete(name);
      for (const h of this.hosts.values()) {
        const cidr = n.spec.podCIDR;
        if (cidr) h.removePodSubnetRoute(cidr);
      }
      return;
    }
    const ip = nodeIP(n);
    if (!ip) return;
    if (!this.hosts.has(name)) {
      const index = this.config.nodes.findIndex((c) => c.name === name);
      const cfg = this.config.nodes[index];
      const net = parseCIDR(`${ip}/${DOCKER_PREFIX}`)!;
      const gateway = formatIPv4(net.base + 1);
      const host = new NodeHost({
        name, ip, prefix: DOCKER_PREFIX, extraAddresses: cfg?.addresses ?? [], gateway,
        // Docker's host-side veth index: unknowable from inside; stable per node.
        eth0PeerIfindex: 5 + 2 * Math.max(0, index),
        clock: this.clock, seed: this.seed,
      });
      bootstrapDockerDns(host, gateway);
      syncKubeletIptables(host);
      if (this.config.cni === 'kindnet') syncKindMasqAgent(host, this.config.podCIDR);
      this.hosts.set(name, host);
      for (const [other, s] of this.#subnets) if (other !== name) host.setPodSubnetRoute(s.cidr, s.ip);
    }
    const cidr = n.spec.podCIDR;
    const prev = this.#subnets.get(name);
    if (cidr && (prev?.cidr !== cidr || prev.ip !== ip)) {
      this.#subnets.set(name, { cidr, ip });
      // kindnetd programs routes for the other nodes' pod subnets (not with other CNIs, which we do not model yet).
      for (const [hn, h] of this.hosts) if (hn !== name) h.setPodSubnetRoute(cidr, ip);
    }
  }

  #pod(type: StoreEvent['type'], p: Pod): void {
    const uid = p.metadata.uid;
    if (type === 'DELETED') {
      const node = this.#podNode.get(uid);
      if (node) this.hosts.get(node)?.removePodVeth(uid);
      this.#podNode.delete(uid);
      return;
    }
    const ip = p.status?.podIP;
    const nodeName = p.spec.nodeName;
    if (!ip || !nodeName || p.spec.hostNetwork || this.#podNode.has(uid)) return;
    const host = this.hosts.get(nodeName);
    const cidr = (this.#subnets.get(nodeName)?.cidr) ?? '';
    const c = parseCIDR(cidr);
    if (!host || !c || parseIPv4(ip) === undefined) return;
    // host-local IPAM's default gateway: the first address of the node's range.
    host.addPodVeth({ namespace: p.metadata.namespace!, name: p.metadata.name, uid, ip }, formatIPv4(c.base + 1));
    this.#podNode.set(uid, nodeName);
  }
}
