/**
 * Table columns per kind, as the API server's table convertor produces them
 * (kubernetes pkg/printers/internalversion/printers.go). Names are written as upstream
 * (`Up-to-date`) and upper-cased by the printer like kubectl does. `wide` columns are
 * the Priority 1 ones.
 */
import type { KubeObject } from '../../../../engine';
import { age } from './duration';
import { formatLabels, formatLabelSelector } from './labels';
import * as r from './rows';

export interface KindColumns {
  columns: string[];
  /** Extra Priority-1 columns appended for `-o wide`. */
  wide: string[];
  /** When wide output reorders the columns (Event), the full wide header. */
  wideHeader?: string[];
  row(obj: KubeObject, now: number, wide: boolean): string[];
}

export function headerFor(t: KindColumns, wide: boolean): string[] {
  if (!wide) return t.columns;
  return t.wideHeader ?? [...t.columns, ...t.wide];
}

const containers = ['Containers', 'Images', 'Selector'];

const TABLES: Record<string, KindColumns> = {
  Pod: {
    columns: ['Name', 'Ready', 'Status', 'Restarts', 'Age'],
    wide: ['IP', 'Node', 'Nominated Node', 'Readiness Gates'],
    row: r.podRow,
  },
  Service: {
    columns: ['Name', 'Type', 'Cluster-IP', 'External-IP', 'Port(s)', 'Age'],
    wide: ['Selector'],
    row: r.serviceRow,
  },
  Deployment: {
    columns: ['Name', 'Ready', 'Up-to-date', 'Available', 'Age'],
    wide: containers,
    row: r.deploymentRow,
  },
  ReplicaSet: {
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Age'],
    wide: containers,
    row: r.replicaSetRow,
  },
  DaemonSet: {
    columns: ['Name', 'Desired', 'Current', 'Ready', 'Up-to-date', 'Available', 'Node Selector', 'Age'],
    wide: containers,
    row: r.daemonSetRow,
  },
  // printControllerRevision: the controller as formatResourceName prints a GroupKind (`daemonset.apps/kube-proxy`).
  ControllerRevision: {
    columns: ['Name', 'Controller', 'Revision', 'Age'],
    wide: [],
    row: (o, now) => {
      const ref = o.metadata.ownerReferences?.find((x) => x.controller);
      const group = ref?.apiVersion.includes('/') ? `.${ref.apiVersion.split('/')[0]}` : '';
      return [o.metadata.name, ref ? `${ref.kind.toLowerCase()}${group}/${ref.name}` : '<none>', String((o as { revision?: number }).revision ?? 0), age(o.metadata.creationTimestamp, now)];
    },
  },
  Endpoints: { columns: ['Name', 'Endpoints', 'Age'], wide: [], row: r.endpointsRow },
  EndpointSlice: {
    columns: ['Name', 'AddressType', 'Ports', 'Endpoints', 'Age'],
    wide: [],
    row: r.endpointSliceRow,
  },
  Namespace: {
    columns: ['Name', 'Status', 'Age'],
    wide: [],
    row: (o, now) => [o.metadata.name, String((o.status as { phase?: string } | undefined)?.phase ?? ''), age(o.metadata.creationTimestamp, now)],
  },
  Node: {
    columns: ['Name', 'Status', 'Roles', 'Age', 'Version'],
    wide: ['Internal-IP', 'External-IP', 'OS-Image', 'Kernel-Version', 'Container-Runtime'],
    row: r.nodeRow,
  },
  NetworkPolicy: {
    columns: ['Name', 'Pod-Selector', 'Age'],
    wide: [],
    row: (o, now) => [
      o.metadata.name,
      formatLabelSelector((o.spec as { podSelector?: never } | undefined)?.podSelector),
      age(o.metadata.creationTimestamp, now),
    ],
  },
  ConfigMap: {
    columns: ['Name', 'Data', 'Age'],
    wide: [],
    row: (o, now) => {
      const n = Object.keys((o.data as object | undefined) ?? {}).length + Object.keys((o.binaryData as object | undefined) ?? {}).length;
      return [o.metadata.name, String(n), age(o.metadata.creationTimestamp, now)];
    },
  },
  Event: {
    columns: ['Last Seen', 'Type', 'Reason', 'Object', 'Message'],
    wide: [],
    wideHeader: ['Last Seen', 'Type', 'Reason', 'Object', 'Subobject', 'Source', 'Message', 'First Seen', 'Count', 'Name'],
    row: r.eventRow,
  },
};

/** Kinds without a convertor get the server's default table: NAME and AGE. */
const DEFAULT: KindColumns = {
  columns: ['Name', 'Age'],
  wide: [],
  row: (o, now) => [o.metadata.name, age(o.metadata.creationTimestamp, now)],
};

export function columnsFor(kind: string): KindColumns {
  return TABLES[kind] ?? DEFAULT;
}

/** kubectl prints `--show-labels` as one more column. */
export const labelsCell = (o: KubeObject): string => formatLabels(o.metadata.labels);
