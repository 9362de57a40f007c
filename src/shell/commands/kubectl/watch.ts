/**
 * kubectl get -w / --watch-only, after GetOptions.watch in k8s.io/kubectl/pkg/cmd/get/get.go:
 * print the list once (unless --watch-only), then one row per change as it happens. Each
 * change is flushed on its own through the same tabwriter, so its columns are as wide as its
 * own cells (minwidth 6, padding 3), not aligned with the rows above; the header comes once.
 * It runs until Ctrl-C, which kubectl traps (interrupt.New(nil, cancel)) and then exits 1
 * without printing anything more. A script cannot press Ctrl-C: there it prints the list and ends.
 */
import { matchesSelector, parseSelector, type KubeObject, type WatchEvent } from '../../../engine';
import { bool, str, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { allNamespaces, errorResult, namespaceOf } from './common';
import { printGroups, type OutputFormat } from './printers/print';
import type { Request } from './get';

/** How often the watch prints what changed (changes land when the cluster's clock moves). */
const STEP_MS = 250;

export async function watchGet(
  p: ParsedFlags,
  ctx: CommandContext,
  format: OutputFormat,
  requests: Request[],
  list: (p: ParsedFlags) => Promise<CommandResult>,
): Promise<CommandResult> {
  const kinds = new Set(requests.map((r) => r.resource.kind));
  if (kinds.size > 1) return errorResult('watch is only supported on individual resources and resource collections - more than 1 resource was found');
  const req = requests[0]!;
  const allNs = allNamespaces(p);
  const namespace = req.resource.namespaced && !allNs ? namespaceOf(p, ctx) : undefined;
  const selectorText = str(p, 'selector');
  const selector = selectorText ? parseSelector(selectorText) : undefined;
  const names = new Set(req.names);

  let header = false;
  if (!bool(p, 'watch-only')) {
    const plain: ParsedFlags = { ...p, flags: new Map(p.flags) };
    plain.flags.set('watch', false);
    const first = await list(plain);
    if (first.exitCode !== 0) return first;
    // The watch prints no "No resources found" line: an empty list prints nothing and waits.
    const warnings = first.stderr.split(/(?<=\n)/).filter((l) => l.startsWith('Warning: ')).join('');
    ctx.session.write(warnings + first.stdout);
    header = first.stdout !== '';
  }
  if (!ctx.session.endless) return { stdout: '', stderr: '', exitCode: 0 };

  ctx.session.catchInterrupt();
  const changed: KubeObject[] = [];
  const matches = (e: WatchEvent) => {
    const o = e.object;
    if (o.kind !== req.resource.kind) return false;
    if (namespace !== undefined && o.metadata.namespace !== namespace) return false;
    if (names.size && !names.has(o.metadata.name)) return false;
    return !selector || matchesSelector(selector, o.metadata.labels);
  };
  const stop = ctx.cluster.watch((e) => {
    if (matches(e)) changed.push(e.object);
  });
  try {
    while (!ctx.session.signal.aborted) {
      await ctx.session.wait(STEP_MS);
      for (const o of changed.splice(0)) {
        ctx.session.write(
          printGroups([{ resource: req.resource, objects: [o] }], format, {
            now: ctx.cluster.now(),
            withNamespace: allNs,
            withKind: bool(p, 'show-kind'),
            showLabels: bool(p, 'show-labels'),
            noHeaders: header || bool(p, 'no-headers'),
            labelColumns: [],
            singleItem: true,
          }),
        );
        header = true;
      }
    }
  } finally {
    stop();
  }
  return { stdout: '', stderr: '', exitCode: 1 };
}
