/**
 * The API server's write path in front of the store: kind lookup, namespace admission,
 * generateName, defaulting, validation, Service IP/port allocation, resourceVersion
 * conflicts, generation, graceful pod deletion. Methods throw ApiErrorThrow; the facade turns
 * that into Result values.
 */
import { alreadyExists, ApiErrorThrow, badRequest, conflict, fieldErr, invalid, noKindMatch, notFound, type StatusCause } from '../core/errors';
import { rfc3339 } from '../core/clock';
import { clone, deepEqual, isPlainObject } from '../core/json';
import { kubeRandString, type Rng } from '../core/rng';
import type { Clock } from '../core/clock';
import { qualifiedResource, resolveResource, resourceForKind, resourceForObject, type ResourceType } from './kinds';
import { ObjectStore } from './store';
import { defaultObject, mountServiceAccountToken } from './defaults';
import { validateObject, validateUpdate } from './validation';
import { ClusterIPAllocator, NodePortAllocator } from './allocators';
import type { KubeObject, ObjectInput, Service, ServicePort } from './types';

export interface WriteOpts {
  dryRun?: boolean;
  /**
   * Background writers (the root-CA publisher, the node-lease heartbeat) take their uid from
   * a separate seeded stream so the objects they add do not shift the pod names and IPs
   * everything else draws from the cluster's PRNG.
   */
  uidRng?: Rng;
}

/** Kinds whose metadata.generation tracks spec changes. */
const GENERATION_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'NetworkPolicy', 'Pod']);
/** Kinds with a status subresource: user writes cannot set status. */
const STATUS_KINDS = new Set(['Deployment', 'ReplicaSet', 'DaemonSet', 'Service', 'Pod', 'Node', 'Namespace']);

export function uuid(rng: Rng): string {
  const hex = (n: number) => Array.from({ length: n }, () => '0123456789abcdef'[rng.int(16)]).join('');
  return `${hex(8)}-${hex(4)}-4${hex(3)}-${'89ab'[rng.int(4)]}${hex(3)}-${hex(12)}`;
}

export class ApiServer {
  readonly clusterIPs: ClusterIPAllocator;
  readonly nodePorts: NodePortAllocator;

  constructor(
    readonly store: ObjectStore,
    readonly clock: Clock,
    readonly rng: Rng,
    serviceCIDR: string,
    nodePortRange: { base: number; size: number },
  ) {
    this.clusterIPs = new ClusterIPAllocator(serviceCIDR, rng);
    this.nodePorts = new NodePortAllocator(nodePortRange.base, nodePortRange.size, rng);
  }

  resource(kindOrArg: string): ResourceType {
    const r = resourceForKind(kindOrArg) ?? resolveResource(kindOrArg);
    if (!r) throw new ApiErrorThrow(badRequest(`the server doesn't have a resource type "${kindOrArg}"`));
    return r;
  }

  /** Resolve the kind of an incoming document, as kubectl's RESTMapper would. */
  resourceOf(input: ObjectInput): ResourceType {
    const apiVersion = input.apiVersion;
    const kind = input.kind;
    if (typeof kind !== 'string' || kind === '') throw new ApiErrorThrow(badRequest("Object 'Kind' is missing in the object"));
    if (typeof apiVersion !== 'string' || apiVersion === '') throw new ApiErrorThrow(badRequest("Object 'apiVersion' is missing in the object"));
    const r = resourceForObject(apiVersion, kind);
    if (!r) throw new ApiErrorThrow(noKindMatch(kind, apiVersion));
    return r;
  }

  get(r: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const o = this.store.get(r.kind, r.namespaced ? namespace ?? 'default' : undefined, name);
    if (!o) throw new ApiErrorThrow(notFound(qualifiedResource(r), name));
    return o;
  }

