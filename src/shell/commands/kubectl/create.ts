/**
 * kubectl create: `-f FILE` (the engine's apply in create mode: POST each document,
 * AlreadyExists if taken) and the generators
 * `deployment`, `service clusterip|nodeport|loadbalancer`, `namespace`, `configmap`
 * (k8s.io/kubectl/pkg/cmd/create). Generated objects match what those generators build.
 */
import type { ObjectInput } from '../../../engine';
import { bool, str, strs, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { apiErrorText, errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { buildConfigMap, buildDeployment, buildService, CREATE_SUBCOMMANDS } from './create-builders';
import { dryRunOf, dryRunSuffix, DRY_RUN_FLAG } from './dryrun';
import { readSources } from './files';
import { CREATE_HELP } from './help/create';
import { parseOutput, printGroups } from './printers/print';

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  const dry = dryRunOf(p, ctx.cluster.now());
  if ('error' in dry) return errorResult(dry.error);
  const [sub, ...rest] = p.args;
  if (strs(p, 'filename').length) return createFromFiles(p, ctx, dry.dryRun);
  if (sub === undefined) return errorResult('must specify one of -f and -k');
  const ns = namespaceOf(p, ctx);
  let built: ObjectInput | CommandResult;
  switch (sub) {
    case 'deployment':
    case 'deploy':
      built = buildDeployment(p, rest, ns);
      break;
    case 'service':
    case 'svc':
      built = buildService(p, rest, ns);
      break;
    case 'namespace':
    case 'ns':
      if (rest.length !== 1) return usageErrorf('create namespace', `exactly one NAME is required, got ${rest.length}`);
      built = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: rest[0]! } };
      break;
    case 'configmap':
    case 'cm':
      built = await buildConfigMap(p, rest, ns, ctx);
      break;
    default:
      if (CREATE_SUBCOMMANDS.includes(sub)) return errorResult(`"kubectl create ${sub}" is not available in this emulated cluster yet`);
      return usageErrorf('create', `Unexpected args: [${p.args.join(' ')}]`);
  }
  if ('exitCode' in built) return built as CommandResult;
  return createObjects(p, ctx, [{ object: built }], dry.dryRun);
}

async function createFromFiles(p: ParsedFlags, ctx: CommandContext, dryRun: 'client' | 'server' | undefined): Promise<CommandResult> {
  const sources = await readSources(ctx, strs(p, 'filename'), bool(p, 'recursive'));
  if (!Array.isArray(sources)) return sources;
  const format = parseOutput(str(p, 'output'));
  if ('error' in format) return errorResult(format.error);
  const ns = namespaceOf(p, ctx);
  let stdout = '';
  const errors: string[] = [];
  let count = 0;
  for (const s of sources) {
    const results = ctx.cluster.apply(s.text, { mode: 'create', source: s.source, namespace: ns, saveConfig: bool(p, 'save-config'), ...(dryRun ? { dryRun } : {}) });
    for (const r of results) {
      count++;
      if (!r.ok) {
        const yaml = r.error.code === 'YAMLError';
        errors.push(apiErrorText(r.error, yaml ? { source: s.source } : { verb: 'creating', source: s.source, name: r.name ?? '', namespace: r.namespace ?? '' }));
        continue;
      }
      const resource = ctx.cluster.resolveResource(r.object.kind);
      if (!resource) continue;
      const object = dryRun === 'client' ? (clientSide(r.object as ObjectInput) as never) : r.object;
      if (str(p, 'output') === '') stdout += `${refOf(resource, r.object.metadata.name)} created${dryRunSuffix(dryRun)}\n`;
      else stdout += printGroups([{ resource, objects: [object] }], format, { now: ctx.cluster.now(), withNamespace: false, withKind: false, showLabels: false, noHeaders: false, labelColumns: [], singleItem: true });
    }
  }
  if (count === 0) return errorResult('no objects passed to create');
  return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
}

