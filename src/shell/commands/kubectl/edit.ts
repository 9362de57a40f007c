/**
 * kubectl edit (k8s.io/kubectl/pkg/cmd/util/editor/editoptions.go, normal edit mode): the
 * objects as YAML under kubectl's header comment go to a temp file that `$EDITOR` opens; on
 * save, comments are stripped and each changed object is patched. A syntax error or an invalid
 * object reopens the file with the reasons in the header; saving it unchanged then gives up.
 * The session's editor plays `$EDITOR` (the lab page's YAML editor). The emulated workstation
 * has no terminal editor, so without one (the CLI) it fails the way kubectl does when it cannot
 * start one.
 */
import { parse } from 'yaml';
import type { KubeObject, ResourceType } from '../../../engine';
import type { ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult, ExternalEditor } from '../../types';
import { apiErrorText, errorResult, namespaceOf, refOf, usageErrorf, type Verb } from './common';
import { parseResourceArgs } from './get';
import { kubectlHelp } from './help/format';
import { asList } from './printers/print';
import { toYaml } from './printers/yaml';

/** editHeader.writeTo for the normal edit mode, word for word. */
const HEADER = `# Please edit the object below. Lines beginning with a '#' will be ignored,
# and an empty file will abort the edit. If an error occurs while saving this file will be
# reopened with the relevant failures.
#
`;

interface Reason {
  head: string;
  other: string[];
}

interface Target {
  resource: ResourceType;
  object: KubeObject;
}

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return usageErrorf('edit', 'You must provide one or more resources by argument or filename.');
  const reqs = parseResourceArgs(p.args, ctx, 'edit');
  if (!Array.isArray(reqs)) return reqs;
  const targets: Target[] = [];
  for (const req of reqs) {
    for (const name of req.names) {
      const got = ctx.cluster.get(req.resource.kind, req.resource.namespaced ? namespaceOf(p, ctx) : undefined, name);
      if (!got.ok) return { stdout: '', stderr: apiErrorText(got.error), exitCode: 1 };
      targets.push({ resource: req.resource, object: got.value });
    }
  }
  const cannotLaunch = errorResult(`unable to launch the editor "${ctx.env.get('KUBE_EDITOR') || ctx.env.get('EDITOR') || 'vi'}"`);
  const editor = ctx.session.editor;
  if (!editor) return cannotLaunch;
  if (targets.length === 0) return errorResult('edit cancelled, no objects found');
  try {
    return await editLoop(targets, editor, ctx, namespaceOf(p, ctx));
  } catch (e) {
    if (e instanceof EditorUnavailable) return cannotLaunch;
    throw e;
  }
}

/** The editor could not open (the page has none right now). */
class EditorUnavailable extends Error {}

