/**
 * Wires store, API server and controllers into the Cluster the facade returns; runs the
 * controllers until stable, fires timers as the clock moves, and boots the kind-like
 * cluster "in the past" so it is settled (and a few minutes old) when handed over.
 */
import type { AppStateOptions, AppStatus, ApplyOptions, ApplyResult, Cluster, CreateClusterOptions, DeleteOptions, ListOptions, PatchType, WatchEvent, WriteOptions } from '../index';
import { ManualClock, type Clock } from '../core/clock';
import { ApiErrorThrow, badRequest, fail, notFound, ok, type ApiError, type Result } from '../core/errors';
import { clone, isPlainObject } from '../core/json';
import { createRng } from '../core/rng';
import { ApiServer } from '../model/apiserver';
import { applyDocument, createDocument, parseDocuments } from '../model/apply';
import { qualifiedResource, RESOURCES, resolveResource, resourceForKind, type ResourceType } from '../model/kinds';
import { parseSelector, matches, SelectorParseError } from '../model/labels';
import { checkFields, FieldSelectorError, matchesFields, parseFieldSelector } from '../model/fields';
import { jsonPatch, mergePatch, PatchError, strategicMerge } from '../model/patch';
import { ObjectStore } from '../model/store';
import type { ConfigMap, EndpointSlice, Event, KubeObject, Node, ObjectInput, Pod, Service } from '../model/types';
import { appFor } from '../apps/images';
import { accessLine } from '../apps/logs';
import * as rollout from './rollout';
import { EventRecorder } from '../controllers/events';
import type { Controller, ControllerContext } from '../controllers/context';
import { ReplicaSetController } from '../controllers/replicaset';
import { DeploymentController } from '../controllers/deployment';
import { DaemonSetController } from '../controllers/daemonset';
import { Scheduler } from '../controllers/scheduler';
import { Kubelet } from '../controllers/kubelet';
import { EndpointSliceController } from '../controllers/endpointslice';
import { EndpointsController } from '../controllers/endpoints';
import { GarbageCollector } from '../controllers/garbage';
import { SelectionIndex } from '../controllers/selection';
import { LoadBalancerController } from '../controllers/loadbalancer';
import { NamespaceDefaultsController } from '../controllers/namespaces';
import { NodeLeaseController } from '../controllers/nodelease';
import { applyClusterConfig, applyKubeProxyConfiguration, ConfigError, defaultClusterConfig, type ClusterConfig } from './config';
import * as boot from './bootstrap';
import { NodeNetwork } from '../node/network';
import { KubeProxyController } from '../controllers/kubeproxy';
import { DataPath } from '../network/datapath';
import { serviceRules } from './shadow';

/** How long before "now" the default cluster was created. */
const BOOT_AGE_MS = 5 * 60_000;
/** Setup manifests are applied this long before "now". */
const SETUP_AGE_MS = 60_000;
const MAX_ROUNDS = 10_000;