  #prepare(input: ObjectInput, r: ResourceType, defaultNamespace: string): KubeObject {
    if (!isPlainObject(input.metadata) && input.metadata !== undefined) throw new ApiErrorThrow(badRequest('metadata must be an object'));
    const o = clone(input) as KubeObject;
    o.metadata = (o.metadata ?? {}) as KubeObject['metadata'];
    if (r.namespaced) {
      const ns = o.metadata.namespace || defaultNamespace;
      o.metadata.namespace = ns;
    } else {
      delete o.metadata.namespace;
    }
    return o;
  }

  #checkNamespace(r: ResourceType, o: KubeObject): void {
    if (!r.namespaced) return;
    const ns = this.store.get('Namespace', undefined, o.metadata.namespace!);
    if (!ns) throw new ApiErrorThrow(notFound('namespaces', o.metadata.namespace!));
    if ((ns.status as { phase?: string } | undefined)?.phase === 'Terminating') {
      throw new ApiErrorThrow({
        code: 'Forbidden',
        status: 403,
        message: `${qualifiedResource(r)} "${o.metadata.name}" is forbidden: unable to create new content in namespace ${ns.metadata.name} because it is being terminated`,
        data: { kind: r.name, name: o.metadata.name },
      });
    }
  }

  #invalid(r: ResourceType, o: KubeObject, causes: StatusCause[]): never {
    throw new ApiErrorThrow(invalid(r.kind, o.metadata.name ?? '', causes, r.group));
  }

  create(input: ObjectInput, opts: WriteOpts = {}, defaultNamespace = 'default'): KubeObject {
    const r = this.resourceOf(input);
    const o = this.#prepare(input, r, defaultNamespace);
    const m = o.metadata;
    if (!m.name && m.generateName) m.name = m.generateName + kubeRandString(this.rng, 5);
    if (STATUS_KINDS.has(r.kind) && r.kind !== 'Node') delete o.status;
    for (const k of ['uid', 'resourceVersion', 'creationTimestamp', 'deletionTimestamp', 'generation'] as const) delete m[k];
    defaultObject(o);
    const errs = validateObject(o, r.namespaced);
    if (errs.length) this.#invalid(r, o, errs);
    this.#checkNamespace(r, o);
    if (this.store.get(r.kind, m.namespace, m.name)) throw new ApiErrorThrow(alreadyExists(qualifiedResource(r), m.name));
    if (r.kind === 'Service') this.#allocateService(o as Service, undefined, opts.dryRun ?? false);
    if (r.kind === 'Pod') (o as { status?: unknown }).status = { phase: 'Pending', qosClass: 'BestEffort' };
    m.uid = uuid(opts.uidRng ?? this.rng);
    if (r.kind === 'Pod') mountServiceAccountToken(o);
    m.creationTimestamp = rfc3339(this.clock.now());
    if (GENERATION_KINDS.has(r.kind)) m.generation = 1;
    // pkg/registry/apps/daemonset/strategy.go keeps the template generation in an annotation.
    if (r.kind === 'DaemonSet') m.annotations = { ...(m.annotations ?? {}), 'deprecated.daemonset.template.generation': '1' };
    if (opts.dryRun) {
      m.resourceVersion = '';
      return o;
    }
    return this.store.put(o);
  }

  /** PUT. `internal` writes (controllers) may change status and skip the status reset. */
  update(input: ObjectInput, opts: WriteOpts & { internal?: boolean } = {}, defaultNamespace = 'default'): KubeObject {
    const r = this.resourceOf(input);
    const o = this.#prepare(input, r, defaultNamespace);
    const m = o.metadata;
    const old = this.store.get(r.kind, m.namespace, m.name);
    if (!old) throw new ApiErrorThrow(notFound(qualifiedResource(r), m.name ?? ''));
    if (m.resourceVersion && m.resourceVersion !== old.metadata.resourceVersion) {
      throw new ApiErrorThrow(conflict(qualifiedResource(r), m.name, 'the object has been modified; please apply your changes to the latest version and try again'));
    }
    if (m.uid && m.uid !== old.metadata.uid) {
      throw new ApiErrorThrow(conflict(qualifiedResource(r), m.name, `Precondition failed: UID in precondition: ${m.uid}, UID in object meta: ${old.metadata.uid}`));
    }
    m.uid = old.metadata.uid;
    m.creationTimestamp = old.metadata.creationTimestamp;
    if (old.metadata.deletionTimestamp) m.deletionTimestamp = old.metadata.deletionTimestamp;
    if (old.metadata.deletionGracePeriodSeconds !== undefined) m.deletionGracePeriodSeconds = old.metadata.deletionGracePeriodSeconds;
    if (!opts.internal && STATUS_KINDS.has(r.kind)) {
      if (old.status === undefined) delete o.status;
      else o.status = clone(old.status);
    }
    if (r.kind === 'Service') {
      this.#keepAllocated(o as Service, old as Service);
      dropTypeDependentFields(o as Service, old as Service);
    }
    defaultObject(o);
    const errs = [...validateObject(o, r.namespaced), ...validateUpdate(o, old)];
    if (errs.length) this.#invalid(r, o, errs);
    if (r.kind === 'Service') this.#allocateService(o as Service, old as Service, opts.dryRun ?? false);
    if (GENERATION_KINDS.has(r.kind)) {
      const specChanged = !deepEqual(o.spec, old.spec) || (r.kind === 'Deployment' && false);
      m.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
      if (r.kind === 'DaemonSet') {
        const tplChanged = !deepEqual((o.spec as { template?: unknown }).template, (old.spec as { template?: unknown }).template);
        const prev = Number(old.metadata.annotations?.['deprecated.daemonset.template.generation'] ?? 1);
        m.annotations = { ...(m.annotations ?? {}), 'deprecated.daemonset.template.generation': String(prev + (tplChanged ? 1 : 0)) };
      }
    }
    if (opts.dryRun) return o;
    if (deepEqual({ ...o, metadata: { ...m, resourceVersion: '' } }, { ...old, metadata: { ...old.metadata, resourceVersion: '' } })) {
      return old; // a no-op update does not bump resourceVersion
    }
    return this.store.put(o);
  }

  /**
   * DELETE. Pods with a grace period get deletionTimestamp and stay (Terminating) until the
   * kubelet finishes them; everything else goes at once and the garbage collector cascades.
   */
  delete(r: ResourceType, namespace: string | undefined, name: string, opts: WriteOpts & { gracePeriodSeconds?: number } = {}): KubeObject {
    const o = this.get(r, namespace, name);
    if (opts.dryRun) return o;
    if (r.kind === 'Pod' || r.kind === 'Namespace') {
      const grace = r.kind === 'Pod' ? opts.gracePeriodSeconds ?? ((o.spec as { terminationGracePeriodSeconds?: number }).terminationGracePeriodSeconds ?? 30) : 0;
      const unscheduled = r.kind === 'Pod' && !(o.spec as { nodeName?: string }).nodeName;
      if ((grace > 0 && !unscheduled) || r.kind === 'Namespace') {
        if (o.metadata.deletionTimestamp) return o;
        const next = clone(o);
        next.metadata.deletionTimestamp = rfc3339(this.clock.now() + grace * 1000);
        next.metadata.deletionGracePeriodSeconds = grace;
        if (r.kind === 'Namespace') (next.status as { phase: string }).phase = 'Terminating';
        return this.store.put(next);
      }
    }
    this.#release(o);
    this.store.remove(r.kind, o.metadata.namespace, name);
    return o;
  }

  /** Remove for good (kubelet after termination, namespace controller, GC). */
  purge(o: KubeObject): void {
    this.#release(o);
    this.store.remove(o.kind, o.metadata.namespace, o.metadata.name);
  }

  /** Controller write: replace status/spec without user-facing restrictions. */
  write(o: KubeObject): KubeObject {
    return this.update(o as ObjectInput, { internal: true }, o.metadata.namespace);
  }

  #release(o: KubeObject): void {
    if (o.kind !== 'Service') return;
    const s = o as Service;
    for (const ip of s.spec.clusterIPs ?? []) if (ip !== 'None') this.clusterIPs.release(ip);
    for (const p of s.spec.ports ?? []) if (p.nodePort) this.nodePorts.used.delete(p.nodePort);
    if (s.spec.healthCheckNodePort) this.nodePorts.used.delete(s.spec.healthCheckNodePort);
  }

  /** pkg/registry/core/service/storage: patchAllocatedValues keeps what the user omitted. */
  #keepAllocated(s: Service, old: Service): void {
    const needsIP = (t: string | undefined) => t !== 'ExternalName';
    if (needsIP(s.spec.type ?? 'ClusterIP') && needsIP(old.spec.type) && !s.spec.clusterIP && old.spec.clusterIP) {
      s.spec.clusterIP = old.spec.clusterIP;
      s.spec.clusterIPs = old.spec.clusterIPs ? [...old.spec.clusterIPs] : undefined;
    }
    const np = (t: string | undefined) => t === 'NodePort' || t === 'LoadBalancer';
    if (np(s.spec.type) && np(old.spec.type)) {
      for (const p of s.spec.ports ?? []) {
        if (p.nodePort) continue;
        const match = (old.spec.ports ?? []).find((q) => q.port === p.port && (q.protocol ?? 'TCP') === (p.protocol ?? 'TCP'));
        if (match?.nodePort) p.nodePort = match.nodePort;
      }
    }
    if (s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local' && !s.spec.healthCheckNodePort && old.spec.healthCheckNodePort) {
      s.spec.healthCheckNodePort = old.spec.healthCheckNodePort;
    }
  }

  #allocateService(s: Service, old: Service | undefined, dryRun: boolean): void {
    const spec = s.spec;
    const causes: StatusCause[] = [];
    const reservedIPs: string[] = [];
    const reservedPorts: number[] = [];
    const oldIP = old?.spec.clusterIP;
    if (spec.type === 'ExternalName') {
      delete spec.clusterIP;
      delete spec.clusterIPs;
    } else if (spec.clusterIP !== 'None') {
      if (spec.clusterIP && spec.clusterIP !== oldIP) {
        const why = this.clusterIPs.check(spec.clusterIP);
        if (why) causes.push(fieldErr.invalid('spec.clusterIPs', spec.clusterIPs ?? [spec.clusterIP], `failed to allocate IP ${spec.clusterIP}: ${why}`));
        else reservedIPs.push(spec.clusterIP);
      } else if (!spec.clusterIP) {
        const ip = this.clusterIPs.allocate();
        if (!ip) causes.push(fieldErr.invalid('spec.clusterIPs', [], 'failed to allocate a serviceIP: range is full'));
        else {
          reservedIPs.push(ip);
          spec.clusterIP = ip;
        }
      }
      if (spec.clusterIP) spec.clusterIPs = [spec.clusterIP];
    }
    const oldPorts = new Set((old?.spec.ports ?? []).map((p) => p.nodePort).filter((p): p is number => !!p));
    const wantsNodePorts = spec.type === 'NodePort' || (spec.type === 'LoadBalancer' && spec.allocateLoadBalancerNodePorts !== false);
    (spec.ports ?? []).forEach((p: ServicePort, i) => {
      if (!wantsNodePorts) return;
      if (p.nodePort) {
        if (oldPorts.has(p.nodePort)) return;
        const why = this.nodePorts.check(p.nodePort);
        if (why) causes.push(fieldErr.invalid(`spec.ports[${i}].nodePort`, p.nodePort, why));
        else {
          this.nodePorts.used.add(p.nodePort);
          reservedPorts.push(p.nodePort);
        }
      } else {
        const n = this.nodePorts.allocate();
        if (n === undefined) causes.push(fieldErr.invalid(`spec.ports[${i}].nodePort`, 0, 'range is full'));
        else {
          p.nodePort = n;
          reservedPorts.push(n);
        }
      }
    });
    if (!wantsNodePorts) for (const p of spec.ports ?? []) if (spec.type === 'ClusterIP' || spec.type === 'ExternalName') delete p.nodePort;
    // healthCheckNodePort (allocHealthCheckNodePort, after the ports' node ports): only a
    // LoadBalancer with externalTrafficPolicy Local needs one; kube-proxy serves it.
    const oldHC = old?.spec.healthCheckNodePort;
    if (spec.type === 'LoadBalancer' && spec.externalTrafficPolicy === 'Local') {
      if (spec.healthCheckNodePort) {
        if (spec.healthCheckNodePort !== oldHC) {
          const why = this.nodePorts.check(spec.healthCheckNodePort);
          if (why) causes.push(fieldErr.invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, why));
          else {
            this.nodePorts.used.add(spec.healthCheckNodePort);
            reservedPorts.push(spec.healthCheckNodePort);
          }
        }
      } else {
        const n = this.nodePorts.allocate();
        if (n === undefined) causes.push(fieldErr.invalid('spec.healthCheckNodePort', 0, 'range is full'));
        else {
          spec.healthCheckNodePort = n;
          reservedPorts.push(n);
        }
      }
    } else delete spec.healthCheckNodePort;
    if (causes.length || dryRun) {
      for (const ip of reservedIPs) this.clusterIPs.release(ip);
      for (const n of reservedPorts) this.nodePorts.used.delete(n);
      if (causes.length) throw new ApiErrorThrow(invalid('Service', s.metadata.name, causes));
      return;
    }
    if (old) {
      const keepIP = spec.clusterIP;
      if (oldIP && oldIP !== keepIP && oldIP !== 'None') this.clusterIPs.release(oldIP);
      const now = new Set((spec.ports ?? []).map((p) => p.nodePort));
      if (spec.healthCheckNodePort) now.add(spec.healthCheckNodePort);
      for (const n of oldPorts) if (!now.has(n)) this.nodePorts.used.delete(n);
      if (oldHC && !now.has(oldHC)) this.nodePorts.used.delete(oldHC);
    }
  }
}

