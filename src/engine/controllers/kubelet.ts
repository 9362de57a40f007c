/**
 * The kubelets of all nodes. For each pod bound to a node: the CNI's IP (host-local style:
 * the node's /24, from .2, continuing after the last one handed out), image pulls, container
 * start, the container's main process as the emulated app models it (servers run, `busybox`
 * with nothing to do exits), probes, restarts with the crash-loop back-off, the pod phase,
 * and graceful termination (SIGTERM, then the grace period).
 *
 * Upstream behaviour followed (pkg/kubelet):
 * - prober/worker.go: a probe worker per container and probe; readiness starts Failure,
 *   liveness/startup start Success; liveness and readiness are skipped until the startup
 *   probe succeeded; successThreshold/failureThreshold consecutive results flip the result;
 *   every failed probe records `Warning Unhealthy "<Kind> probe failed: <output>"`. We probe
 *   first at start + initialDelaySeconds, then every periodSeconds (the kubelet also
 *   probes readiness early on status updates; this keeps it deterministic).
 * - kuberuntime_manager.go computePodActions: a container failing liveness/startup is killed
 *   (`Killing` "Container c failed liveness probe, will be restarted") and started again at
 *   once unless restartPolicy is Never; an exited container restarts per restartPolicy.
 * - doBackOff + flowcontrol.Backoff: the back-off is checked against the finish time of the
 *   latest exited instance; 10s doubling to 5m, reset after 10m without trouble; while it
 *   holds, the container waits in CrashLoopBackOff (`back-off 20s restarting failed
 *   container=c pod=p_ns(uid)`) and every pod sync (10s, pod_workers backOffPeriod) records
 *   `Warning BackOff "Back-off restarting failed container c in pod p_ns(uid)"`.
 * - kubelet_pods.go getPhase and status/generate.go: phase from container states; Ready and
 *   ContainersReady False with PodCompleted/PodFailed once terminal.
 * Event texts follow pkg/kubelet/events and images/image_manager.go.
 */
import { clone, deepEqual } from '../core/json';
import { goDuration, rfc3339 } from '../core/clock';
import { formatIPv4, parseCIDR } from '../core/ip';
import type { StoreEvent } from '../model/store';
import type { Container, ContainerState, ContainerStatus, Node, Pod, PodCondition, PodPhase, PodSpec, Probe } from '../model/types';
import { appFor, httpStatus, processFor, runByAttachedClient } from '../apps/images';
import { AppStates, type AppState } from '../apps/state';
import { LogBook, startupLines } from '../apps/logs';
import { DirtySet, nsName, splitKey, type Controller, type ControllerContext } from './context';

/** Images kind preloads on every node: their pulls say "already present on machine". */
const PRELOADED = /^(registry\.k8s\.io\/|docker\.io\/kindest\/)/;
/** flowcontrol.Backoff of the kubelet: initial 10s, doubling, at most 5m (kubelet.go). */
export const BACKOFF_INITIAL_MS = 10_000;
export const BACKOFF_MAX_MS = 300_000;
/** pod_workers.go backOffPeriod: how often a pod in back-off is synced again. */
const POD_RESYNC_MS = 10_000;

export type ProbeKind = 'readiness' | 'liveness' | 'startup';
const PROBE_FIELD = { readiness: 'readinessProbe', liveness: 'livenessProbe', startup: 'startupProbe' } as const;
const PROBE_TITLE = { readiness: 'Readiness', liveness: 'Liveness', startup: 'Startup' } as const;

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
  const port = p.httpGet?.port ?? p.tcpSocket?.port ?? (p as { grpc?: { port?: number } }).grpc?.port;
  if (typeof port === 'number') return port;
  return c.ports?.find((cp) => cp.name === port)?.containerPort;
}

const endpointOf = (c: Container, p: Probe | undefined): string | undefined =>
  p?.httpGet ? `${probePort(c, p)}${p.httpGet.path ?? '/'}` : undefined;

/**
 * One probe against the emulated app, as prober.go runs it: the result and the output the
 * kubelet puts after "<Kind> probe failed: ".
 */