/** The loop of editFn: open, read back, patch, and reopen while the edit has errors. */
async function editLoop(targets: Target[], editor: ExternalEditor, ctx: CommandContext, cmdNamespace: string): Promise<CommandResult> {
  const out = { stdout: '', stderr: '' };
  const done = (exitCode: number, error?: string): CommandResult => ({
    stdout: out.stdout,
    stderr: out.stderr + (error ? `error: ${error}\n` : ''),
    exitCode,
  });
  // kubectl's temp file: $TMPDIR/kubectl-edit-<random>.yaml (kept when the edit fails).
  const path = `/tmp/kubectl-edit-${String(ctx.cluster.now() % 1e10).padStart(10, '0')}.yaml`;
  const originalObj = targets.length === 1 ? targets[0]!.object : asList(targets.map((t) => t.object));
  let reasons: Reason[] = [];
  let containsError = false;
  let original = '';
  let edited = '';
  for (;;) {
    let buf = header(reasons);
    if (!containsError) {
      buf += toYaml(originalObj);
      original = buf;
    } else buf += manualStrip(edited);
    await writeTemp(ctx, path, buf);
    const previous = edited;
    // Closing the editor without saving leaves the file as it was.
    edited = (await editor({ path, text: buf }).catch(() => Promise.reject(new EditorUnavailable()))) ?? buf;
    await writeTemp(ctx, path, edited);

    if (containsError && stripComments(previous) === stripComments(edited)) {
      out.stderr += `A copy of your changes has been stored to "${path}"\n`;
      return done(1, 'Edit cancelled, no valid changes were saved.');
    }
    if (stripComments(original) === stripComments(edited)) {
      await removeTemp(ctx, path);
      out.stderr += 'Edit cancelled, no changes made.\n';
      return done(0);
    }
    if (!edited.split('\n').some((l) => l.trim() !== '' && !l.trim().startsWith('#'))) {
      await removeTemp(ctx, path);
      out.stderr += 'Edit cancelled, saved file was empty.\n';
      return done(0);
    }
    reasons = [];

    // Parse it as kubectl's resource builder would (go-yaml's words for a syntax error).
    const syntax = ctx.cluster.apply(edited, { dryRun: 'client', source: 'edited-file' }).find((r) => !r.ok && r.error.code === 'YAMLError');
    if (syntax && !syntax.ok) {
      containsError = true;
      reasons.push({ head: `The edited file had a syntax error: error parsing edited-file: ${syntax.error.message}`, other: [] });
      continue;
    }
    containsError = false;
    const doc = parse(edited) as Record<string, unknown> | null;
    const updated = (doc?.['kind'] === 'List' && Array.isArray(doc['items']) ? doc['items'] : [doc]) as Record<string, unknown>[];

    let retryable = 0;
    let notfound = 0;
    let invalid = 0;
    for (const obj of updated) {
      const meta = (obj?.['metadata'] ?? {}) as Record<string, unknown>;
      const target = targets.find((t) => t.object.metadata.uid === meta['uid']) ?? targets[updated.indexOf(obj)];
      if (!target) {
        out.stderr += `A copy of your changes has been stored to "${path}"\n`;
        return done(1, `no original object found for ${JSON.stringify(obj)}`);
      }
      const r = target.resource;
      const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
      if (r.namespaced && ns && ns !== cmdNamespace) {
        out.stderr += `A copy of your changes has been stored to "${path}"\n`;
        return done(1, `the namespace from the provided object "${ns}" does not match the namespace "${cmdNamespace}". You must pass '--namespace=${ns}' to perform this operation.`);
      }
      const before = target.object as unknown as Record<string, unknown>;
      if (sameJson(before, obj)) {
        out.stdout += `${refOf(r, target.object.metadata.name)} skipped\n`;
        continue;
      }
      if (obj['apiVersion'] !== before['apiVersion'] || obj['kind'] !== before['kind'] || meta['name'] !== target.object.metadata.name) {
        out.stderr += `A copy of your changes has been stored to "${path}"\n`;
        return done(1, 'At least one of apiVersion, kind and name was changed');
      }
      // kubectl sends a two-way strategic merge patch; from the object as fetched to the edited
      // one, a JSON merge patch (whole lists) lands on the same result.
      const patched = ctx.cluster.patch(r.kind, r.namespaced ? target.object.metadata.namespace : undefined, target.object.metadata.name, mergePatch(before, obj), 'merge');
      const resourceString = r.group ? `${r.name}.${r.group}` : r.name;
      const name = target.object.metadata.name;
      if (patched.ok) {
        out.stdout += `${refOf(r, name)} edited\n`;
      } else if (patched.error.code === 'Invalid') {
        invalid++;
        reasons.push({ head: `${resourceString} "${name}" was not valid`, other: (patched.error.data.causes ?? []).map((c) => `${c.field}: ${c.message}`) });
        out.stderr += `error: ${resourceString} "${name}" is invalid\n`;
      } else if (patched.error.code === 'NotFound') {
        notfound++;
        out.stderr += `error: ${resourceString} "${name}" could not be found on the server\n`;
      } else {
        retryable++;
        out.stderr += `error: ${resourceString} "${name}" could not be patched: ${patched.error.message}\n`;
      }
    }
    if (retryable > 0) {
      out.stderr += `You can run \`kubectl replace -f ${path}\` to try this update again.\n`;
      return done(1);
    }
    if (notfound > 0) {
      out.stderr += `The edits you made on deleted resources have been saved to "${path}"\n`;
      return done(1);
    }
    if (invalid === 0) {
      await removeTemp(ctx, path);
      return done(0);
    }
    containsError = true;
  }
}