const sameJSON = (a: unknown, b: unknown): boolean => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const needsClusterIP = (s: Service): boolean => (s.spec.type ?? 'ClusterIP') !== 'ExternalName';
const needsNodePorts = (s: Service): boolean => s.spec.type === 'NodePort' || s.spec.type === 'LoadBalancer';
const needsHealthCheckNodePort = (s: Service): boolean => s.spec.type === 'LoadBalancer' && s.spec.externalTrafficPolicy === 'Local';
const externallyAccessible = (s: Service): boolean => needsNodePorts(s) || ((s.spec.type ?? 'ClusterIP') === 'ClusterIP' && (s.spec.externalIPs ?? []).length > 0);

/**
 * pkg/registry/core/service/strategy.go dropTypeDependentFields: a Service changing type
 * loses the fields only the old type used, when the update left them as they were (a patch
 * or apply that merely changes `type` keeps them in the object). A value the user changed
 * stays, and validation then refuses it.
 */
function dropTypeDependentFields(s: Service, old: Service): void {
  if (needsClusterIP(old) && !needsClusterIP(s)) {
    if (s.spec.clusterIP === old.spec.clusterIP && sameJSON(s.spec.clusterIPs, old.spec.clusterIPs)) {
      delete s.spec.clusterIP;
      delete s.spec.clusterIPs;
    }
    if (sameJSON(s.spec.ipFamilies, old.spec.ipFamilies)) delete s.spec.ipFamilies;
    if (s.spec.ipFamilyPolicy === old.spec.ipFamilyPolicy) delete s.spec.ipFamilyPolicy;
    if (s.spec.internalTrafficPolicy === old.spec.internalTrafficPolicy) delete s.spec.internalTrafficPolicy;
  }
  const nodePorts = (x: Service) => (x.spec.ports ?? []).map((p) => p.nodePort ?? 0);
  if (needsNodePorts(old) && !needsNodePorts(s) && sameJSON(nodePorts(s), nodePorts(old).slice(0, nodePorts(s).length))) {
    for (const p of s.spec.ports ?? []) delete p.nodePort;
  }
  if (needsHealthCheckNodePort(old) && !needsHealthCheckNodePort(s) && s.spec.healthCheckNodePort === old.spec.healthCheckNodePort) {
    delete s.spec.healthCheckNodePort;
  }
  if (old.spec.type === 'LoadBalancer' && s.spec.type !== 'LoadBalancer' && s.spec.allocateLoadBalancerNodePorts === old.spec.allocateLoadBalancerNodePorts) {
    delete s.spec.allocateLoadBalancerNodePorts;
  }
  if (externallyAccessible(old) && !externallyAccessible(s) && s.spec.externalTrafficPolicy === old.spec.externalTrafficPolicy) {
    delete s.spec.externalTrafficPolicy;
  }
}
