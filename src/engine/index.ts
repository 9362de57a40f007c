/**
 * The emulated cluster's one public face. Everything outside src/engine imports from here.
 *
 *   const cluster = createCluster({ seed: 1 });           // a fresh, settled kind-like cluster
 *   const results = cluster.apply(yamlText, { source: 'web.yaml' });
 *   cluster.tick(5_000);                                   // 5 s pass: pods start, probes pass
 *   const pods = cluster.list('Pod', { namespace: 'default', labelSelector: 'app=web' });
 *
 * Conventions
 * - User errors are values: every call returns `Result<T>` (`{ok: true, value}` or
 *   `{ok: false, error}`) or, for apply, one `ApplyResult` per document. `error.message` is
 *   the API server's text; `formatKubectlError(error, ctx)` gives the exact stderr kubectl
 *   prints. Exceptions thrown from here are bugs.
 * - Returned objects are frozen snapshots (plain JSON, as the API server returns them).
 *   Change things through create/update/patch/apply, never by mutation.
 * - Time only moves through the injected Clock: `tick(ms)` advances a ManualClock and runs
 *   whatever became due (probe timings, image pulls, grace periods); with a real-time clock
 *   call `tick()` now and then to catch up. Writes settle the controllers before returning.
 * - Randomness (pod-name suffixes, slice names) comes from one PRNG seeded by `seed`.
 */
import type { ApiError, Result } from './core/errors';
import type { Clock } from './core/clock';
import type { Rng } from './core/rng';
import type { KindName, ResourceType } from './model/kinds';
import type { Event, KubeObject, ObjectInput, PodTemplateSpec } from './model/types';
import type { ClusterConfig } from './cluster/config';
import { buildCluster } from './cluster/cluster';

export type { ApiError, ErrorCode, StatusCause, Result, KubectlErrorContext } from './core/errors';
export { formatKubectlError, isApiError } from './core/errors';
export { ManualClock, DEFAULT_EPOCH_MS, rfc3339 } from './core/clock';
export type { Clock } from './core/clock';
export type { Rng } from './core/rng';
export { createRng } from './core/rng';
export type { ResourceType, KindName } from './model/kinds';
export { RESOURCES, resolveResource, objectRef, qualifiedResource } from './model/kinds';
export type { ClusterConfig, NodeConfig, KubeProxyConfiguration } from './cluster/config';
export type * from './model/types';
export { parseSelector, matchesSelector, selectorToString } from './model/labels';
export { goDuration } from './core/clock';
export type { RolloutRevision, RolloutKind } from './cluster/rollout';
export type { ImageProfile, PromptStyle } from './apps/profiles';
export type { SchemaField, SchemaObject, SchemaType } from './model/openapi';
export { schemaFor, elementType } from './model/openapi';
export { imageProfile } from './apps/profiles';
export { shellOnStdin } from './apps/images';
export type { AccessRecord } from './apps/logs';
import type { AccessRecord } from './apps/logs';
import type { RolloutKind, RolloutRevision } from './cluster/rollout';
import type { NodeHost } from './node';
export * from './node';
// The node's iptables front ends (the texts iptables 1.8.9 prints), over a NodeHost's netfilter.
export { iptables, iptablesSaveCommand, iptablesRestoreCommand } from './netfilter';
// A node's nftables (kube-proxy's `ip kube-proxy` table in nftables mode): `nft -f`, `nft list`.
export {
  nftRun, findTable, listRuleset, listTable, listTables, listChain, listChains, listSet, listSets,
  type NftRuleset, type NftRunResult, type ListOptions as NftListOptions,
} from './nftables';
import type { ConnectFrom, ConnectRequest, ConnectionResult, Trace } from './network';
export type * from './network/types';
export { formatTrace } from './network/format';
import type { ResolvConf, ResolverEnv } from './dns';
export {
  getaddrinfo, busyboxNslookup, bindLookup, bindSearchNames, searchCandidates, digEdns, formatBusyboxNslookup, formatBindNslookup,
  formatDig, formatHost, formatGetentHosts, formatResolvConf, parseResolvConf, resolverOptions, reverseName, parseRRType, digWhen,
  type ResolvConf, type ResolverEnv, type LookupResult, type DigLookup, type RRType, type DnsMessage, type ToolOutput, type Exchange,
  type BusyboxNslookupResult, type Libc,
} from './dns';
export { imageTool, type ImageTools } from './apps/tools';
export type { RulesMode, ServiceRules } from './cluster/shadow';
import type { RulesMode, ServiceRules } from './cluster/shadow';

