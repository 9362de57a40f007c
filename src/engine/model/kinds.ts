/**
 * The kinds this API server serves, as `kubectl api-resources` lists them
 * (NAME, SHORTNAMES, APIVERSION, NAMESPACED, KIND), in the order the real server reports
 * them: core group first, then by group name.
 */
export interface ResourceType {
  /** Plural resource name: `services`. */
  name: string;
  singularName: string;
  shortNames: readonly string[];
  /** `v1`, `apps/v1`, `discovery.k8s.io/v1`. */
  apiVersion: string;
  /** `''` for the core group. */
  group: string;
  version: string;
  namespaced: boolean;
  kind: string;
  verbs: readonly string[];
  /** Names `kubectl get all` includes. */
  inAll?: boolean;
}

const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'] as const;

function rt(
  name: string,
  shortNames: string[],
  apiVersion: string,
  namespaced: boolean,
  kind: string,
  inAll = false,
): ResourceType {
  const [group, version] = apiVersion.includes('/') ? (apiVersion.split('/') as [string, string]) : ['', apiVersion];
  return { name, singularName: kind.toLowerCase(), shortNames, apiVersion, group, version, namespaced, kind, verbs: ALL_VERBS, inAll };
}

export const RESOURCES: readonly ResourceType[] = [
  rt('configmaps', ['cm'], 'v1', true, 'ConfigMap'),
  rt('endpoints', ['ep'], 'v1', true, 'Endpoints'),
  rt('events', ['ev'], 'v1', true, 'Event'),
  rt('namespaces', ['ns'], 'v1', false, 'Namespace'),
  rt('nodes', ['no'], 'v1', false, 'Node'),
  rt('pods', ['po'], 'v1', true, 'Pod', true),
  rt('serviceaccounts', ['sa'], 'v1', true, 'ServiceAccount'),
  rt('services', ['svc'], 'v1', true, 'Service', true),
  rt('controllerrevisions', [], 'apps/v1', true, 'ControllerRevision'),
  rt('daemonsets', ['ds'], 'apps/v1', true, 'DaemonSet', true),
  rt('deployments', ['deploy'], 'apps/v1', true, 'Deployment', true),
  rt('replicasets', ['rs'], 'apps/v1', true, 'ReplicaSet', true),
  rt('leases', [], 'coordination.k8s.io/v1', true, 'Lease'),
  rt('endpointslices', [], 'discovery.k8s.io/v1', true, 'EndpointSlice'),
  rt('networkpolicies', ['netpol'], 'networking.k8s.io/v1', true, 'NetworkPolicy'),
];

const BY_KIND = new Map(RESOURCES.map((r) => [r.kind, r]));

export type KindName =
  | 'ConfigMap'
  | 'Endpoints'
  | 'Event'
  | 'Namespace'
  | 'Node'
  | 'Pod'
  | 'Service'
  | 'ServiceAccount'
  | 'Lease'
  | 'ControllerRevision'
  | 'DaemonSet'
  | 'Deployment'
  | 'ReplicaSet'
  | 'EndpointSlice'
  | 'NetworkPolicy';

export function resourceForKind(kind: string): ResourceType | undefined {
  return BY_KIND.get(kind);
}

/** `deployments.apps`, `services`: how the API server names a resource in messages. */
export function qualifiedResource(r: ResourceType): string {
  return r.group ? `${r.name}.${r.group}` : r.name;
}

/** `deployment.apps/web`, `service/web`: how kubectl names an object in `apply` output. */
export function objectRef(r: ResourceType, name: string): string {
  return `${r.group ? `${r.singularName}.${r.group}` : r.singularName}/${name}`;
}

/**
 * What kubectl accepts as a resource argument: plural, singular, short name or kind,
 * optionally qualified `.group` or `.version.group` (`deploy`, `deployments.apps`,
 * `Deployment`, `deployment.v1.apps`). Case-insensitive like kubectl's RESTMapper.
 */
export function resolveResource(arg: string): ResourceType | undefined {
  const lower = arg.toLowerCase();
  const dot = lower.indexOf('.');
  const base = dot < 0 ? lower : lower.slice(0, dot);
  const qualifier = dot < 0 ? undefined : lower.slice(dot + 1);
  for (const r of RESOURCES) {
    const names = [r.name, r.singularName, ...r.shortNames];
    if (!names.includes(base)) continue;
    if (qualifier === undefined) return r;
    if (qualifier === r.group || qualifier === `${r.version}.${r.group}` || (r.group === '' && qualifier === r.version)) return r;
  }
  return undefined;
}

/** Find the kind an object's apiVersion/kind names; undefined when the server has no such kind. */
export function resourceForObject(apiVersion: string, kind: string): ResourceType | undefined {
  const r = BY_KIND.get(kind);
  return r && r.apiVersion === apiVersion ? r : undefined;
}
