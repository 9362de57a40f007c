/**
 * Validation with the API server's field paths and messages
 * (pkg/apis/core/validation/validation.go, pkg/apis/apps/validation/validation.go).
 * Returns StatusCauses; an empty list means valid.
 */
import { fieldErr, GoRaw, type StatusCause } from '../core/errors';
import { isPlainObject, deepEqual } from '../core/json';
import { isIPv4 } from '../core/ip';
import type { Container, KubeObject, LabelSelector, PodSpec, ServicePort } from './types';
import {
  isDNS1035Label,
  isDNS1123Label,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  isValidPortName,
  isValidPortNum,
  PORT_RANGE_MSG,
} from './names';
import { fromLabelSelector, matches } from './labels';

type Obj = Record<string, unknown>;
export const IMMUTABLE = 'field is immutable';

/** Go's %#v of map[string]string (sorted keys). */
export function goMap(m: Record<string, string> | undefined): string {
  const keys = Object.keys(m ?? {}).sort();
  return `map[string]string{${keys.map((k) => `${JSON.stringify(k)}:${JSON.stringify(m![k])}`).join(', ')}}`;
}

/** The gogo-protobuf String() of a *metav1.LabelSelector, as field errors print it. */
export function labelSelectorString(s: LabelSelector | undefined): string {
  if (!s) return 'nil';
  const keys = Object.keys(s.matchLabels ?? {}).sort();
  const ml = `map[string]string{${keys.map((k) => `${k}: ${s.matchLabels![k]},`).join('')}}`;
  const me = `[]LabelSelectorRequirement{${(s.matchExpressions ?? [])
    .map((e) => `LabelSelectorRequirement{Key:${e.key},Operator:${e.operator},Values:[${(e.values ?? []).join(' ')}],},`)
    .join('')}}`;
  return `&LabelSelector{MatchLabels:${ml},MatchExpressions:${me},}`;
}

function nameFn(kind: string): (v: string) => string[] {
  if (kind === 'Service') return isDNS1035Label;
  if (kind === 'Namespace') return isDNS1123Label;
  return isDNS1123Subdomain;
}

function validateLabels(labels: unknown, path: string, errs: StatusCause[]): void {
  if (labels === undefined || labels === null) return;
  if (!isPlainObject(labels)) {
    errs.push(fieldErr.invalid(path, labels, 'must be a map of string to string'));
    return;
  }
  for (const [k, v] of Object.entries(labels)) {
    for (const m of isQualifiedName(k)) errs.push(fieldErr.invalid(path, k, m));
    if (typeof v !== 'string') errs.push(fieldErr.invalid(`${path}.${k}`, v, 'must be a string'));
    else for (const m of isValidLabelValue(v)) errs.push(fieldErr.invalid(path, v, m));
  }
}

export function validateMeta(o: KubeObject, namespaced: boolean): StatusCause[] {
  const errs: StatusCause[] = [];
  const m = o.metadata;
  if (!m.name) errs.push(fieldErr.required('metadata.name', 'name or generateName is required'));
  else for (const msg of nameFn(o.kind)(m.name)) errs.push(fieldErr.invalid('metadata.name', m.name, msg));
  if (namespaced && m.namespace) for (const msg of isDNS1123Label(m.namespace)) errs.push(fieldErr.invalid('metadata.namespace', m.namespace, msg));
  validateLabels(m.labels, 'metadata.labels', errs);
  if (m.annotations !== undefined) {
    for (const k of Object.keys(m.annotations ?? {})) for (const msg of isQualifiedName(k.toLowerCase())) errs.push(fieldErr.invalid('metadata.annotations', k, msg));
  }
  return errs;
}

