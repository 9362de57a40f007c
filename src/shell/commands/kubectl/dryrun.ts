/** `--dry-run[=none|client|server]` as kubectl's cmdutil.GetDryRunStrategy reads it. */
import type { DryRun } from '../../../engine';
import { str, type FlagSpec, type ParsedFlags } from '../../flags';

export const DRY_RUN_FLAG: FlagSpec = { name: 'dry-run', type: 'string', noOptDefault: 'unchanged' };

/** A klog warning line as kubectl writes it: `W0101 00:00:00.000000       1 file:line] msg`. */
function klogWarning(now: number, msg: string): string {
  const d = new Date(now);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const stamp = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())}.${p(d.getUTCMilliseconds() * 1000, 6)}`;
  return `W${stamp}       1 helpers.go:702] ${msg}\n`;
}

export function dryRunOf(p: ParsedFlags, now = 0): { dryRun?: DryRun; warning?: string } | { error: string } {
  const v = str(p, 'dry-run', 'none');
  switch (v) {
    case 'none':
    case 'false':
      return {};
    case 'client':
      return { dryRun: 'client' };
    case 'server':
      return { dryRun: 'server' };
    case 'unchanged':
    case 'true':
      return { dryRun: 'client', warning: klogWarning(now, '--dry-run is deprecated and can be replaced with --dry-run=client.') };
  }
  return { error: `Invalid dry-run value (${v}). Must be "none", "server", or "client".` };
}

/** The suffix kubectl prints after `created`/`configured`/…. */
export const dryRunSuffix = (d?: DryRun): string => (d === 'client' ? ' (dry run)' : d === 'server' ? ' (server dry run)' : '');