export function runProbe(kind: ProbeKind, c: Container, podIP: string, state: Readonly<AppState>): { ok: boolean; output: string } {
  const probe = c[PROBE_FIELD[kind]]!;
  const app = appFor(c);
  if (probe.exec) {
    const failing = (kind === 'readiness' && !state.ready) || (kind === 'liveness' && !state.live);
    return { ok: !failing, output: '' };
  }
  const port = probePort(c, probe);
  const listening = state.listening && port !== undefined && app.listens.some((l) => l.port === port && l.protocol === 'TCP');
  const shown = port ?? probe.httpGet?.port ?? probe.tcpSocket?.port;
  if (probe.httpGet) {
    const host = (probe.httpGet as { host?: string }).host ?? podIP;
    const path = probe.httpGet.path ?? '/';
    const url = `${(probe.httpGet.scheme ?? 'HTTP').toLowerCase()}://${host}:${shown}${path}`;
    if (!listening) return { ok: false, output: `Get "${url}": dial tcp ${host}:${shown}: connect: connection refused` };
    let status = httpStatus(app, port!, path) ?? 200;
    const here = `${port}${path}`;
    if (!state.ready && here === endpointOf(c, c.readinessProbe)) status = 503;
    if (!state.live && here === endpointOf(c, c.livenessProbe)) status = 500;
    // probe/http/http.go: 200 ≤ code < 400 is success.
    return status >= 200 && status < 400 ? { ok: true, output: '' } : { ok: false, output: `HTTP probe failed with statuscode: ${status}` };
  }
  if (probe.tcpSocket) return listening ? { ok: true, output: '' } : { ok: false, output: `dial tcp ${podIP}:${shown}: connect: connection refused` };
  // gRPC health check (probe/grpc/grpc.go).
  return listening ? { ok: true, output: '' } : { ok: false, output: `timeout: failed to connect service "${podIP}:${shown}" within ${probe.timeoutSeconds ?? 1}s: context deadline exceeded` };
}

/** kubelet_pods.go getPhase for regular containers. */
export function podPhase(spec: PodSpec, statuses: readonly ContainerStatus[]): PodPhase {
  let running = 0, waiting = 0, stopped = 0, succeeded = 0, unknown = 0;
  for (const c of spec.containers) {
    const s = statuses.find((x) => x.name === c.name);
    if (!s) unknown++;
    else if (s.state.running) running++;
    else if (s.state.terminated) {
      stopped++;
      if (s.state.terminated.exitCode === 0) succeeded++;
    } else if (s.state.waiting) {
      if (s.lastState.terminated) stopped++;
      else waiting++;
    } else unknown++;
  }
  if (waiting > 0) return 'Pending';
  if (running > 0 && unknown === 0) return 'Running';
  if (running === 0 && stopped > 0 && unknown === 0) {
    if (spec.restartPolicy === 'Always') return 'Running';
    if (stopped === succeeded) return 'Succeeded';
    if (spec.restartPolicy === 'Never') return 'Failed';
    return 'Running';
  }
  return 'Pending';
}

interface ContainerRun {
  spec: Container;
  index: number;
  /** Attempt number, 1 for the first start; timers carry it so stale ones do nothing. */
  run: number;
  running: boolean;
  /** A liveness/startup kill or a pod deletion is stopping it. */
  stopping: boolean;
  ready: boolean;
  started: boolean;
  successes: Record<ProbeKind, number>;
  failures: Record<ProbeKind, number>;
  /** finishedAt of the latest exited instance (what doBackOff looks at). */
  lastFinishedAt?: number;
  backoff?: { ms: number; lastUpdate: number };
  status: ContainerStatus;
  /**
   * What the attached client's run of the command printed and how it exited
   * (runByAttachedClient): a restart, with no client attached, does it again.
   */
  attached?: { exitCode: number; lines: string[] };
}

interface PodRun {
  uid: string;
  ns: string;
  name: string;
  node: string;
  containers: ContainerRun[];
  terminating: boolean;
}

export class Kubelet implements Controller {
  readonly name = 'kubelet';
  readonly apps = new AppStates();
  /** Every container instance's output (the CRI log files). */
  readonly logs = new LogBook();
  #dirty = new DirtySet();
  #nextIP = new Map<string, number>();
  #usedIPs = new Map<string, Set<number>>();
  #images = new Map<string, Set<string>>();
  #pods = new Map<string, PodRun>();
  constructor(private readonly ctx: ControllerContext) {}