function validatePortNumOrName(v: unknown, path: string, errs: StatusCause[]): void {
  if (typeof v === 'number') {
    if (!isValidPortNum(v)) errs.push(fieldErr.invalid(path, v, PORT_RANGE_MSG));
  } else if (typeof v === 'string') {
    for (const m of isValidPortName(v)) errs.push(fieldErr.invalid(path, v, m));
  } else {
    errs.push(fieldErr.invalid(path, v, 'must be an integer or a string'));
  }
}

function validateContainer(c: Container, path: string, names: Set<string>, errs: StatusCause[]): void {
  if (!isPlainObject(c)) {
    errs.push(fieldErr.invalid(path, c, 'must be an object'));
    return;
  }
  if (!c.name) errs.push(fieldErr.required(`${path}.name`));
  else {
    for (const m of isDNS1123Label(c.name)) errs.push(fieldErr.invalid(`${path}.name`, c.name, m));
    if (names.has(c.name)) errs.push(fieldErr.duplicate(`${path}.name`, c.name));
    names.add(c.name);
  }
  if (!c.image) errs.push(fieldErr.required(`${path}.image`));
  const portNames = new Set<string>();
  (c.ports ?? []).forEach((p, i) => {
    const pp = `${path}.ports[${i}]`;
    if (p.name !== undefined) {
      for (const m of isValidPortName(p.name)) errs.push(fieldErr.invalid(`${pp}.name`, p.name, m));
      if (portNames.has(p.name)) errs.push(fieldErr.duplicate(`${pp}.name`, p.name));
      portNames.add(p.name);
    }
    if (p.containerPort === undefined || p.containerPort === 0) errs.push(fieldErr.required(`${pp}.containerPort`));
    else if (!isValidPortNum(p.containerPort)) errs.push(fieldErr.invalid(`${pp}.containerPort`, p.containerPort, PORT_RANGE_MSG));
    if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(fieldErr.notSupported(`${pp}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
  });
  for (const probe of ['readinessProbe', 'livenessProbe', 'startupProbe'] as const) {
    const pr = c[probe];
    if (!pr) continue;
    const handlers = ['httpGet', 'tcpSocket', 'exec', 'grpc'].filter((h) => (pr as Obj)[h] !== undefined);
    if (handlers.length === 0) errs.push(fieldErr.required(`${path}.${probe}`, 'must specify a handler type'));
    if (pr.httpGet) validatePortNumOrName(pr.httpGet.port, `${path}.${probe}.httpGet.port`, errs);
    if (pr.tcpSocket) validatePortNumOrName(pr.tcpSocket.port, `${path}.${probe}.tcpSocket.port`, errs);
  }
}

export function validatePodSpec(spec: PodSpec | undefined, path: string): StatusCause[] {
  const errs: StatusCause[] = [];
  if (!isPlainObject(spec)) return [fieldErr.required(path)];
  if (!Array.isArray(spec.containers) || spec.containers.length === 0) errs.push(fieldErr.required(`${path}.containers`));
  const names = new Set<string>();
  (spec.initContainers ?? []).forEach((c, i) => validateContainer(c, `${path}.initContainers[${i}]`, names, errs));
  (Array.isArray(spec.containers) ? spec.containers : []).forEach((c, i) => validateContainer(c, `${path}.containers[${i}]`, names, errs));
  if (spec.restartPolicy && !['Always', 'OnFailure', 'Never'].includes(spec.restartPolicy)) {
    errs.push(fieldErr.notSupported(`${path}.restartPolicy`, spec.restartPolicy, ['Always', 'Never', 'OnFailure']));
  }
  if (spec.dnsPolicy && !['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'].includes(spec.dnsPolicy)) {
    errs.push(fieldErr.notSupported(`${path}.dnsPolicy`, spec.dnsPolicy, ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None']));
  }
  validateLabels(spec.nodeSelector, `${path}.nodeSelector`, errs);
  return errs;
}

function validateSelectorAndTemplate(spec: Obj, errs: StatusCause[], kind: string): void {
  const sel = spec.selector as LabelSelector | undefined;
  const exprs = (isPlainObject(sel) && Array.isArray(sel.matchExpressions) ? sel.matchExpressions : []);
  const tpl = spec.template as { metadata?: { labels?: Record<string, string> }; spec?: PodSpec } | undefined;
  const labels = tpl?.metadata?.labels;
  if (!isPlainObject(sel)) errs.push(fieldErr.required('spec.selector'));
  else {
    const empty = Object.keys(sel.matchLabels ?? {}).length === 0 && exprs.length === 0;
    if (empty) errs.push(fieldErr.invalid('spec.selector', new GoRaw(labelSelectorString(sel)), `empty selector is invalid for ${kind.toLowerCase()}`));
    validateLabels(sel.matchLabels, 'spec.selector.matchLabels', errs);
    exprs.forEach((e, i) => {
      const p = `spec.selector.matchExpressions[${i}]`;
      if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(e.operator)) errs.push(fieldErr.invalid(`${p}.operator`, e.operator, 'not a valid selector operator'));
      if ((e.operator === 'In' || e.operator === 'NotIn') && !(e.values ?? []).length) errs.push(fieldErr.required(`${p}.values`, 'must be specified when `operator` is \'In\' or \'NotIn\''));
      if ((e.operator === 'Exists' || e.operator === 'DoesNotExist') && (e.values ?? []).length) errs.push(fieldErr.forbidden(`${p}.values`, 'may not be specified when `operator` is \'Exists\' or \'DoesNotExist\''));
    });
  }
  if (!isPlainObject(tpl)) {
    errs.push(fieldErr.required('spec.template'));
    return;
  }
  validateLabels(labels, 'spec.template.metadata.labels', errs);
  if (!isPlainObject(sel) || !matches(fromLabelSelector(sel), labels)) {
    errs.push(fieldErr.invalid('spec.template.metadata.labels', new GoRaw(goMap(labels)), '`selector` does not match template `labels`'));
  }
  errs.push(...validatePodSpec(tpl.spec, 'spec.template.spec'));
  if (kind !== 'Deployment' && kind !== 'ReplicaSet' && kind !== 'DaemonSet') return;
  const rp = tpl.spec?.restartPolicy;
  if (rp && rp !== 'Always') errs.push(fieldErr.notSupported('spec.template.spec.restartPolicy', rp, ['Always']));
}

function nonNegative(spec: Obj, field: string, errs: StatusCause[]): void {
  const v = spec[field];
  if (typeof v === 'number' && v < 0) errs.push(fieldErr.invalid(`spec.${field}`, v, 'must be greater than or equal to 0'));
}

function intOrPercent(v: unknown, path: string, errs: StatusCause[]): void {
  if (typeof v === 'number') {
    if (v < 0) errs.push(fieldErr.invalid(path, v, 'must be greater than or equal to 0'));
  } else if (typeof v === 'string') {
    const m = /^(\d+)%$/.exec(v);
    if (!m) errs.push(fieldErr.invalid(path, v, "a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"));
    else if (Number(m[1]) > 100) errs.push(fieldErr.invalid(path, v, 'must not be greater than 100%'));
  }
}

export function validateWorkload(o: KubeObject): StatusCause[] {
  const errs: StatusCause[] = [];
  const spec = o.spec as Obj | undefined;
  if (!isPlainObject(spec)) return [fieldErr.required('spec')];
  nonNegative(spec, 'replicas', errs);
  nonNegative(spec, 'minReadySeconds', errs);
  validateSelectorAndTemplate(spec, errs, o.kind);
  if (o.kind === 'Deployment') {
    nonNegative(spec, 'revisionHistoryLimit', errs);
    const st = spec.strategy as Obj | undefined;
    if (st?.type && st.type !== 'RollingUpdate' && st.type !== 'Recreate') errs.push(fieldErr.notSupported('spec.strategy.type', st.type, ['Recreate', 'RollingUpdate']));
    if (st?.type === 'Recreate' && st.rollingUpdate) errs.push(fieldErr.forbidden('spec.strategy.rollingUpdate', 'may not be specified when strategy `type` is \'Recreate\''));
    const ru = st?.rollingUpdate as Obj | undefined;
    if (ru) {
      intOrPercent(ru.maxUnavailable, 'spec.strategy.rollingUpdate.maxUnavailable', errs);
      intOrPercent(ru.maxSurge, 'spec.strategy.rollingUpdate.maxSurge', errs);
      const zero = (v: unknown) => v === 0 || v === '0%';
      if (zero(ru.maxUnavailable) && zero(ru.maxSurge)) {
        errs.push(fieldErr.invalid('spec.strategy.rollingUpdate.maxUnavailable', ru.maxUnavailable, 'may not be 0 when `maxSurge` is 0'));
      }
    }
  }
  return errs;
}

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];

export function validateService(o: KubeObject): StatusCause[] {
  const errs: StatusCause[] = [];
  const spec = o.spec as Obj | undefined;
  if (!isPlainObject(spec)) return [fieldErr.required('spec')];
  const type = spec.type as string;
  if (!SERVICE_TYPES.includes(type)) errs.push(fieldErr.notSupported('spec.type', type, SERVICE_TYPES));
  const headless = spec.clusterIP === 'None';
  const ports = (Array.isArray(spec.ports) ? spec.ports : []) as ServicePort[];
  if (ports.length === 0 && !headless && type !== 'ExternalName') errs.push(fieldErr.required('spec.ports'));
  if (type === 'ExternalName') {
    if (!spec.externalName) errs.push(fieldErr.required('spec.externalName'));
    else for (const m of isDNS1123Subdomain(String(spec.externalName).replace(/\.$/, ''))) errs.push(fieldErr.invalid('spec.externalName', spec.externalName, m));
  }
  const names = new Set<string>();
  const keys = new Set<string>();
  ports.forEach((p, i) => {
    const path = `spec.ports[${i}]`;
    if (!isPlainObject(p)) return;
    if (ports.length > 1 && !p.name) errs.push(fieldErr.required(`${path}.name`));
    if (p.name) {
      for (const m of isDNS1123Label(p.name)) errs.push(fieldErr.invalid(`${path}.name`, p.name, m));
      if (names.has(p.name)) errs.push(fieldErr.duplicate(`${path}.name`, p.name));
      names.add(p.name);
    }
    if (!isValidPortNum(p.port)) errs.push(fieldErr.invalid(`${path}.port`, p.port, PORT_RANGE_MSG));
    if (!['TCP', 'UDP', 'SCTP'].includes(p.protocol ?? 'TCP')) errs.push(fieldErr.notSupported(`${path}.protocol`, p.protocol, ['SCTP', 'TCP', 'UDP']));
    validatePortNumOrName(p.targetPort, `${path}.targetPort`, errs);
    if (p.nodePort !== undefined && p.nodePort !== 0) {
      if (type === 'ClusterIP' || type === 'ExternalName') {
        errs.push(fieldErr.forbidden(`${path}.nodePort`, `may not be used when \`type\` is '${type}'`));
      } else if (!isValidPortNum(p.nodePort)) errs.push(fieldErr.invalid(`${path}.nodePort`, p.nodePort, PORT_RANGE_MSG));
    }
    const key = `${p.port}/${p.protocol ?? 'TCP'}`;
    if (keys.has(key)) errs.push(fieldErr.duplicate(`${path}`, `{Port:${p.port}, Protocol:${p.protocol ?? 'TCP'}}`));
    keys.add(key);
    if (headless && typeof p.targetPort === 'number' && p.targetPort !== p.port && false) errs.push(fieldErr.invalid(`${path}.targetPort`, p.targetPort, 'must be equal to the value of \'port\' when clusterIP = None'));
  });
  if (spec.selector !== undefined && spec.selector !== null) validateLabels(spec.selector, 'spec.selector', errs);
  const affinity = spec.sessionAffinity as string;
  if (!['ClientIP', 'None'].includes(affinity)) errs.push(fieldErr.notSupported('spec.sessionAffinity', affinity, ['ClientIP', 'None']));
  if (typeof spec.clusterIP === 'string' && spec.clusterIP !== '' && spec.clusterIP !== 'None' && !isIPv4(spec.clusterIP)) {
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  if (type === 'ExternalName' && typeof spec.clusterIP === 'string' && spec.clusterIP !== '' ) {
    errs.push(fieldErr.forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
  }
  ((spec.externalIPs as unknown[]) ?? []).forEach((ip, i) => {
    if (typeof ip !== 'string' || !isIPv4(ip)) errs.push(fieldErr.invalid(`spec.externalIPs[${i}]`, ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  for (const f of ['externalTrafficPolicy', 'internalTrafficPolicy'] as const) {
    const v = spec[f];
    if (v !== undefined && v !== 'Cluster' && v !== 'Local') errs.push(fieldErr.notSupported(`spec.${f}`, v, ['Cluster', 'Local']));
  }
  // validateServiceExternalTrafficPolicy: the policy only means something where traffic
  // comes from outside (node ports, LB IPs, external IPs); the health-check port only for
  // a LoadBalancer whose nodes answer for their own endpoints.
  const externallyAccessible = type === 'NodePort' || type === 'LoadBalancer' || (type === 'ClusterIP' && Array.isArray(spec.externalIPs) && spec.externalIPs.length > 0);
  if (spec.externalTrafficPolicy !== undefined && !externallyAccessible) {
    errs.push(fieldErr.invalid('spec.externalTrafficPolicy', spec.externalTrafficPolicy, 'may only be set for externally-accessible services'));
  }
  const hc = spec.healthCheckNodePort;
  if (hc !== undefined && hc !== 0) {
    if (type !== 'LoadBalancer' || spec.externalTrafficPolicy !== 'Local') {
      errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
    } else if (!isValidPortNum(hc)) errs.push(fieldErr.invalid('spec.healthCheckNodePort', hc, PORT_RANGE_MSG));
  }
  return errs;
}

export function validateServiceUpdate(next: KubeObject, old: KubeObject): StatusCause[] {
  const ns = next.spec as Obj;
  const os = old.spec as Obj;
  const errs: StatusCause[] = [];
  if (os.type !== 'ExternalName' && ns.type !== 'ExternalName' && os.clusterIP && ns.clusterIP !== os.clusterIP) {
    // validateUpgradeDowngradeClusterIPs + ValidateImmutableField on spec.clusterIP.
    errs.push(fieldErr.invalid('spec.clusterIPs[0]', ns.clusterIPs ?? [ns.clusterIP], 'may not change once set'));
    errs.push(fieldErr.invalid('spec.clusterIP', ns.clusterIP ?? '', IMMUTABLE));
  }
  // validateServiceExternalTrafficFieldsUpdate: a LoadBalancer + Local keeps its health-check port.
  const needsHC = (s: Obj) => s.type === 'LoadBalancer' && s.externalTrafficPolicy === 'Local';
  if (needsHC(os) && needsHC(ns) && ns.healthCheckNodePort !== os.healthCheckNodePort) {
    errs.push(fieldErr.forbidden('spec.healthCheckNodePort', 'field is immutable'));
  }
  return errs;
}

export function validateWorkloadUpdate(next: KubeObject, old: KubeObject): StatusCause[] {
  const nsel = (next.spec as Obj)?.selector as LabelSelector | undefined;
  const osel = (old.spec as Obj)?.selector as LabelSelector | undefined;
  if (!deepEqual(nsel, osel)) return [fieldErr.invalid('spec.selector', new GoRaw(labelSelectorString(nsel)), IMMUTABLE)];
  return [];
}

export function validateNetworkPolicy(o: KubeObject): StatusCause[] {
  const errs: StatusCause[] = [];
  const spec = o.spec as Obj | undefined;
  if (!isPlainObject(spec)) return [fieldErr.required('spec')];
  ((spec.policyTypes as string[]) ?? []).forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(fieldErr.notSupported(`spec.policyTypes[${i}]`, t, ['Ingress', 'Egress']));
  });
  for (const dir of ['ingress', 'egress'] as const) {
    ((spec[dir] as Obj[]) ?? []).forEach((rule, i) => {
      ((rule?.ports as Obj[]) ?? []).forEach((p, j) => {
        const path = `spec.${dir}[${i}].ports[${j}]`;
        if (p.port !== undefined) validatePortNumOrName(p.port, `${path}.port`, errs);
        if (p.endPort !== undefined && (typeof p.port !== 'number' || (p.endPort as number) < p.port)) {
          errs.push(fieldErr.invalid(`${path}.endPort`, p.endPort, 'must be greater than or equal to `port`'));
        }
      });
    });
  }
  return errs;
}

export function validateEndpointSlice(o: KubeObject): StatusCause[] {
  const errs: StatusCause[] = [];
  const at = o.addressType;
  if (!['IPv4', 'IPv6', 'FQDN'].includes(at as string)) errs.push(fieldErr.notSupported('addressType', at, ['FQDN', 'IPv4', 'IPv6']));
  ((o.endpoints as Obj[] | null) ?? []).forEach((ep, i) => {
    const addrs = (ep.addresses as unknown[]) ?? [];
    if (addrs.length === 0) errs.push(fieldErr.required(`endpoints[${i}].addresses`, 'must contain at least 1 address'));
    addrs.forEach((a, j) => {
      if (at === 'IPv4' && (typeof a !== 'string' || !isIPv4(a))) errs.push(fieldErr.invalid(`endpoints[${i}].addresses[${j}]`, a, 'must be a valid IPv4 address'));
    });
  });
  ((o.ports as Obj[] | null) ?? []).forEach((p, i) => {
    if (p.port !== undefined && !isValidPortNum(p.port)) errs.push(fieldErr.invalid(`ports[${i}].port`, p.port, PORT_RANGE_MSG));
  });
  return errs;
}

export function validateObject(o: KubeObject, namespaced: boolean): StatusCause[] {
  const errs = validateMeta(o, namespaced);
  switch (o.kind) {
    case 'Pod':
      errs.push(...validatePodSpec(o.spec as PodSpec, 'spec'));
      break;
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      errs.push(...validateWorkload(o));
      break;
    case 'Service':
      errs.push(...validateService(o));
      break;
    case 'NetworkPolicy':
      errs.push(...validateNetworkPolicy(o));
      break;
    case 'EndpointSlice':
      errs.push(...validateEndpointSlice(o));
      break;
    case 'ConfigMap':
      for (const k of Object.keys((o.data as Obj) ?? {})) {
        if (!/^[-._a-zA-Z0-9]+$/.test(k)) errs.push(fieldErr.invalid('data', k, "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"));
      }
      break;
  }
  return errs;
}

export function validateUpdate(next: KubeObject, old: KubeObject): StatusCause[] {
  switch (next.kind) {
    case 'Service':
      return validateServiceUpdate(next, old);
    case 'Deployment':
    case 'ReplicaSet':
    case 'DaemonSet':
      return validateWorkloadUpdate(next, old);
    case 'Pod': {
      const strip = (s: Obj) => ({ ...s, containers: ((s.containers as Obj[]) ?? []).map((c) => ({ ...c, image: '' })), tolerations: undefined, activeDeadlineSeconds: undefined, nodeName: undefined });
      if (!deepEqual(strip(next.spec as Obj), strip(old.spec as Obj))) {
        return [fieldErr.forbidden('spec', 'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)')];
      }
      return [];
    }
    default:
      return [];
  }
}
