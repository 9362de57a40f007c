/**
 * kubectl expose (k8s.io/kubectl/pkg/cmd/expose): a Service for a pod, service, replica set or
 * deployment, selecting what it selects, with ports from --port or the containers' ports.
 * Prints `service/web exposed`.
 */
import type { Deployment, KubeObject, LabelSelector, Pod, ReplicaSet, Service } from '../../../engine';
import { has, int, str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, usageErrorf, type Verb } from './common';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';
import { parseOutput, printGroups } from './printers/print';

const EXPOSABLE = ['Pod', 'Service', 'ReplicaSet', 'Deployment', 'ReplicationController'];

/** The selector the new Service takes over (only matchLabels can become a Service selector). */
function selectorOf(o: KubeObject): Record<string, string> | string {
  if (o.kind === 'Pod') return o.metadata.labels ?? {};
  if (o.kind === 'Service') return (o as Service).spec.selector ?? {};
  const sel: LabelSelector = (o as Deployment | ReplicaSet).spec.selector;
  if (sel.matchExpressions?.length) return `couldn't convert expressions - "${sel.matchExpressions[0]!.key}" to map-based selector format`;
  return sel.matchLabels ?? {};
}

function portsOf(o: KubeObject): { port: number; protocol: string }[] {
  if (o.kind === 'Service') return ((o as Service).spec.ports ?? []).map((p) => ({ port: p.port, protocol: p.protocol ?? 'TCP' }));
  const spec = o.kind === 'Pod' ? (o as Pod).spec : (o as Deployment).spec.template.spec;
  return spec.containers.flatMap((c) => (c.ports ?? []).map((p) => ({ port: p.containerPort, protocol: p.protocol ?? 'TCP' })));
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return usageErrorf('expose', 'You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   \'-f rsrc.yaml\'\n   \'--filename=rsrc.json\'\n   \'<resource> <name>\'\n   \'<resource>\'');
  const reqs = parseResourceArgs(p.args, ctx, 'expose');
  if (!Array.isArray(reqs)) return reqs;
  const req = reqs[0]!;
  if (req.names.length === 0) return errorResult('resource(s) were provided, but no name was specified');
  if (!EXPOSABLE.includes(req.resource.kind)) return errorResult(`cannot expose a ${req.resource.kind}`);
  const ns = namespaceOf(p, ctx);
  const got = ctx.cluster.get(req.resource.kind, ns, req.names[0]!);
  if (!got.ok) return { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 };
  const obj = got.value;
  const selector = str(p, 'selector') ? Object.fromEntries(str(p, 'selector').split(',').map((kv) => kv.split('=') as [string, string])) : selectorOf(obj);
  if (typeof selector === 'string') return errorResult(`couldn't retrieve selectors via --selector flag or introspection: ${selector}`);
  const protocol = str(p, 'protocol', '');
  const target = str(p, 'target-port');
  let ports: { name?: string; port: number; protocol: string; targetPort: number | string }[];
  if (has(p, 'port')) {
    const port = Number(str(p, 'port'));
    ports = [{ port, protocol: protocol || 'TCP', targetPort: target ? (/^\d+$/.test(target) ? Number(target) : target) : port }];
  } else {
    const found = portsOf(obj);
    if (found.length === 0) return usageErrorf('expose', "couldn't find port via --port flag or introspection");
    ports = found.map((f, i) => ({
      ...(found.length > 1 ? { name: `port-${i + 1}` } : {}),
      port: f.port,
      protocol: protocol || f.protocol,
      targetPort: target ? (/^\d+$/.test(target) ? Number(target) : target) : f.port,
    }));
  }
  const name = str(p, 'name') || obj.metadata.name;
  const type = str(p, 'type');
  const svc = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns, ...(obj.metadata.labels ? { labels: obj.metadata.labels } : {}) },
    spec: {
      ports,
      selector,
      ...(type ? { type } : {}),
      ...(str(p, 'cluster-ip') ? { clusterIP: str(p, 'cluster-ip') } : {}),
      ...(has(p, 'external-ip') ? { externalIPs: [str(p, 'external-ip')] } : {}),
    },
  };
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  const output = str(p, 'output');
  if (dry.dryRun === 'client' && output) {
    const format = parseOutput(output);
    if ('error' in format) return errorResult(format.error);
    const shown = { ...svc, metadata: { creationTimestamp: null, ...svc.metadata }, status: { loadBalancer: {} } };
    return { stdout: printGroups([{ resource: ctx.cluster.resolveResource('Service')!, objects: [shown as never] }], format, { now: ctx.cluster.now(), withNamespace: false, withKind: false, showLabels: false, noHeaders: false, labelColumns: [], singleItem: true }), stderr: '', exitCode: 0 };
  }
  if (dry.dryRun !== 'client') {
    const r = ctx.cluster.create(svc, dry.dryRun ? { dryRun: dry.dryRun } : {});
    if (!r.ok) return { stdout: '', stderr: apiErrorText(r.error), exitCode: 1 };
  }
  return { stdout: `service/${name} exposed${dryRunSuffix(dry.dryRun)}\n`, stderr: '', exitCode: 0 };
}

export const expose: Verb = {
  name: 'expose',
  help: kubectlHelp({
    long: `Expose a resource as a new Kubernetes service.

 Looks up a deployment, service, replica set, replication controller or pod by name and uses the selector for that
resource as the selector for a new service on the specified port. A deployment or replica set will be exposed as a
service only if its selector is convertible to a selector that service supports, i.e. when the selector contains only
the matchLabels component. Note that if no port is specified via --port and the exposed resource has multiple ports, all
will be re-used by the new service. Also if no labels are specified, the new service will re-use the labels from the
resource it exposes.

 Possible resources include (case insensitive):

 pod (po), service (svc), replicationcontroller (rc), deployment (deploy), replicaset (rs)`,
    examples: `  # Create a service for a replicated nginx, which serves on port 80 and connects to the containers on port 8000
  kubectl expose rc nginx --port=80 --target-port=8000

  # Create a service for a pod valid-pod, which serves on port 444 with the name "frontend"
  kubectl expose pod valid-pod --port=444 --name=frontend

  # Create a service for an nginx deployment, which serves on port 80 and connects to the containers on port 8000
  kubectl expose deployment nginx --port=80 --target-port=8000`,
    options: [
      ["--name=''", 'The name for the newly created object.'],
      ["--port=''", 'The port that the service should serve on. Copied from the resource being exposed, if unspecified'],
      ["--protocol=''", "The network protocol for the service to be created. Default is 'TCP'."],
      ["--target-port=''", 'Name or number for the port on the container that the service should direct traffic to. Optional.'],
      ["--type=''", "Type for this service: ClusterIP, NodePort, LoadBalancer, or ExternalName. Default is 'ClusterIP'."],
    ],
    usage: 'kubectl expose (-f FILENAME | TYPE NAME) [--port=port] [--protocol=TCP|UDP|SCTP] [--target-port=number-or-name] [--name=name] [--external-ip=external-ip-of-service] [--type=type] [options]',
  }),
  flags: [
    { name: 'port', type: 'string' },
    { name: 'target-port', type: 'string' },
    { name: 'protocol', type: 'string' },
    { name: 'name', type: 'string' },
    { name: 'type', type: 'string' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'cluster-ip', type: 'string' },
    { name: 'external-ip', type: 'string' },
    { name: 'labels', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    DRY_RUN_FLAG,
  ],
  run,
};

export { int };
