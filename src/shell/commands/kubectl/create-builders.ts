/**
 * The objects `kubectl create deployment|service|configmap` generate
 * (k8s.io/kubectl/pkg/cmd/create/create_deployment.go, create_service.go, create_configmap.go).
 */
import type { ObjectInput } from '../../../engine';
import { has, int, str, strs, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { errorResult, usageErrorf } from './common';

/** The generators set metadata.namespace only when -n was given (EnforceNamespace). */
const nsField = (p: ParsedFlags, ns: string) => (has(p, 'namespace') ? { namespace: ns } : {});

export const CREATE_SUBCOMMANDS = [
  'clusterrole', 'clusterrolebinding', 'configmap', 'cronjob', 'deployment', 'ingress', 'job', 'namespace',
  'poddisruptionbudget', 'priorityclass', 'quota', 'role', 'rolebinding', 'secret', 'service', 'serviceaccount', 'token',
];

/** create_deployment.go: the container is named after the image (`nginx:1.27` → nginx). */
export function containerNameFor(image: string): string {
  const base = image.split('/').pop()!.split('@')[0]!.split(':')[0]!;
  return base.replace(/[^a-z0-9-]/gi, '-').toLowerCase();
}

export function buildDeployment(p: ParsedFlags, args: string[], ns: string): ObjectInput | CommandResult {
  if (args.length !== 1) return usageErrorf('create deployment', `exactly one NAME is required, got ${args.length}`);
  const images = strs(p, 'image');
  if (images.length === 0) return errorResult('required flag(s) "image" not set');
  const name = args[0]!;
  const port = has(p, 'port') ? int(p, 'port', -1) : -1;
  if (port !== -1 && images.length > 1) return errorResult('cannot expose multiple containers');
  const labels = { app: name };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, ...nsField(p, ns), labels },
    spec: {
      replicas: int(p, 'replicas', 1),
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: {
          containers: images.map((image) => ({
            name: containerNameFor(image),
            image,
            ...(port !== -1 ? { ports: [{ containerPort: port }] } : {}),
          })),
        },
      },
    },
  };
}

const SERVICE_TYPES: Record<string, string> = { clusterip: 'ClusterIP', nodeport: 'NodePort', loadbalancer: 'LoadBalancer', externalname: 'ExternalName' };

export function buildService(p: ParsedFlags, args: string[], ns: string): ObjectInput | CommandResult {
  const [kindArg, ...rest] = args;
  const type = kindArg ? SERVICE_TYPES[kindArg] : undefined;
  if (!type || type === 'ExternalName') {
    if (type === 'ExternalName') return errorResult('"kubectl create service externalname" is not available in this emulated cluster yet');
    return usageErrorf('create service', 'Unexpected args: ' + JSON.stringify(args).replace(/"/g, ''));
  }
  const verb = `create service ${kindArg}`;
  if (rest.length !== 1) return usageErrorf(verb, `exactly one NAME is required, got ${rest.length}`);
  const name = rest[0]!;
  const clusterIP = str(p, 'clusterip');
  const tcp = strs(p, 'tcp');
  if (tcp.length === 0 && clusterIP !== 'None') return errorResult('at least one tcp port specifier must be provided');
  const ports = [];
  for (const spec of tcp) {
    const [portS, targetS] = spec.split(':');
    const port = Number(portS);
    if (!/^\d+$/.test(portS ?? '')) return errorResult(`invalid port number ${portS}`);
    const target: string | number = targetS === undefined ? port : /^\d+$/.test(targetS) ? Number(targetS) : targetS;
    ports.push({
      name: `${portS}-${targetS ?? portS}`,
      protocol: 'TCP',
      port,
      targetPort: target,
      ...(type === 'NodePort' && has(p, 'node-port') ? { nodePort: int(p, 'node-port', 0) } : {}),
    });
  }
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, ...nsField(p, ns), labels: { app: name } },
    spec: { type, selector: { app: name }, ports, ...(clusterIP ? { clusterIP } : {}) },
  };
}

export async function buildConfigMap(p: ParsedFlags, args: string[], ns: string, ctx: CommandContext): Promise<ObjectInput | CommandResult> {
  if (args.length !== 1) return usageErrorf('create configmap', `exactly one NAME is required, got ${args.length}`);
  const data: Record<string, string> = {};
  for (const lit of strs(p, 'from-literal')) {
    const eq = lit.indexOf('=');
    if (eq <= 0) return errorResult(`invalid literal source ${lit}, expected key=value`);
    const key = lit.slice(0, eq);
    if (key in data) return errorResult(`cannot add key ${key}, another key by that name already exists in Data for ConfigMap "${args[0]}"`);
    data[key] = lit.slice(eq + 1);
  }
  for (const f of strs(p, 'from-file')) {
    const eq = f.indexOf('=');
    const key = eq > 0 ? f.slice(0, eq) : f.split('/').pop()!;
    const path = eq > 0 ? f.slice(eq + 1) : f;
    const full = path.startsWith('/') ? path : `${ctx.cwd}/${path}`;
    if (!(await ctx.fs.exists(full))) return errorResult(`error reading ${path}: no such file or directory`);
    data[key] = await ctx.fs.readFile(full);
  }
  return { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: args[0]!, ...nsField(p, ns) }, data };
}