export interface CreateClusterOptions {
  /** PRNG seed; the same seed and inputs give the same cluster. Default 1. */
  seed?: number;
  /** Default: a ManualClock at 2026-01-01T00:00:00Z. Pass a real-time clock in the browser. */
  clock?: Clock;
  /**
   * Manifests applied while the cluster boots (lab setup, `clusterpath run -f`): multi-doc
   * YAML, one string or several with their file names. A `ClusterConfig`
   * (clusterpath.dev/v1alpha1) and a `KubeProxyConfiguration`
   * (kubeproxy.config.k8s.io/v1alpha1) among them shape the cluster itself; the rest is
   * applied and settled before `createCluster` returns (their objects are ~1 minute old).
   */
  manifests?: string | { text: string; source?: string }[];
}

export type DryRun = 'client' | 'server';

export interface ApplyOptions {
  /** `--dry-run=client|server`: validate and report, change nothing. */
  dryRun?: DryRun;
  /** File name for messages (`web.yaml`, `STDIN`). */
  source?: string;
  /** `-n`: namespace for documents that name none (default `default`). */
  namespace?: string;
  /**
   * `apply` (default): create or three-way merge. `create` (`kubectl create -f`): POST each
   * document; a taken name fails with AlreadyExists (`services "web" already exists`).
   */
  mode?: 'apply' | 'create';
  /** create mode: record last-applied-configuration (`--save-config`). */
  saveConfig?: boolean;
}

export type ApplyOutcome = 'created' | 'configured' | 'unchanged';

/** One per YAML document, in order. A failed document changed nothing. */
export type ApplyResult =
  | {
      ok: true;
      /** 0-based document index in the stream. */
      index: number;
      outcome: ApplyOutcome;
      /** `deployment.apps/web`: how kubectl names it in `… created`. */
      ref: string;
      object: KubeObject;
      warnings?: string[];
    }
  | {
      ok: false;
      index: number;
      error: ApiError;
      /** What the document named, when it got that far (for kubectl's messages). */
      kind?: string;
      name?: string;
      namespace?: string;
    };

export interface ListOptions {
  /** Omit for all namespaces (`-A`). Ignored for cluster-scoped kinds. */
  namespace?: string;
  /** String form, parsed like labels.Parse: `app=web,tier!=db,env in (a,b),!canary`. */
  labelSelector?: string;
  /** `metadata.name=web`, `metadata.namespace!=kube-system`, `status.phase=Running`. */
  fieldSelector?: string;
}

export interface WriteOptions {
  dryRun?: DryRun;
}

export interface DeleteOptions extends WriteOptions {
  /** Pods: override terminationGracePeriodSeconds (`--grace-period`, `--now` = 1, `--force` = 0). */
  gracePeriodSeconds?: number;
  /** Background (default, like kubectl) deletes dependents via ownerReferences; Orphan keeps them. */
  propagationPolicy?: 'Background' | 'Foreground' | 'Orphan';
}

/** `kubectl patch --type`: strategic (default), merge (RFC 7386) or json (RFC 6902). */
export type PatchType = 'strategic' | 'merge' | 'json';

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  object: KubeObject;
  /** The previous version for MODIFIED/DELETED. */
  old?: KubeObject;
}