function header(reasons: Reason[]): string {
  let s = HEADER;
  for (const r of reasons) {
    s += r.other.length > 0 ? `# ${hashOnLineBreak(r.head)}:\n` : `# ${hashOnLineBreak(r.head)}\n`;
    for (const o of r.other) s += `# * ${hashOnLineBreak(o)}\n`;
    s += '#\n';
  }
  return s;
}

/** Multi-line reasons stay comments: a '# ' after each line break not already followed by '#'. */
const hashOnLineBreak = (s: string) => s.replace(/\n(?!#)/g, '\n# ');

/** cmdutil.ManualStrip: drop comment lines (not `#!`). */
function manualStrip(text: string): string {
  return text
    .split('\n')
    .filter((l) => !(l.trim().startsWith('#') && !l.trim().startsWith('#!')))
    .join('\n');
}

/** cmdutil.StripComments: compare as JSON when the YAML parses, else as text without comments. */
function stripComments(text: string): string {
  try {
    return JSON.stringify(parse(text) ?? null);
  } catch {
    return manualStrip(text);
  }
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sortKeys(a)) === JSON.stringify(sortKeys(b));
}

function sortKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sortKeys);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sortKeys((v as Record<string, unknown>)[k])]));
  return v;
}

/** RFC 7386 merge patch turning `from` into `to` (jsonpatch.CreateMergePatch). */
export function mergePatch(from: Record<string, unknown>, to: Record<string, unknown>): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const k of Object.keys(from)) if (!(k in to)) patch[k] = null;
  for (const [k, v] of Object.entries(to)) {
    const old = from[k];
    if (sameJson(old, v)) continue;
    const isObj = (x: unknown): x is Record<string, unknown> => !!x && typeof x === 'object' && !Array.isArray(x);
    patch[k] = isObj(old) && isObj(v) ? mergePatch(old, v) : v;
  }
  return patch;
}

async function writeTemp(ctx: CommandContext, path: string, text: string): Promise<void> {
  try {
    await ctx.fs.mkdir('/tmp', { recursive: true });
    await ctx.fs.writeFile(path, text);
  } catch {
    // The copy on disk is a courtesy; the edit goes on without it.
  }
}

async function removeTemp(ctx: CommandContext, path: string): Promise<void> {
  try {
    await ctx.fs.rm(path, { force: true });
  } catch {
    // Already gone.
  }
}

export const edit: Verb = {
  name: 'edit',
  help: kubectlHelp({
    long: `Edit a resource from the default editor.

 The edit command allows you to directly edit any API resource you can retrieve via the command-line tools. It will open
the editor defined by your KUBE_EDITOR, or EDITOR environment variables, or fall back to 'vi' for Linux or 'notepad' for
Windows.`,
    examples: `  # Edit the service named 'registry'
  kubectl edit svc/registry`,
    options: [["-o, --output=''", 'Output format.']],
    usage: 'kubectl edit (RESOURCE/NAME | -f FILENAME) [options]',
  }),
  flags: [
    { name: 'output', short: 'o', type: 'string' },
    { name: 'filename', short: 'f', type: 'stringArray' },
    { name: 'windows-line-endings', type: 'bool' },
    { name: 'save-config', type: 'bool' },
  ],
  run,
};