  observe(e: StoreEvent): void {
    const p = e.object as Pod;
    if (p.kind !== 'Pod') return;
    if (e.type === 'DELETED') {
      this.#release(p);
      this.#pods.delete(p.metadata.uid);
      this.apps.forget(p.metadata.uid, p.spec.containers.map((c) => c.name));
      this.logs.forget(p.metadata.uid, p.spec.containers.map((c) => c.name));
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

  // ---- the facade's hooks ----

  /** Pod and container a hook names, or the reason it cannot. */
  locate(ns: string, name: string, container?: string): { pod: Pod; container: Container } | { error: 'pod' | 'container' } {
    const pod = this.ctx.store.get('Pod', ns, name) as Pod | undefined;
    if (!pod) return { error: 'pod' };
    const c = container === undefined ? pod.spec.containers[0] : pod.spec.containers.find((x) => x.name === container);
    return c ? { pod, container: c } : { error: 'container' };
  }

  /** Flip the app's switches; `exitCode` makes its main process exit now (if it runs). */
  setAppState(pod: Pod, container: string, patch: Partial<AppState> & { exitCode?: number }): void {
    const { exitCode, ...rest } = patch;
    this.apps.set(pod.metadata.uid, container, rest);
    if (exitCode === undefined) return;
    const pr = this.#pods.get(pod.metadata.uid);
    const cr = pr?.containers.find((c) => c.spec.name === container);
    if (!pr || !cr?.running || cr.stopping) return;
    if (runByAttachedClient(cr.spec) && !cr.attached) {
      cr.attached = { exitCode, lines: (this.logs.read(pod.metadata.uid, container, false) ?? []).map((l) => l.text) };
    }
    this.#exited(pr, cr, cr.run, exitCode);
  }

  /**
   * Which instance's log a `kubectl logs [--previous]` reads, as the kubelet's
   * validateContainerLogStatus decides: the running or terminated instance, or, while a
   * crashed container waits in back-off, the one that last terminated (for both current and
   * previous); an error text when there is none.
   */
  readLogs(pod: Pod, container: string, previous: boolean): { lines: import('../apps/logs').LogLine[] } | { error: string } {
    const cr = this.#pods.get(pod.metadata.uid)?.containers.find((c) => c.spec.name === container);
    const name = pod.metadata.name;
    const st = cr?.status;
    if (previous) {
      if (!cr || !st?.lastState?.terminated) return { error: `previous terminated container "${container}" in pod "${name}" not found` };
      // In back-off the last terminated instance is still the newest one the runtime has.
      return { lines: this.logs.read(pod.metadata.uid, container, !st.state.waiting) ?? [] };
    }
    if (!cr || cr.run === 0) return { error: `container "${container}" in pod "${name}" is waiting to start: ${st?.state.waiting?.reason ?? 'ContainerCreating'}` };
    return { lines: this.logs.read(pod.metadata.uid, container, false) ?? [] };
  }

  /** Is the container's process running (for clients that connect to it)? */
  isRunning(pod: Pod, container: string): boolean {
    return this.#pods.get(pod.metadata.uid)?.containers.find((c) => c.spec.name === container)?.running ?? false;
  }

  // ---- admission, IPs, pulls ----

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
    const now = this.ctx.clock.now();
    const nodeIP = node.status.addresses?.find((a) => a.type === 'InternalIP')?.address ?? '';
    const podIP = pod.spec.hostNetwork ? nodeIP : this.#allocateIP(node);
    if (!podIP) return false;
    const t = rfc3339(now);
    const pr: PodRun = {
      uid: pod.metadata.uid,
      ns: pod.metadata.namespace!,
      name: pod.metadata.name,
      node: node.metadata.name,
      terminating: false,
      containers: pod.spec.containers.map((c, index) => ({
        spec: c,
        index,
        run: 0,
        running: false,
        stopping: false,
        ready: false,
        started: false,
        successes: { readiness: 0, liveness: 0, startup: 0 },
        failures: { readiness: 0, liveness: 0, startup: 0 },
        status: { name: c.name, image: c.image, imageID: '', ready: false, started: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } }, lastState: {} },
      })),
    };
    this.#pods.set(pr.uid, pr);
    const next = clone(pod);
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
        { type: 'Ready', status: 'False', lastProbeTime: null, lastTransitionTime: t },
        { type: 'ContainersReady', status: 'False', lastProbeTime: null, lastTransitionTime: t },
        ...(pod.status?.conditions?.filter((c) => c.type === 'PodScheduled') ?? []),
      ],
      containerStatuses: pr.containers.map((c) => clone(c.status)),
    };
    deriveStatus(next, now);
    this.ctx.api.write(next);
    // Pull every container image (sequentially, as the kubelet's serial puller does).
    let at = now;
    const cache = this.#cache(node.metadata.name);
    const pulls: (() => void)[] = [];
    for (const c of pod.spec.containers) {
      const present = PRELOADED.test(c.image) || (c.imagePullPolicy !== 'Always' && cache.has(c.image));
      const pull = this.#pull(pod, c, present, node.metadata.name);
      if (pull.pulling) pull.pulling();
      pulls.push(pull.done);
      at += pull.ms;
    }
    this.ctx.timers.at(at, () => {
      for (const c of pod.spec.containers) cache.add(c.image);
      for (const f of pulls) f();
      this.#startAll(pr);
    });
    return true;
  }

  #cache(node: string): Set<string> {
    let cache = this.#images.get(node);
    if (!cache) this.#images.set(node, (cache = new Set()));
    return cache;
  }

  /** The events of one image pull (image_manager.go EnsureImageExists) and how long it takes. */
  #pull(pod: Pod, c: Container, present: boolean, host: string): { ms: number; pulling?: () => void; done: () => void } {
    const field = `spec.containers{${c.name}}`;
    if (present) {
      return { ms: 100, done: () => this.ctx.events.record(pod, 'Normal', 'Pulled', `Container image "${c.image}" already present on machine and can be accessed by the pod`, 'kubelet', host, field) };
    }
    const app = appFor(c);
    // A layer-cached re-pull (imagePullPolicy Always on a restart) only fetches the manifest.
    const cached = this.#cache(host).has(c.image);
    const ms = cached ? 300 + Math.round(app.sizeBytes / 1_000_000) : 800 + Math.round(app.sizeBytes / 40_000);
    const d = goDuration(ms);
    return {
      ms,
      pulling: () => this.ctx.events.record(pod, 'Normal', 'Pulling', `Pulling image "${c.image}"`, 'kubelet', host, field),
      done: () => this.ctx.events.record(pod, 'Normal', 'Pulled', `Successfully pulled image "${c.image}" in ${d} (${d} including waiting). Image size: ${app.sizeBytes} bytes.`, 'kubelet', host, field),
    };
  }

  #current(pr: PodRun): Pod | undefined {
    const p = this.ctx.store.get('Pod', pr.ns, pr.name) as Pod | undefined;
    return p && p.metadata.uid === pr.uid ? p : undefined;
  }

  /** Write the containers' statuses and what follows from them (phase, conditions). */
  #publish(pr: PodRun): void {
    const pod = this.#current(pr);
    if (!pod) return;
    const next = clone(pod);
    next.status = { ...(next.status ?? {}), containerStatuses: pr.containers.map((c) => clone(c.status)) };
    deriveStatus(next, this.ctx.clock.now());
    if (deepEqual(next.status, pod.status)) return;
    this.ctx.api.write(next);
  }

  #event(pr: PodRun, type: 'Normal' | 'Warning', reason: string, message: string, cr?: ContainerRun): void {
    const pod = this.#current(pr);
    if (pod) this.ctx.events.record(pod, type, reason, message, 'kubelet', pr.node, cr ? `spec.containers{${cr.spec.name}}` : undefined);
  }

  // ---- container lifecycle ----

  #startAll(pr: PodRun): void {
    const pod = this.#current(pr);
    if (!pod || pr.terminating || pod.metadata.deletionTimestamp) return;
    for (const cr of pr.containers) if (cr.run === 0) this.#start(pr, cr);
    this.#publish(pr);
  }

  /** Create and start one container instance (status is published by the caller). */
  #start(pr: PodRun, cr: ContainerRun): void {
    const now = this.ctx.clock.now();
    const c = cr.spec;
    if (cr.run > 0) this.apps.restarted(pr.uid, c.name);
    cr.run++;
    cr.running = true;
    cr.stopping = false;
    cr.started = !c.startupProbe;
    cr.ready = cr.started && !c.readinessProbe;
    cr.successes = { readiness: 0, liveness: 0, startup: 0 };
    cr.failures = { readiness: 0, liveness: 0, startup: 0 };
    const image = c.image.includes('/') || c.image.includes('.') ? c.image : `docker.io/library/${c.image}${c.image.includes(':') ? '' : ':latest'}`;
    cr.status = {
      name: c.name,
      image,
      imageID: `${image.split(':')[0]}@sha256:${sha(c.image)}`,
      containerID: `containerd://${sha(`${pr.uid}/${c.name}/${cr.index}/${cr.run}`)}`,
      ready: cr.ready,
      started: cr.started,
      restartCount: cr.run - 1,
      state: { running: { startedAt: rfc3339(now) } },
      lastState: cr.status.lastState,
    };
    // A restart of a command an attached client ran: no client now, it does what it did then.
    const again = runByAttachedClient(c) ? cr.attached : undefined;
    this.logs.started(pr.uid, c.name, cr.run, again ? again.lines.map((text) => ({ t: now, text })) : startupLines(c, this.#startContext(pr, now)));
    this.#event(pr, 'Normal', 'Created', `Created container: ${c.name}`, cr);
    this.#event(pr, 'Normal', 'Started', `Started container ${c.name}`, cr);
    const run = cr.run;
    const proc = again ? { runsMs: 0, exitCode: again.exitCode } : processFor(c);
    if (proc.runsMs !== undefined) this.ctx.timers.at(now + proc.runsMs, () => this.#exited(pr, cr, run, proc.exitCode));
    for (const kind of ['startup', 'liveness', 'readiness'] as const) {
      const probe = c[PROBE_FIELD[kind]];
      if (probe) this.ctx.timers.at(now + (probe.initialDelaySeconds ?? 0) * 1000, () => this.#probe(pr, cr, run, kind));
    }
  }

  /** What an image sees of its node and config as it starts (for its start-up output). */
  #startContext(pr: PodRun, now: number) {
    const node = this.ctx.store.get('Node', undefined, pr.node) as Node | undefined;
    const cm = this.ctx.store.get('ConfigMap', 'kube-system', 'coredns') as { data?: Record<string, string> } | undefined;
    return {
      now,
      cpus: Number(node?.status.capacity?.['cpu'] ?? 8) || 8,
      kernel: node?.status.nodeInfo?.kernelVersion ?? '6.8.0-generic',
      corefile: cm?.data?.['Corefile'],
    };
  }

  #live(pr: PodRun, cr: ContainerRun, run: number): boolean {
    return cr.run === run && cr.running && !pr.terminating && this.#pods.get(pr.uid) === pr && !!this.#current(pr);
  }

  /** One probe of one container (prober/worker.go doProbe), then the next one is scheduled. */
  #probe(pr: PodRun, cr: ContainerRun, run: number, kind: ProbeKind): void {
    if (!this.#live(pr, cr, run) || cr.stopping) return;
    const probe = cr.spec[PROBE_FIELD[kind]]!;
    const period = (probe.periodSeconds ?? 10) * 1000;
    const again = () => this.ctx.timers.at(this.ctx.clock.now() + period, () => this.#probe(pr, cr, run, kind));
    if (kind === 'startup' && cr.started) return; // the startup worker stops once it succeeded
    if (kind !== 'startup' && !cr.started) return again();
    const pod = this.#current(pr)!;
    const { ok, output } = runProbe(kind, cr.spec, pod.status?.podIP ?? '', this.apps.get(pr.uid, cr.spec.name));
    if (ok) {
      cr.successes[kind]++;
      cr.failures[kind] = 0;
    } else {
      cr.failures[kind]++;
      cr.successes[kind] = 0;
      this.#event(pr, 'Warning', 'Unhealthy', `${PROBE_TITLE[kind]} probe failed: ${output}`, cr);
    }
    const passed = cr.successes[kind] >= (probe.successThreshold ?? 1);
    const failed = cr.failures[kind] >= (probe.failureThreshold ?? 3);
    if (kind === 'readiness') {
      const ready = passed ? true : failed ? false : cr.ready;
      if (ready !== cr.ready) {
        cr.ready = ready;
        cr.status.ready = ready;
        this.#publish(pr);
      }
      return again();
    }
    if (kind === 'startup' && passed) {
      cr.started = true;
      cr.status.started = true;
      if (!cr.spec.readinessProbe) cr.ready = cr.status.ready = true;
      this.#publish(pr);
      return;
    }
    if (failed) return this.#kill(pr, cr, kind);
    return again();
  }

  /** computePodActions → killContainer for a failed liveness/startup probe. */
  #kill(pr: PodRun, cr: ContainerRun, kind: 'liveness' | 'startup'): void {
    const pod = this.#current(pr)!;
    const restart = pod.spec.restartPolicy !== 'Never';
    const message = `Container ${cr.spec.name} failed ${kind} probe${restart ? ', will be restarted' : ''}`;
    this.#event(pr, 'Normal', 'Killing', message, cr);
    cr.stopping = true;
    const probe = cr.spec[PROBE_FIELD[kind]]!;
    const grace = (probe.terminationGracePeriodSeconds ?? pod.spec.terminationGracePeriodSeconds ?? 30) * 1000;
    const app = appFor(cr.spec);
    const run = cr.run;
    // The app exits on SIGTERM (code 0) or is SIGKILLed when the grace period ends (137).
    const [after, code] = app.exitsOnSigterm ? [Math.min(grace, 1000), 0] : [grace, 137];
    this.ctx.timers.at(this.ctx.clock.now() + after, () => this.#exited(pr, cr, run, code, true));
  }

  /** The container's process ended: record it, then restart, back off or stay terminated. */
  #exited(pr: PodRun, cr: ContainerRun, run: number, exitCode: number, killedByKubelet = false): void {
    if (cr.run !== run || !cr.running || this.#pods.get(pr.uid) !== pr) return;
    const pod = this.#current(pr);
    if (!pod || pr.terminating) return;
    const now = this.ctx.clock.now();
    const prevFinishedAt = cr.lastFinishedAt;
    const terminated: ContainerState['terminated'] = {
      exitCode,
      reason: exitCode === 0 ? 'Completed' : 'Error',
      startedAt: cr.status.state.running?.startedAt,
      finishedAt: rfc3339(now),
      containerID: cr.status.containerID,
    };
    cr.running = false;
    cr.stopping = false;
    cr.ready = false;
    cr.started = false;
    cr.lastFinishedAt = now;
    const policy = pod.spec.restartPolicy ?? 'Always';
    const restart = policy === 'Always' || (policy === 'OnFailure' && (exitCode !== 0 || killedByKubelet));
    if (!restart) {
      cr.status = { ...cr.status, ready: false, started: false, state: { terminated } };
      this.#publish(pr);
      return;
    }
    cr.status = { ...cr.status, ready: false, started: false, lastState: { terminated } };
    // A kill-and-restart in one sync checks the back-off against the previous exited
    // instance (if any); a container that exited on its own, against this one.
    if (killedByKubelet && prevFinishedAt === undefined) this.#pullAndStart(pr, cr);
    else this.#tryRestart(pr, cr, killedByKubelet ? prevFinishedAt! : now);
    this.#publish(pr);
  }

  /** doBackOff: restart now, or wait in CrashLoopBackOff and sync again later. */
  #tryRestart(pr: PodRun, cr: ContainerRun, finishedAt: number): void {
    const now = this.ctx.clock.now();
    const b = cr.backoff;
    const expired = (t: number) => !b || t - b.lastUpdate > 2 * BACKOFF_MAX_MS;
    if (b && !expired(finishedAt) && now - finishedAt < b.ms) {
      const who = `${pr.name}_${pr.ns}(${pr.uid})`;
      this.#event(pr, 'Warning', 'BackOff', `Back-off restarting failed container ${cr.spec.name} in pod ${who}`, cr);
      cr.status = { ...cr.status, state: { waiting: { reason: 'CrashLoopBackOff', message: `back-off ${goDuration(b.ms)} restarting failed container=${cr.spec.name} pod=${who}` } } };
      const run = cr.run;
      this.ctx.timers.at(now + POD_RESYNC_MS, () => {
        if (cr.run !== run || cr.running || pr.terminating || this.#pods.get(pr.uid) !== pr || !this.#current(pr)) return;
        this.#tryRestart(pr, cr, cr.lastFinishedAt!);
        this.#publish(pr);
      });
      return;
    }
    // Backoff.Next(key, finishedAt).
    cr.backoff = expired(finishedAt) ? { ms: BACKOFF_INITIAL_MS, lastUpdate: now } : { ms: Math.min(b!.ms * 2, BACKOFF_MAX_MS), lastUpdate: now };
    this.#pullAndStart(pr, cr);
  }

  /** startContainer: EnsureImageExists (its events), then create and start. */
  #pullAndStart(pr: PodRun, cr: ContainerRun): void {
    const pod = this.#current(pr)!;
    const c = cr.spec;
    const present = PRELOADED.test(c.image) || (c.imagePullPolicy !== 'Always' && this.#cache(pr.node).has(c.image));
    const pull = this.#pull(pod, c, present, pr.node);
    pull.pulling?.();
    pull.done();
    this.#start(pr, cr);
  }

  /** SIGTERM now; the pod object goes when the apps exit or the grace period ends. */
  #terminate(pod: Pod): boolean {
    const pr = this.#pods.get(pod.metadata.uid);
    if (pr?.terminating) return false;
    const now = this.ctx.clock.now();
    const grace = (pod.metadata.deletionGracePeriodSeconds ?? 30) * 1000;
    let exitAt = now;
    if (pr) {
      pr.terminating = true;
      for (const cr of pr.containers) {
        if (!cr.running) continue;
        this.ctx.events.record(pod, 'Normal', 'Killing', `Stopping container ${cr.spec.name}`, 'kubelet', pod.spec.nodeName, `spec.containers{${cr.spec.name}}`);
        exitAt = Math.max(exitAt, appFor(cr.spec).exitsOnSigterm ? now + Math.min(grace, 1000) : now + grace);
      }
    } else {
      this.#pods.set(pod.metadata.uid, { uid: pod.metadata.uid, ns: pod.metadata.namespace!, name: pod.metadata.name, node: pod.spec.nodeName!, containers: [], terminating: true });
    }
    const { namespace, name, uid } = pod.metadata;
    this.ctx.timers.at(exitAt, () => {
      const p = this.ctx.store.get('Pod', namespace, name);
      if (p && p.metadata.uid === uid) this.ctx.api.purge(p);
    });
    return false;
  }
}

