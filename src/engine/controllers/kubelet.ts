/**
 * The kubelets of all nodes: for each pod bound to a node, the CNI's IP (host-local style:
 * the node's /24, from .2, continuing after the last one handed out), image pull, container
 * start, readiness from the emulated app listening on the probed port after
 * initialDelaySeconds, and graceful termination (SIGTERM, then the grace period).
 * Event texts follow pkg/kubelet/events and images/image_manager.go.
 */
import { clone } from '../core/json';
import { rfc3339 } from '../core/clock';
import { formatIPv4, parseCIDR } from '../core/ip';
import type { StoreEvent } from '../model/store';
import type { Container, ContainerStatus, Node, Pod, PodCondition, Probe } from '../model/types';
import { appFor, type AppModel } from '../apps/images';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';

/** Images kind preloads on every node: their pulls say "already present on machine". */
const PRELOADED = /^(registry\.k8s\.io\/|docker\.io\/kindest\/)/;

function sha(text: string): string {
  let h1 = 0x811c9dc5, out = '';
  for (let round = 0; round < 8; round++) {
    for (let i = 0; i < text.length; i++) h1 = Math.imul(h1 ^ text.charCodeAt(i), 0x01000193) >>> 0;
    h1 = Math.imul(h1 ^ round, 0x01000193) >>> 0;
    out += h1.toString(16).padStart(8, '0');
  }
  return out;
}