class TimerQueue {
  #items: { at: number; seq: number; fn: () => void }[] = [];
  #seq = 0;
  at(at: number, fn: () => void): void {
    const item = { at, seq: this.#seq++, fn };
    // Binary insertion keeps (at, seq) order without re-sorting.
    let lo = 0, hi = this.#items.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.#items[mid]!.at <= at) lo = mid + 1;
      else hi = mid;
    }
    this.#items.splice(lo, 0, item);
  }
  nextAt(): number | undefined {
    return this.#items[0]?.at;
  }
  popDue(now: number): (() => void) | undefined {
    if (this.#items.length && this.#items[0]!.at <= now) return this.#items.shift()!.fn;
    return undefined;
  }
}

/** The engine's clock: the caller's, except while booting, when it runs in the past. */
class EngineClock implements Clock {
  override: number | undefined;
  constructor(readonly outer: Clock) {}
  now(): number {
    return this.override ?? this.outer.now();
  }
}

function splitSetup(manifests: CreateClusterOptions['manifests']): { text: string; source?: string }[] {
  if (manifests === undefined) return [];
  return typeof manifests === 'string' ? [{ text: manifests }] : manifests;
}

export function buildCluster(opts: CreateClusterOptions): Cluster {
  const outer = opts.clock ?? new ManualClock();
  const clock = new EngineClock(outer);
  const rng = createRng(opts.seed ?? 1);

  // 1. ClusterConfig / KubeProxyConfiguration among the manifests shape the cluster.
  let config: ClusterConfig = defaultClusterConfig();
  const setupDocs: { source?: string; value: unknown; index: number }[] = [];
  const setupErrors: ApplyResult[] = [];
  for (const m of splitSetup(opts.manifests)) {
    for (const d of parseDocuments(m.text)) {
      if ('error' in d) {
        setupErrors.push({ ok: false, index: d.index, error: d.error });
        continue;
      }
      const v = d.value;
      try {
        if (isPlainObject(v) && v.kind === 'ClusterConfig' && v.apiVersion === 'clusterpath.dev/v1alpha1') config = applyClusterConfig(config, v);
        else if (isPlainObject(v) && v.kind === 'KubeProxyConfiguration' && String(v.apiVersion).startsWith('kubeproxy.config.k8s.io/')) config = applyKubeProxyConfiguration(config, v);
        else setupDocs.push({ source: m.source, value: v, index: d.index });
      } catch (e) {
        if (!(e instanceof ConfigError)) throw e;
        setupErrors.push({ ok: false, index: d.index, error: badRequest(e.message) });
      }
    }
  }

  const store = new ObjectStore();
  const api = new ApiServer(store, clock, rng, config.serviceCIDR, config.serviceNodePortRange);
  const timers = new TimerQueue();
  const events = new EventRecorder(api, clock);
  const index = new SelectionIndex(store);
  const ctx: ControllerContext = { api, store, clock, rng, config, events, timers, index };
  const rsc = new ReplicaSetController(ctx);
  const kubelet = new Kubelet(ctx);
  // The nodes' network namespaces (observe only: veths, routes, netfilter, IPVS).
  const nodeNet = new NodeNetwork(config, clock, opts.seed ?? 1);
  // kube-proxy is last among the controllers; its proxiers sync lazily (see controllers/kubeproxy.ts):
  // reading a node or sending a packet flushes them first.
  const kubeProxy = new KubeProxyController(ctx, {
    host: (n) => nodeNet.host(n),
    log: (pod, container, t, text) => void kubelet.logs.append(pod.metadata.uid, container, { t, text }),
  });
  const syncedHost = (n: string) => {
    kubeProxy.flush(n);
    return nodeNet.host(n);
  };
  const controllers: Controller[] = [
    nodeNet,
    new DeploymentController(ctx, rsc),
    rsc,
    new DaemonSetController(ctx, opts.seed ?? 1),
    new Scheduler(ctx),
    kubelet,
    new EndpointSliceController(ctx),
    new EndpointsController(ctx),
    new LoadBalancerController(ctx),
    new GarbageCollector(ctx),
    new NamespaceDefaultsController(ctx, opts.seed ?? 1),
    new NodeLeaseController(ctx, opts.seed ?? 1),
    kubeProxy,
  ];
  // The data path: indexes pods/nodes by IP and moves packets through the nodes (network/).
  const dataPath = new DataPath({
    store, config, clock, seed: opts.seed ?? 1,
    host: syncedHost,
    hosts: () => {
      kubeProxy.flush();
      return nodeNet.hosts.values();
    },
    isRunning: (pod, c) => kubelet.isRunning(pod, c),
    kubeProxyServer: (node, port) => kubeProxy.httpServer(node, port),
    appState: (pod, c) => kubelet.apps.get(pod.metadata.uid, c),
    appendLog: (pod, c, text) => void kubelet.logs.append(pod.metadata.uid, c, { t: clock.now(), text }),
    recordAccess: (pod, c, record) => {
      const spec = pod.spec.containers.find((x) => x.name === c);
      const line = spec ? accessLine(spec.image, record, clock.now()) : undefined;
      if (line !== undefined) kubelet.logs.append(pod.metadata.uid, c, { t: clock.now(), text: line });
    },
  });
  controllers.unshift(dataPath);
  const listeners = new Set<(e: WatchEvent) => void>();
  store.watch((e) => {
    index.observe(e);
    for (const c of controllers) c.observe(e);
    for (const l of listeners) l(e);
  });

  const settleControllers = (): void => {
    for (let round = 0; round < MAX_ROUNDS; round++) {
      let wrote = false;
      for (const c of controllers) wrote = c.sync() || wrote;
      if (!wrote) return;
    }
    throw new Error('controllers did not settle');
  };
  /** Run the controllers to a fixed point, then let kube-proxy sync what changed. */
  const settle = (): void => {
    settleControllers();
    kubeProxy.flush();
  };

  /** Advance to `target`, firing timers in order and settling after each. */
  const runUntil = (target: number): void => {
    settle();
    for (;;) {
      const next = timers.nextAt();
      if (next === undefined || next > target) break;
      if (clock.override !== undefined) clock.override = Math.max(clock.override, next);
      else if (outer.advance && next > outer.now()) outer.advance(next - outer.now());
      let fn;
      while ((fn = timers.popDue(clock.now()))) fn();
      settle();
    }
    if (clock.override !== undefined) clock.override = target;
    else if (outer.advance && target > outer.now()) outer.advance(target - outer.now());
    settle();
  };

  // 2. Boot in the past, then apply the setup manifests, then catch up to now.
  const start = outer.now();
  clock.override = start - BOOT_AGE_MS;
  const create = (o: ObjectInput) => api.create(o);
  boot.namespaces().forEach(create);
  boot.nodes(config, clock.now()).forEach(create);
  const saUids = createRng((opts.seed ?? 1) ^ 0x5a5a);
  boot.serviceAccounts(config).forEach((o) => api.create(o, { uidRng: saUids }));
  const [k8sSvc, ...k8sEndpoints] = boot.kubernetesService(config);
  create(k8sSvc!);
  k8sEndpoints.forEach(create);
  boot.staticPods(config).forEach(create);
  [...boot.kubeProxy(config), ...boot.kindnet(config), ...boot.coredns(config)].forEach(create);
  runUntil(start - SETUP_AGE_MS);
  const setupResults: ApplyResult[] = [...setupErrors];
  for (const d of setupDocs) setupResults.push(toApplyResult(applyDocument(api, d.value, d.index, {})));
  runUntil(start);
  clock.override = undefined;

  const guard = <T>(f: () => T): Result<T> => {
    try {
      return ok(f());
    } catch (e) {
      if (e instanceof ApiErrorThrow) return fail(e.apiError);
      throw e;
    }
  };
  const resource = (arg: string): ResourceType => {
    const r = resourceForKind(arg) ?? resolveResource(arg);
    if (!r) throw new ApiErrorThrow(badRequest(`the server doesn't have a resource type "${arg}"`));
    return r;
  };
  const endpointsWarning = (r: ResourceType) => (r.kind === 'Endpoints' ? ['v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice'] : undefined);

  const cluster: Cluster = {
    config,
    resources: RESOURCES,
    clock: outer,
    rng,
    setupResults,
    now: () => clock.now(),
    apply(text: string, o: ApplyOptions = {}): ApplyResult[] {
      const out: ApplyResult[] = [];
      for (const d of parseDocuments(text)) {
        if ('error' in d) out.push({ ok: false, index: d.index, error: d.error });
        else if (o.mode === 'create') out.push(createDocument(api, d.value, d.index, { dryRun: o.dryRun, namespace: o.namespace, saveConfig: o.saveConfig }));
        else out.push(toApplyResult(applyDocument(api, d.value, d.index, { dryRun: o.dryRun, namespace: o.namespace })));
        settleControllers();
      }
      // kube-proxy syncs once for the whole file, as its minSyncPeriod coalesces a burst.
      kubeProxy.flush();
      return out;
    },
    get<T extends KubeObject>(res: string, namespace: string | undefined, name: string): Result<T> {
      const r = guard(() => resource(res));
      if (!r.ok) return r;
      const got = guard(() => api.get(r.value, namespace, name) as T);
      return got.ok ? ok(got.value, endpointsWarning(r.value)) : got;
    },
    list<T extends KubeObject>(res: string, lo: ListOptions = {}): Result<T[]> {
      return guard(() => {
        const r = resource(res);
        let items = store.list(r.kind, r.namespaced ? lo.namespace : undefined) as T[];
        if (lo.labelSelector) {
          let sel;
          try {
            sel = parseSelector(lo.labelSelector);
          } catch (e) {
            if (e instanceof SelectorParseError) throw new ApiErrorThrow(badRequest(e.message));
            throw e;
          }
          items = items.filter((o) => matches(sel, o.metadata.labels));
        }
        if (lo.fieldSelector) {
          try {
            const reqs = parseFieldSelector(lo.fieldSelector);
            checkFields(r.kind, reqs);
            items = items.filter((o) => matchesFields(o, reqs));
          } catch (e) {
            if (e instanceof FieldSelectorError) throw new ApiErrorThrow(badRequest(e.message));
            throw e;
          }
        }
        return items;
      });
    },
    create(obj: ObjectInput, w: WriteOptions = {}) {
      const res = guard(() => api.create(obj, { dryRun: w.dryRun !== undefined }));
      settle();
      return res;
    },
    update(obj: ObjectInput, w: WriteOptions = {}) {
      const res = guard(() => api.update(obj, { dryRun: w.dryRun !== undefined }));
      settle();
      return res;
    },
    patch(res: string, namespace: string | undefined, name: string, patch: unknown, type: PatchType = 'strategic', w: WriteOptions = {}) {
      const out = guard(() => {
        const r = resource(res);
        const live = api.get(r, namespace, name);
        let next: unknown;
        try {
          next = type === 'json' ? jsonPatch(clone(live), patch) : type === 'merge' ? mergePatch(live, patch) : strategicMerge(live, patch);
        } catch (e) {
          if (e instanceof PatchError) throw new ApiErrorThrow({ ...badRequest(e.message), code: 'Invalid', status: 422, data: {} });
          throw e;
        }
        const o = next as ObjectInput;
        if (isPlainObject(o.metadata)) delete o.metadata.resourceVersion;
        return api.update(o, { dryRun: w.dryRun !== undefined }, live.metadata.namespace);
      });
      settle();
      return out;
    },
    delete(res: string, namespace: string | undefined, name: string, d: DeleteOptions = {}) {
      const out = guard(() => {
        const r = resource(res);
        const o = api.delete(r, namespace, name, { dryRun: d.dryRun !== undefined, gracePeriodSeconds: d.gracePeriodSeconds });
        if (d.propagationPolicy === 'Orphan') {
          for (const k of RESOURCES) for (const dep of store.list(k.kind, o.metadata.namespace)) {
            if (dep.metadata.ownerReferences?.some((ref) => ref.uid === o.metadata.uid)) {
              const next = clone(dep);
              next.metadata.ownerReferences = next.metadata.ownerReferences!.filter((ref) => ref.uid !== o.metadata.uid);
              api.write(next);
            }
          }
        }
        return o;
      });
      settle();
      return out;
    },
    events(filter = {}) {
      const all = store.list('Event', filter.namespace) as Event[];
      return all
        .filter((e) => (!filter.kind || e.involvedObject.kind === filter.kind) && (!filter.name || e.involvedObject.name === filter.name) && (!filter.uid || e.involvedObject.uid === filter.uid))
        .sort((a, b) => (a.lastTimestamp < b.lastTimestamp ? -1 : a.lastTimestamp > b.lastTimestamp ? 1 : 0));
    },
    tick(ms = 0) {
      runUntil(clock.now() + ms);
    },
    settle,
    watch(l) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    resolveResource,
    node(name: string) {
      const h = syncedHost(name);
      return h ? ok(h) : fail(notFound('nodes', name));
    },
    connect: (req) => dataPath.connect(req),
    probe: (req) => dataPath.probe(req),
    probeResolver: (from, conf) => dataPath.probeResolver(from, conf),
    resolver: (from, conf) => dataPath.resolver(from, conf),
    resolvConf: (from) => dataPath.resolvConf(from),
    onTrace: (l) => dataPath.onTrace(l),
    serviceRules(namespace, name, { mode, node }) {
      const svc = store.get('Service', namespace, name) as Service | undefined;
      if (!svc) return fail(notFound('services', name));
      const r = serviceRules(
        {
          config, clock, seed: opts.seed ?? 1,
          host: syncedHost,
          runningMode: (n) => kubeProxy.instance(n)?.mode,
          get: (kind, ns, n) => store.get(kind, ns, n) as ConfigMap | Node | undefined,
          services: () => store.list('Service') as Service[],
          slices: () => store.list('EndpointSlice') as EndpointSlice[],
        },
        svc, node, mode,
      );
      return r ? ok(r) : fail(notFound('nodes', node));
    },

    setAppState(namespace, pod, state: AppStateOptions) {
      return guard(() => {
        const { container, ...patch } = state;
        const c = locate(namespace, pod, container);
        kubelet.setAppState(c.pod, c.container, patch);
        settle();
        return appStatus(namespace, pod, c.container);
      });
    },
    appState(namespace, pod, container) {
      return guard(() => appStatus(namespace, pod, locate(namespace, pod, container).container));
    },
    logs(namespace, podName, o = {}) {
      return guard(() => {
        const pod = api.get(api.resource('Pod'), namespace, podName) as Pod;
        const names = pod.spec.containers.map((c) => c.name);
        let container = o.container;
        if (!container) {
          if (names.length !== 1) throw new ApiErrorThrow(badRequest(`a container name must be specified for pod ${podName}, choose one of: [${names.join(' ')}]`));
          container = names[0]!;
        }
        if (!names.includes(container)) throw new ApiErrorThrow(badRequest(`container ${container} is not valid for pod ${podName}`));
        if (!pod.spec.nodeName) throw new ApiErrorThrow(badRequest(`pod ${podName} does not have a host assigned`));
        const r = kubelet.readLogs(pod, container, o.previous ?? false);
        if ('error' in r) throw new ApiErrorThrow(badRequest(r.error));
        let lines = r.lines;
        if (o.sinceSeconds !== undefined) lines = lines.filter((l) => l.t >= clock.now() - o.sinceSeconds! * 1000);
        if (o.tailLines !== undefined && o.tailLines >= 0) lines = lines.slice(Math.max(0, lines.length - o.tailLines));
        return lines.map((l) => (o.timestamps ? `${rfc3339Nano(l.t)} ${l.text}\n` : `${l.text}\n`)).join('');
      });
    },
    followLogs(namespace, podName, o, onLine) {
      return guard(() => {
        const c = locate(namespace, podName, o.container);
        return kubelet.logs.follow(c.pod.metadata.uid, c.container, (l) => onLine(o.timestamps ? `${rfc3339Nano(l.t)} ${l.text}\n` : `${l.text}\n`));
      });
    },
    appendLog(namespace, podName, text, o = {}) {
      return guard(() => {
        const c = locate(namespace, podName, o.container);
        for (const line of text.replace(/\n$/, '').split('\n')) kubelet.logs.append(c.pod.metadata.uid, c.container, { t: clock.now(), text: line });
      });
    },
    recordAccess(namespace, podName, record, o = {}) {
      return guard(() => {
        const c = locate(namespace, podName, o.container);
        const spec = c.pod.spec.containers.find((x) => x.name === c.container)!;
        const line = accessLine(spec.image, record, clock.now());
        if (line !== undefined) kubelet.logs.append(c.pod.metadata.uid, c.container, { t: clock.now(), text: line });
        return line;
      });
    },
    rolloutHistory(namespace, name, o = {}) {
      return guard(() => rollout.historyOf(api, o.kind ?? 'Deployment', namespace, name));
    },
    rolloutUndo(namespace, name, toRevision = 0, w = {}) {
      const out = guard(() => rollout.undoOf(api, w.kind ?? 'Deployment', namespace, name, toRevision, w.dryRun));
      settle();
      return out;
    },
    rolloutRestart(namespace, name, w = {}) {
      const out = guard(() => rollout.restartOf(api, w.kind ?? 'Deployment', namespace, name, clock.now(), w.dryRun));
      settle();
      return out;
    },
    rolloutStatus(namespace, name, o = {}) {
      return guard(() => rollout.statusOf(api, api.get(api.resource(o.kind ?? 'Deployment'), namespace, name), o.revision));
    },
    watchRolloutStatus(namespace, name, o = {}) {
      return guard(() => {
        const r = api.resource(o.kind ?? 'Deployment');
        const first = rollout.statusOf(api, api.get(r, namespace, name), o.revision);
        const lines = [first.line];
        if (first.done) return { lines, done: true };
        if (!outer.advance) return { lines, done: false };
        let done = false;
        let error: ApiError | undefined;
        const stop = store.watch((e) => {
          if (done || error || e.object.kind !== r.kind || e.object.metadata.namespace !== namespace || e.object.metadata.name !== name) return;
          if (e.type === 'DELETED') {
            error = notFound(qualifiedResource(r), name);
            return;
          }
          try {
            const s = rollout.statusOf(api, e.object, o.revision);
            lines.push(s.line);
            done = s.done;
          } catch (err) {
            if (err instanceof ApiErrorThrow) error = err.apiError;
            else throw err;
          }
        });
        try {
          const deadline = clock.now() + (o.timeoutMs ?? 600_000);
          while (!done && !error && clock.now() < deadline) runUntil(Math.min(deadline, clock.now() + 1000));
        } finally {
          stop();
        }
        return error ? { lines, done, error } : { lines, done };
      });
    },
  };

  function locate(namespace: string, pod: string, container?: string): { pod: Pod; container: string } {
    const found = kubelet.locate(namespace, pod, container);
    if ('error' in found) {
      if (found.error === 'pod') throw new ApiErrorThrow(notFound('pods', pod));
      throw new ApiErrorThrow(badRequest(`container ${container} is not valid for pod ${pod}`));
    }
    return { pod: found.pod, container: found.container.name };
  }

  function appStatus(namespace: string, podName: string, container: string): AppStatus {
    const pod = store.get('Pod', namespace, podName) as Pod;
    const spec = pod.spec.containers.find((c) => c.name === container)!;
    const st = kubelet.apps.get(pod.metadata.uid, container);
    const running = kubelet.isRunning(pod, container);
    return {
      container,
      running,
      ready: st.ready,
      live: st.live,
      listening: st.listening,
      listens: running && st.listening ? appFor(spec).listens.map((l) => ({ ...l })) : [],
    };
  }

  return cluster;
}


/** Go's RFC3339Nano (trailing zeros of the fraction dropped), as the kubelet stamps log lines. */
function rfc3339Nano(ms: number): string {
  const iso = new Date(ms).toISOString();
  return iso.replace(/\.(\d{3})Z$/, (_, f: string) => (f === '000' ? 'Z' : `.${f.replace(/0+$/, '')}Z`));
}

function toApplyResult(r: ReturnType<typeof applyDocument>): ApplyResult {
  return r;
}