async function createObjects(
  p: ParsedFlags,
  ctx: CommandContext,
  docs: { object: ObjectInput; source?: string }[],
  dryRun: 'client' | 'server' | undefined,
): Promise<CommandResult> {
  const format = parseOutput(str(p, 'output'));
  if ('error' in format) return errorResult(format.error);
  let stdout = '';
  const errors: string[] = [];
  const ns = namespaceOf(p, ctx);
  for (const d of docs) {
    const obj = { ...d.object, metadata: { ...(d.object.metadata ?? {}) } };
    const r0 = typeof obj.kind === 'string' ? ctx.cluster.resolveResource(obj.kind) : undefined;
    if (r0?.namespaced && !obj.metadata.namespace) obj.metadata.namespace = ns;
    // --dry-run=client never reaches the server: print what would be sent.
    const r = dryRun === 'client' ? { ok: true as const, value: clientSide(d.object) as never } : ctx.cluster.create(obj, dryRun ? { dryRun } : {});
    if (!r.ok) {
      errors.push(apiErrorText(r.error, d.source ? { verb: 'creating', source: d.source, name: String(obj.metadata.name ?? ''), namespace: String(obj.metadata.namespace ?? '') } : {}));
      continue;
    }
    const created = r.value as { kind: string; metadata: { name: string } };
    const resource = ctx.cluster.resolveResource(created.kind);
    if (!resource) continue;
    if (str(p, 'output') === '') stdout += `${refOf(resource, created.metadata.name)} created${dryRunSuffix(dryRun)}\n`;
    else stdout += printGroups([{ resource, objects: [created as never] }], format, { now: ctx.cluster.now(), withNamespace: false, withKind: false, showLabels: false, noHeaders: false, labelColumns: [], singleItem: true });
  }
  return { stdout, stderr: errors.join(''), exitCode: errors.length ? 1 : 0 };
}

/**
 * What `--dry-run=client -o yaml` prints: the object as the client serialises it, with the
 * zero values Go's encoder keeps (`creationTimestamp: null`, `strategy: {}`, `resources: {}`,
 * `status: {}`), which is why generated manifests carry them.
 */
function clientSide(o: ObjectInput): ObjectInput {
  const out = JSON.parse(JSON.stringify(o)) as Record<string, any>;
  out.metadata = { creationTimestamp: null, ...out.metadata };
  if (out.kind === 'Deployment') {
    out.spec = { ...out.spec, strategy: out.spec?.strategy ?? {} };
    out.spec.template.metadata = { creationTimestamp: null, ...out.spec.template.metadata };
    for (const c of out.spec.template.spec.containers) c.resources ??= {};
  }
  if (out.kind === 'Service') out.spec.ports = (out.spec.ports ?? []).map((p: object) => p);
  if (out.kind !== 'ConfigMap' && out.kind !== 'Namespace') out.status = out.status ?? (out.kind === 'Service' ? { loadBalancer: {} } : {});
  if (out.kind === 'Namespace') { out.spec = {}; out.status = {}; }
  return out;
}

export const create: Verb = {
  name: 'create',
  help: CREATE_HELP,
  flags: [
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'recursive', short: 'R', type: 'bool' },
    { name: 'output', short: 'o', type: 'string' },
    { name: 'image', type: 'stringArray' },
    { name: 'replicas', short: 'r', type: 'int' },
    { name: 'port', type: 'int' },
    { name: 'tcp', type: 'stringArray' },
    { name: 'clusterip', type: 'string' },
    { name: 'node-port', type: 'int' },
    { name: 'from-literal', type: 'stringArray' },
    { name: 'from-file', type: 'stringArray' },
    { name: 'from-env-file', type: 'stringArray' },
    { name: 'save-config', type: 'bool' },
    { name: 'validate', type: 'string', noOptDefault: 'strict' },
    { name: 'edit', type: 'bool' },
    { name: 'field-manager', type: 'string' },
    DRY_RUN_FLAG,
  ],
  run,
};