/**
 * Switches on a pod's emulated app, for labs that simulate failures (see apps/state.ts):
 * `ready: false` makes the readinessProbe's endpoint answer 503, `live: false` the
 * livenessProbe's answer 500, `listening: false` refuses every connection; `exitCode`
 * makes the main process exit now (the kubelet then restarts it per restartPolicy, with
 * back-off). Switches outlive container restarts unless `resetOnRestart`.
 */
export interface AppStateOptions {
  /** Default: the pod's first container. */
  container?: string;
  ready?: boolean;
  live?: boolean;
  listening?: boolean;
  resetOnRestart?: boolean;
  exitCode?: number;
}

/** What a pod's app does right now (for probes, and for clients connecting to it). */
export interface AppStatus {
  container: string;
  /** The container's process is running (not waiting in back-off, not exited). */
  running: boolean;
  ready: boolean;
  live: boolean;
  listening: boolean;
  /** Ports accepting connections now: empty unless running and listening. */
  listens: { port: number; protocol: 'TCP' | 'UDP' | 'SCTP' }[];
}

/** `kubectl logs` options the API server takes (PodLogOptions). */
export interface LogsOptions {
  /** Required when the pod has several containers (the API server does not pick one). */
  container?: string;
  /** The previous instance (`--previous`). */
  previous?: boolean;
  /** Only the last N lines (`--tail`). */
  tailLines?: number;
  /** Prefix each line with its RFC 3339 time (`--timestamps`). */
  timestamps?: boolean;
  /** Only lines newer than this many seconds (`--since`). */
  sinceSeconds?: number;
}

/** One step of `kubectl rollout status`: the exact line it prints (no newline), and whether it is done. */
export interface RolloutStatusLine {
  line: string;
  done: boolean;
}

export interface Cluster {
  readonly config: ClusterConfig;
  /** The kind table, as `kubectl api-resources` lists it. */
  readonly resources: readonly ResourceType[];
  readonly clock: Clock;
  readonly rng: Rng;
  /** What became of `CreateClusterOptions.manifests` (excluding ClusterConfig/KubeProxyConfiguration). */
  readonly setupResults: readonly ApplyResult[];

  /** Current time in ms (the clock's). */
  now(): number;

  /** `kubectl apply`: create or update each document; they succeed or fail independently. */
  apply(yamlText: string, opts?: ApplyOptions): ApplyResult[];
  /** `resource` is a kind (`Service`) or anything kubectl accepts (`svc`, `deployments.apps`). */
  get<T extends KubeObject = KubeObject>(resource: KindName | string, namespace: string | undefined, name: string): Result<T>;
  /** Sorted by namespace, then name, as the API server lists. */
  list<T extends KubeObject = KubeObject>(resource: KindName | string, opts?: ListOptions): Result<T[]>;
  /** POST: fails with AlreadyExists when the name is taken; honours metadata.generateName. */
  create(obj: ObjectInput, opts?: WriteOptions): Result<KubeObject>;
  /** PUT: replace; a stale metadata.resourceVersion gives Conflict. */
  update(obj: ObjectInput, opts?: WriteOptions): Result<KubeObject>;
  patch(resource: KindName | string, namespace: string | undefined, name: string, patch: unknown, type?: PatchType, opts?: WriteOptions): Result<KubeObject>;
  /** Returns the object as deletion left it (pods may linger Terminating for their grace period). */
  delete(resource: KindName | string, namespace: string | undefined, name: string, opts?: DeleteOptions): Result<KubeObject>;

  /** Events, oldest first; filter by namespace and/or the object they are about. */
  events(filter?: { namespace?: string; kind?: string; name?: string; uid?: string }): Event[];