/** Phase, Ready/ContainersReady and PodReadyToStartContainers from the container statuses. */
function deriveStatus(pod: Pod, now: number): void {
  const st = pod.status!;
  const statuses = st.containerStatuses ?? [];
  st.phase = podPhase(pod.spec, statuses);
  const terminal = st.phase === 'Succeeded' || st.phase === 'Failed';
  const unready = pod.spec.containers.filter((c) => !statuses.find((s) => s.name === c.name)?.ready).map((c) => c.name);
  const conds = st.conditions ?? [];
  const set = (type: PodCondition['type'], status: 'True' | 'False', reason?: string, message?: string) => {
    const c = conds.find((x) => x.type === type);
    if (!c) return;
    if (c.status !== status) c.lastTransitionTime = rfc3339(now);
    c.status = status;
    if (reason) c.reason = reason;
    else delete c.reason;
    if (message) c.message = message;
    else delete c.message;
  };
  for (const type of ['Ready', 'ContainersReady'] as const) {
    if (terminal) set(type, 'False', st.phase === 'Succeeded' ? 'PodCompleted' : 'PodFailed');
    else if (unready.length) set(type, 'False', 'ContainersNotReady', `containers with unready status: [${unready.join(' ')}]`);
    else set(type, 'True');
  }
  // The sandbox is torn down once every container is done for good.
  set('PodReadyToStartContainers', terminal ? 'False' : 'True');
}
