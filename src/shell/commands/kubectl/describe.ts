/**
 * kubectl describe (k8s.io/kubectl/pkg/cmd/describe): TYPE [NAME_PREFIX] | TYPE/NAME | -l.
 * A name that matches nothing exactly describes every object whose name starts with it, as
 * upstream does; several objects are separated by two blank lines.
 */
import type { DaemonSet, Node, Deployment, EndpointSlice, Endpoints, KubeObject, NetworkPolicy, Pod, ReplicaSet, Service } from '../../../engine';
import { describeNamespace, describeReplicaSet } from './describe/replicaset';
import { str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { allNamespaces, apiErrorText, errorResult, namespaceOf, type Verb } from './common';
import { describeDeployment } from './describe/deployment';
import { describeEndpointSlice, describeEndpoints } from './describe/endpoints';
import { describeNetworkPolicy } from './describe/networkpolicy';
import { describePod } from './describe/pod';
import { describeService } from './describe/service';
import { describeDaemonSet, describeNode } from './describe/node';
import { annotationsMultiline, describeEvents, DescribeWriter, labelsMultiline } from './describe/writer';
import { ENDPOINTS_WARNING, parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';

const DESCRIBED = new Set(['Service', 'Pod', 'Deployment', 'ReplicaSet', 'DaemonSet', 'Node', 'Endpoints', 'EndpointSlice', 'NetworkPolicy', 'Namespace', 'ConfigMap', 'ServiceAccount']);

/** describe.go returns this as a plain error (unlike get's usage error). */
const NO_TYPE = 'error: You must specify the type of resource to describe. Use "kubectl api-resources" for a complete list of supported resources.\n';

function describeOne(o: KubeObject, ctx: CommandContext, showEvents: boolean): string {
  const events = showEvents ? ctx.cluster.events({ uid: o.metadata.uid }) : undefined;
  const ev = events ?? [];
  switch (o.kind) {
    case 'Service':
      return describeService(o as Service, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'Pod':
      return describePod(o as Pod, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'Deployment':
      return describeDeployment(o as Deployment, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'Endpoints':
      return describeEndpoints(o as Endpoints, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'EndpointSlice':
      return describeEndpointSlice(o as EndpointSlice, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'NetworkPolicy':
      return describeNetworkPolicy(o as NetworkPolicy);
    case 'ReplicaSet':
      return describeReplicaSet(o as ReplicaSet, ctx.cluster, showEvents ? ev : (undefined as never));
    case 'Namespace':
      return describeNamespace(o);
    case 'Node':
      return describeNode(o as Node, ctx.cluster, showEvents ? ev : undefined);
    case 'DaemonSet':
      return describeDaemonSet(o as DaemonSet, ctx.cluster, showEvents ? ev : undefined);
  }
  // ConfigMap is generic enough to share this; kinds with richer upstream describers are refused in run().
  const w = new DescribeWriter();
  w.write(0, `Name:\t${o.metadata.name}\n`);
  if (o.metadata.namespace) w.write(0, `Namespace:\t${o.metadata.namespace}\n`);
  labelsMultiline(w, 'Labels', o.metadata.labels);
  annotationsMultiline(w, 'Annotations', o.metadata.annotations);
  if (o.kind === 'ServiceAccount') {
    // describe.go ServiceAccountDescriber: the three secret lists, in header order.
    const secrets = ((o as { secrets?: { name: string }[] }).secrets ?? []).map((x) => x.name);
    w.write(0, 'Image pull secrets:\t<none>\n');
    w.write(0, `Mountable secrets:\t${secrets.length ? secrets.join('\n\t') : '<none>'}\n`);
    w.write(0, 'Tokens:\t<none>\n');
  }
  if (o.kind === 'ConfigMap') {
    w.write(0, '\nData\n====\n');
    for (const [k, v] of Object.entries((o.data as Record<string, string> | undefined) ?? {}).sort()) w.write(0, `${k}:\n----\n${v}\n\n`);
    w.write(0, '\nBinaryData\n====\n\n');
  }
  describeEvents(w, events, ctx.cluster.now());
  return w.toString();
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return { stdout: '', stderr: NO_TYPE, exitCode: 1 };
  const reqs = parseResourceArgs(p.args, ctx, 'describe');
  if (!Array.isArray(reqs)) return reqs;
  const missing = reqs.find((r) => !DESCRIBED.has(r.resource.kind));
  // Better no answer than one that looks unlike kubectl's: these describers are not written yet.
  if (missing) return errorResult(`"kubectl describe ${missing.resource.name}" is not available in this emulated cluster yet`);
  const allNs = allNamespaces(p);
  const ns = namespaceOf(p, ctx);
  const selector = str(p, 'selector');
  const showEvents = p.flags.get('show-events') !== false;
  const found: KubeObject[] = [];
  const errors: string[] = [];
  let warning = '';
  for (const req of reqs) {
    if (req.resource.kind === 'Endpoints') warning = ENDPOINTS_WARNING;
    const scope = req.resource.namespaced ? (allNs ? undefined : ns) : undefined;
    const listed = ctx.cluster.list(req.resource.kind, { ...(scope !== undefined ? { namespace: scope } : {}), ...(selector ? { labelSelector: selector } : {}) });
    const all = listed.ok ? listed.value : [];
    if (req.names.length === 0) {
      found.push(...all);
      continue;
    }
    for (const name of req.names) {
      const exact = ctx.cluster.get(req.resource.kind, scope, name);
      if (exact.ok) {
        found.push(exact.value);
        continue;
      }
      const prefixed = all.filter((o) => o.metadata.name.startsWith(name));
      if (prefixed.length) found.push(...prefixed);
      else errors.push(apiErrorText(exact.error));
    }
  }
  if (found.length === 0 && errors.length === 0) {
    const msg = allNs || reqs.some((r) => !r.resource.namespaced) ? 'No resources found\n' : `No resources found in ${ns} namespace.\n`;
    return { stdout: '', stderr: warning + msg, exitCode: 0 };
  }
  const stdout = found.map((o) => describeOne(o, ctx, showEvents)).join('\n\n');
  return { stdout, stderr: warning + errors.join(''), exitCode: errors.length ? 1 : 0 };
}

export const describe: Verb = {
  name: 'describe',
  help: kubectlHelp({
    long: `Show details of a specific resource or group of resources.

 Print a detailed description of the selected resources, including related resources such as events or controllers. You
may select a single object by name, all objects of that type, provide a name prefix, or label selector. For example:

        $ kubectl describe TYPE NAME_PREFIX

 will first check for an exact match on TYPE and NAME_PREFIX. If no such resource exists, it will output details for
every resource that has a name prefixed with NAME_PREFIX.

Use "kubectl api-resources" for a complete list of supported resources.`,
    examples: `  # Describe a node
  kubectl describe nodes kubernetes-node-emt8.c.myproject.internal

  # Describe a pod
  kubectl describe pods/nginx

  # Describe a pod identified by type and name in "pod.json"
  kubectl describe -f pod.json

  # Describe all pods
  kubectl describe pods

  # Describe pods by label name=myLabel
  kubectl describe pods -l name=myLabel

  # Describe all pods managed by the 'frontend' replication controller
  # (rc-created pods get the name of the rc as a prefix in the pod name)
  kubectl describe pods frontend`,
    options: [
      ['-A, --all-namespaces=false', 'If present, list the requested object(s) across all namespaces. Namespace in current context is ignored even\n\tif specified with --namespace.'],
      ["-l, --selector=''", "Selector (label query) to filter on, supports '=', '==', '!=', 'in', 'notin'.(e.g. -l\n\tkey1=value1,key2=value2,key3 in (value3)). Matching objects must satisfy all of the specified label\n\tconstraints."],
      ['--show-events=true', 'If true, display events related to the described object.'],
    ],
    usage: 'kubectl describe (-f FILENAME | TYPE [NAME_PREFIX | -l label] | TYPE/NAME) [options]',
  }),
  flags: [
    { name: 'all-namespaces', short: 'A', type: 'bool' },
    { name: 'selector', short: 'l', type: 'string' },
    { name: 'show-events', type: 'bool' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'chunk-size', type: 'int' },
  ],
  run,
};