  /** Advance the clock by `ms` (ManualClock) and run everything that became due, settled. */
  tick(ms?: number): void;
  /** Run controllers until nothing changes, without moving the clock. */
  settle(): void;
  /** Subscribe to every change in the store; returns an unsubscribe function. */
  watch(listener: (event: WatchEvent) => void): () => void;
  /** kubectl's resource argument → kind (`svc` → services), or undefined (`the server doesn't have a resource type "x"`). */
  resolveResource(arg: string): ResourceType | undefined;
  /**
   * A node's network namespace (what `ssh NODE` works on): its netfilter — the object
   * kube-proxy restores into and `iptables` edits — ipsets, IPVS table, conntrack, links,
   * routes, hostname and clock, and `evaluate()`/`explore()` for packets. Mutations by the
   * node's commands go straight to these objects. NotFound (`nodes "x" not found`) for an
   * unknown name.
   */
  node(name: string): Result<NodeHost>;

  /**
   * One connection attempt through the data path (network/): the packet walks the source
   * node's rules (DNAT, IPVS, masquerade), the CNI's NetworkPolicy hooks, the wire, the
   * destination node, and the app; the reply comes back through conntrack. Never throws;
   * the outcome is what the client's kernel reports, the Trace says why. Waiting (a
   * timeout) is the caller's: the engine clock does not move here.
   */
  connect(req: ConnectRequest): ConnectionResult;
  /**
   * The stub resolver of a process in `from`: its /etc/resolv.conf (or `conf`) and an
   * Exchange that sends each query as a UDP packet through `connect` (to kube-dns through
   * kube-proxy to a CoreDNS pod). `traces` collects the queries' Traces.
   */
  resolver(from: ConnectFrom, conf?: ResolvConf): ResolverEnv & { traces: Trace[] };
  /**
   * `connect` with no side effects, for lab checks that run after every command: no
   * counters, conntrack or IPVS entries, `recent`/`nth` state, PRNG draws, ephemeral ports,
   * access or CoreDNS log lines, and no Trace to `onTrace`. Where the real path would draw
   * (`statistic --mode random`, IPVS rr) it takes the first choice. It stops once the server
   * has answered: without conntrack entries the reply cannot be un-NATed.
   */
  probe(req: ConnectRequest): ConnectionResult;
  /** `resolver` for probes: every query goes through `probe`; query ids are not drawn from the PRNG. */
  probeResolver(from: ConnectFrom, conf?: ResolvConf): ResolverEnv;
  /** The /etc/resolv.conf the kubelet gives a pod (a node's: kind's Docker DNS). */
  resolvConf(from: ConnectFrom): ResolvConf;
  /** Every connection's Trace as it happens (the CLI's --trace); returns an unsubscribe function. */
  onTrace(listener: (t: Trace) => void): () => void;
  /**
   * A Service's kube-proxy rules on a node in `mode` (the lab's "compare modes" view): the
   * node's own when its kube-proxy runs that mode, else those a shadow kube-proxy of that mode
   * (the real proxier, the same Services/EndpointSlices, the node's addresses, the current
   * KubeProxyConfiguration) programs into a scratch namespace. Changes nothing in the cluster.
   * NotFound for an unknown Service or node.
   */
  serviceRules(namespace: string, name: string, opts: { mode: RulesMode; node: string }): Result<ServiceRules>;

  /** Flip a pod's emulated app (see AppStateOptions); returns its state afterwards. */
  setAppState(namespace: string, pod: string, state: AppStateOptions): Result<AppStatus>;
  /** A pod container's app state (default: the first container). */
  appState(namespace: string, pod: string, container?: string): Result<AppStatus>;