function probePort(c: Container, p: Probe): number | undefined {
  const port = p.httpGet?.port ?? p.tcpSocket?.port;
  if (typeof port === 'number') return port;
  return c.ports?.find((cp) => cp.name === port)?.containerPort;
}

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  #dirty = new DirtySet();
  #nextIP = new Map<string, number>();
  #usedIPs = new Map<string, Set<number>>();
  #images = new Map<string, Set<string>>();
  #started = new Set<string>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const p = e.object as Pod;
    if (p.kind !== 'Pod') return;
    if (e.type === 'DELETED') {
      this.#release(p);
      this.#started.delete(p.metadata.uid);
      return;
    }
    if (p.spec.nodeName) this.#dirty.add(nsName(p.metadata.namespace, p.metadata.name));
  }

  sync(): boolean {
    let wrote = false;
    for (const key of this.#dirty.drain()) {
      const [ns, name] = splitKey(key);
      const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
      if (!pod || !pod.spec.nodeName) continue;
      if (pod.metadata.deletionTimestamp) wrote = this.#terminate(pod) || wrote;
      else if (!pod.status?.startTime) wrote = this.#admit(pod) || wrote;
    }
    return wrote;
  }

  #node(pod: Pod): Node | undefined {
    return this.ctx.store.get('Node', undefined, pod.spec.nodeName!) as Node | undefined;
  }

  #allocateIP(node: Node): string | undefined {
    const cidr = parseCIDR(node.spec.podCIDR ?? '');
    if (!cidr) return undefined;
    const used = this.#usedIPs.get(node.metadata.name) ?? new Set<number>();
    this.#usedIPs.set(node.metadata.name, used);
    let cur = this.#nextIP.get(node.metadata.name) ?? 1;
    for (let i = 0; i < cidr.size - 3; i++) {
      cur = cur + 1 >= cidr.size - 1 ? 2 : cur + 1;
      if (!used.has(cur)) {
        used.add(cur);
        this.#nextIP.set(node.metadata.name, cur);
        return formatIPv4(cidr.base + cur);
      }
    }
    return undefined;
  }

  #release(p: Pod): void {
    const node = p.spec.nodeName && (this.ctx.store.get('Node', undefined, p.spec.nodeName) as Node | undefined);
    const ip = p.status?.podIP;
    if (!node || !ip || p.spec.hostNetwork) return;
    const cidr = parseCIDR(node.spec.podCIDR ?? '');
    const parts = ip.split('.').map(Number);
    const n = (((parts[0]! << 24) >>> 0) + (parts[1]! << 16) + (parts[2]! << 8) + parts[3]!) >>> 0;
    if (cidr) this.#usedIPs.get(node.metadata.name)?.delete(n - cidr.base);
  }

  #admit(pod: Pod): boolean {
    const node = this.#node(pod);
    if (!node) return false;
    const { clock } = this.ctx;
    const now = clock.now();
    const nodeIP = node.status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    const podIP = pod.spec.hostNetwork ? nodeIP : this.#allocateIP(node);
    if (!podIP) return false;
    const next = clone(pod);
    const t = rfc3339(now);
    next.status = {
      ...(next.status ?? {}),
      phase: 'Pending',
      hostIP: nodeIP,
      hostIPs: [{ ip: nodeIP }],
      podIP,
      podIPs: [{ ip: podIP }],
      startTime: t,
      conditions: [
        { type: 'PodReadyToStartContainers', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        { type: 'Initialized', status: 'True', lastProbeTime: null, lastTransitionTime: t },
        { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` },
        { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: t, reason: 'ContainersNotReady', message: `containers with unready status: [${pod.spec.containers.map((c) => c.name).join(' ')}]` },
        ...(pod.status?.conditions?.filter((c) => c.type === 'PodScheduled') ?? []),
      ],
      containerStatuses: pod.spec.containers.map((c): ContainerStatus => ({
        name: c.name,
        image: c.image,
        imageID: '',
        ready: false,
        started: false,
        restartCount: 0,
        state: { waiting: { reason: 'ContainerCreating' } },
        lastState: {},
      })),
    };
    this.ctx.api.write(next);
    // Pull every container image (sequentially, as the kubelet's serial puller does).
    let at = now;
    const cache = this.#images.get(node.metadata.name) ?? new Set<string>();
    this.#images.set(node.metadata.name, cache);
    const host = node.metadata.name;
    const pulls: (() => void)[] = [];
    for (const c of pod.spec.containers) {
      const app = appFor(c);
      const present = PRELOADED.test(c.image) || (c.imagePullPolicy !== 'Always' && cache.has(c.image));
      const field = `spec.containers{${c.name}}`;
      if (present) {
        pulls.push(() => this.ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine and can be accessed by the pod`, 'kubelet', host, field));
        at += 100;
      } else {
        const ms = 800 + Math.round(app.sizeBytes / 40_000);
        this.ctx.events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', host, field);
        const secs = (ms / 1000).toFixed(3).replace(/0+$/, '').replace(/\.$/, '');
        pulls.push(() => this.ctx.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${secs}s (${secs}s including waiting). Image size: ${app.sizeBytes} bytes.`, 'kubelet', host, field));
        at += ms;
      }
    }
    const uid = pod.metadata.uid;
    this.ctx.timers.at(at, () => {
      for (const c of pod.spec.containers) cache.add(c.image);
      for (const f of pulls) f();
      this.#start(pod.metadata.namespace!, pod.metadata.name, uid);
    });
    return true;
  }

  #current(ns: string, name: string, uid: string): Pod | undefined {
    const p = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
    return p && p.metadata.uid === uid && !p.metadata.deletionTimestamp ? p : undefined;
  }

  #start(ns: string, name: string, uid: string): void {
    const pod = this.#current(ns, name, uid);
    if (!pod || this.#started.has(uid)) return;
    this.#started.add(uid);
    const now = this.ctx.clock.now();
    const t = rfc3339(now);
    const host = pod.spec.nodeName!;
    const next = clone(pod);
    next.status!.phase = 'Running';
    next.status!.containerStatuses = pod.spec.containers.map((c, i): ContainerStatus => ({
      name: c.name,
      image: c.image.includes('/') || c.image.includes('.') ? c.image : `docker.io/library/${c.image}${c.image.includes(':') ? '' : ':latest'}`,
      imageID: `${c.image.split(':')[0]}@sha256:${sha(c.image)}`,
      containerID: `containerd://${sha(`${uid}/${c.name}/${i}`)}`,
      ready: !c.readinessProbe,
      started: true,
      restartCount: 0,
      state: { running: { startedAt: t } },
      lastState: {},
    }));
    for (const c of pod.spec.containers) {
      const field = `spec.containers{${c.name}}`;
      this.ctx.events.record(pod, 'Normal', 'Created', `Created container: ${c.name}`, 'kubelet', host, field);
      this.ctx.events.record(pod, 'Normal', 'Started', `Started container ${c.name}`, 'kubelet', host, field);
    }
    this.#setReadyConditions(next, now);
    this.ctx.api.write(next);
    for (const c of pod.spec.containers) {
      if (!c.readinessProbe) continue;
      const probe = c.readinessProbe;
      const delay = (probe.initialDelaySeconds ?? 0) * 1000;
      this.ctx.timers.at(now + delay, () => this.#probe(ns, name, uid, c, probe));
    }
  }

  /** A readiness probe against the emulated app: does it listen on the probed TCP port? */
  #probe(ns: string, name: string, uid: string, c: Container, probe: Probe): void {
    const pod = this.#current(ns, name, uid);
    if (!pod) return;
    const app: AppModel = appFor(c);
    const port = probePort(c, probe);
    const ok = probe.exec ? true : port !== undefined && app.listens.some((l) => l.port === port && l.protocol === 'TCP');
    if (!ok) {
      const ip = pod.status?.podIP ?? '';
      const msg = probe.httpGet
        ? `Readiness probe failed: Get "${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${ip}:${port ?? probe.httpGet.port}${probe.httpGet.path ?? '/'}": dial tcp ${ip}:${port ?? probe.httpGet.port}: connect: connection refused`
        : `Readiness probe failed: dial tcp ${ip}:${port}: connect: connection refused`;
      this.ctx.events.record(pod, 'Warning', 'Unhealthy', msg, 'kubelet', pod.spec.nodeName, `spec.containers{${c.name}}`);
      return;
    }
    const next = clone(pod);
    const st = next.status!.containerStatuses!.find((s) => s.name === c.name);
    if (!st || st.ready) return;
    st.ready = true;
    this.#setReadyConditions(next, this.ctx.clock.now());
    this.ctx.api.write(next);
  }

  #setReadyConditions(pod: Pod, now: number): void {
    const statuses = pod.status!.containerStatuses ?? [];
    const unready = statuses.filter((s) => !s.ready).map((s) => s.name);
    const conds = pod.status!.conditions ?? [];
    const set = (type: PodCondition['type']) => {
      const c = conds.find((x) => x.type === type);
      if (!c) return;
      const status = unready.length ? 'False' : 'True';
      if (c.status !== status) c.lastTransitionTime = rfc3339(now);
      c.status = status;
      if (unready.length) {
        c.reason = 'ContainersNotReady';
        c.message = `containers with unready status: [${unready.join(' ')}]`;
      } else {
        delete c.reason;
        delete c.message;
      }
    };
    set('Ready');
    set('ContainersReady');
  }

  /** SIGTERM now; the pod object goes when the app exits or the grace period ends. */
  #terminate(pod: Pod): boolean {
    const key = `term:${pod.metadata.uid}`;
    if (this.#started.has(key)) return false;
    this.#started.add(key);
    const now = this.ctx.clock.now();
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    const running = pod.status?.phase === 'Running';
    let exitAt = now;
    for (const c of pod.spec.containers) {
      if (running) this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${c.name}`, 'kubelet', pod.spec.nodeName, `spec.containers{${c.name}}`);
      exitAt = Math.max(exitAt, !running ? now : appFor(c).exitsOnSigterm ? now + Math.min(grace, 1000) : now + grace);
    }
    const { namespace, name, uid } = pod.metadata;
    this.ctx.timers.at(exitAt, () => {
      const p = this.ctx.store.get('Pod', namespace, name);
      if (p && p.metadata.uid === uid) this.ctx.api.purge(p);
    });
    return false;
  }
}
