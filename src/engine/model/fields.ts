/**
 * Field selectors (fields.ParseSelector): `a=b`, `a==b`, `a!=b`, comma-separated, over the
 * fields each kind supports (metadata.name and metadata.namespace everywhere, plus per-kind
 * ones like the pod's status.phase). Unknown fields fail as the API server says.
 */
import type { KubeObject } from './types';

export interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}

export class FieldSelectorError extends Error {}

const EXTRA: Record<string, Record<string, (o: KubeObject) => string>> = {
  Pod: {
    'spec.nodeName': (o) => String((o.spec as { nodeName?: string }).nodeName ?? ''),
    'spec.restartPolicy': (o) => String((o.spec as { restartPolicy?: string }).restartPolicy ?? ''),
    'spec.schedulerName': (o) => String((o.spec as { schedulerName?: string }).schedulerName ?? ''),
    'spec.serviceAccountName': (o) => String((o.spec as { serviceAccountName?: string }).serviceAccountName ?? ''),
    'spec.hostNetwork': (o) => String(!!(o.spec as { hostNetwork?: boolean }).hostNetwork),
    'status.phase': (o) => String((o.status as { phase?: string } | undefined)?.phase ?? ''),
    'status.podIP': (o) => String((o.status as { podIP?: string } | undefined)?.podIP ?? ''),
    'status.nominatedNodeName': () => '',
  },
  Event: {
    'involvedObject.kind': (o) => String((o.involvedObject as { kind?: string }).kind ?? ''),
    'involvedObject.namespace': (o) => String((o.involvedObject as { namespace?: string }).namespace ?? ''),
    'involvedObject.name': (o) => String((o.involvedObject as { name?: string }).name ?? ''),
    'involvedObject.uid': (o) => String((o.involvedObject as { uid?: string }).uid ?? ''),
    'involvedObject.apiVersion': (o) => String((o.involvedObject as { apiVersion?: string }).apiVersion ?? ''),
    'involvedObject.resourceVersion': (o) => String((o.involvedObject as { resourceVersion?: string }).resourceVersion ?? ''),
    'involvedObject.fieldPath': (o) => String((o.involvedObject as { fieldPath?: string }).fieldPath ?? ''),
    reason: (o) => String(o.reason ?? ''),
    reportingComponent: (o) => String(o.reportingComponent ?? ''),
    source: (o) => String((o.source as { component?: string }).component ?? ''),
    type: (o) => String(o.type ?? ''),
  },
  Namespace: { 'status.phase': (o) => String((o.status as { phase?: string } | undefined)?.phase ?? '') },
  Node: { 'spec.unschedulable': (o) => String(!!(o.spec as { unschedulable?: boolean }).unschedulable) },
  ReplicaSet: { 'status.replicas': (o) => String((o.status as { replicas?: number } | undefined)?.replicas ?? 0) },
  Service: {
    'spec.clusterIP': (o) => String((o.spec as { clusterIP?: string }).clusterIP ?? ''),
    'spec.type': (o) => String((o.spec as { type?: string }).type ?? ''),
  },
};

export function parseFieldSelector(text: string): FieldRequirement[] {
  const out: FieldRequirement[] = [];
  for (const part of text.split(',')) {
    const p = part.trim();
    if (!p) continue;
    const m = /^([^=!]+?)\s*(==|=|!=)\s*(.*)$/.exec(p);
    if (!m) throw new FieldSelectorError(`invalid selector: '${text}'; can't understand '${p}'`);
    out.push({ field: m[1]!, op: m[2] === '!=' ? '!=' : '=', value: m[3]! });
  }
  return out;
}

export function fieldValue(o: KubeObject, field: string): string | undefined {
  if (field === 'metadata.name') return o.metadata.name;
  if (field === 'metadata.namespace') return o.metadata.namespace ?? '';
  return EXTRA[o.kind]?.[field]?.(o);
}

/** Throws FieldSelectorError for fields the kind does not support. */
export function checkFields(kind: string, reqs: FieldRequirement[]): void {
  for (const r of reqs) {
    if (r.field === 'metadata.name' || r.field === 'metadata.namespace') continue;
    if (!EXTRA[kind]?.[r.field]) throw new FieldSelectorError(`field label not supported: ${r.field}`);
  }
}

export function matchesFields(o: KubeObject, reqs: FieldRequirement[]): boolean {
  return reqs.every((r) => (fieldValue(o, r.field) === r.value) === (r.op === '='));
}