  /**
   * `GET pods/NAME/log`: what the container printed, newline-terminated lines. Errors are the
   * API server's and kubelet's (`a container name must be specified for pod p, choose one
   * of: [a b]`, `previous terminated container "c" in pod "p" not found`, `container "c" in
   * pod "p" is waiting to start: ContainerCreating`), code BadRequest.
   */
  logs(namespace: string, pod: string, opts?: LogsOptions): Result<string>;
  /**
   * `kubectl logs -f` after what `logs` printed: `onLine` hears each line the container's
   * current instance writes from now on, newline-terminated (with its time when `timestamps`),
   * until the returned function stops it. Errors as `logs`.
   */
  followLogs(namespace: string, pod: string, opts: { container?: string; timestamps?: boolean }, onLine: (text: string) => void): Result<() => void>;
  /** A line the container prints now (for emulated apps and labs). Default: the first container. */
  appendLog(namespace: string, pod: string, text: string, opts?: { container?: string }): Result<void>;
  /**
   * The data path reports a request a server container answered: appends the image's
   * access-log line (nginx `combined`, httpd `common`) and returns it, or undefined when
   * the image logs no access lines.
   */
  recordAccess(namespace: string, pod: string, record: AccessRecord, opts?: { container?: string }): Result<string | undefined>;

  /**
   * `kubectl rollout history deployment/NAME` (or `daemonset/NAME` with `kind: 'DaemonSet'`,
   * from its ControllerRevisions): revisions ascending, with change-cause and template.
   * `kind` defaults to Deployment in every rollout call.
   */
  rolloutHistory(namespace: string, name: string, opts?: { kind?: RolloutKind }): Result<RolloutRevision[]>;
  /**
   * `kubectl rollout undo deployment/NAME [--to-revision=N]`: `message` is the line kubectl
   * prints (`deployment.apps/web rolled back`, `… skipped rollback (current template already
   * matches revision 2)`); errors are kubectl's (`unable to find specified revision 9 in
   * history`, code ClientError). `--dry-run=client` returns the template instead.
   * DaemonSets: `daemonset.apps/kube-proxy rolled back`, `no last revision to roll back to`.
   */
  rolloutUndo(namespace: string, name: string, toRevision?: number, opts?: WriteOptions & { kind?: RolloutKind }): Result<{ message: string; template?: PodTemplateSpec }>;
  /**
   * `kubectl rollout restart deployment/NAME|daemonset/NAME`: stamps
   * kubectl.kubernetes.io/restartedAt on the pod template; returns `deployment.apps/web
   * restarted` / `daemonset.apps/kube-proxy restarted`. The controllers then replace the
   * pods (a DaemonSet node by node with RollingUpdate maxUnavailable 1) as time passes.
   */
  rolloutRestart(namespace: string, name: string, opts?: WriteOptions & { kind?: RolloutKind }): Result<string>;
  /**
   * One evaluation of `kubectl rollout status` (`--watch=false`). DaemonSets print
   * DaemonSetStatusViewer's lines (`Waiting for daemon set "kube-proxy" rollout to finish: 1
   * out of 3 new pods have been updated...`); an OnDelete DaemonSet is a ClientError.
   */
  rolloutStatus(namespace: string, name: string, opts?: { revision?: number; kind?: RolloutKind }): Result<RolloutStatusLine>;
  /**
   * `kubectl rollout status` watching: the line for the current state, then one line per
   * change of the Deployment (kubectl prints on every watch event, repeats included), until
   * done. With a ManualClock it advances time itself (up to `timeoutMs`, default 10 min);
   * with a real-time clock it returns after the current line (poll again). `error` is
   * kubectl's failure (`deployment "web" exceeded its progress deadline`) after the lines.
   */
  watchRolloutStatus(namespace: string, name: string, opts?: { revision?: number; timeoutMs?: number; kind?: RolloutKind }): Result<{ lines: string[]; done: boolean; error?: ApiError }>;
}

/** Build a cluster like a fresh kind cluster, shaped by any ClusterConfig in `manifests`. */
export function createCluster(opts: CreateClusterOptions = {}): Cluster {
  return buildCluster(opts);
}
// The /scale page's measurements: one node's kube-proxy rules per mode for N Services.
export { scaleRun, scaleService, scaleSlice, SCALE_MODES, type ScaleMode, type ScaleOptions, type ScaleResult, type ScaleProgrammed } from './scale';
