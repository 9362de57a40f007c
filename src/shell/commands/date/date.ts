/**
 * date: the emulated cluster's clock (the one `kubectl get events` ages, log timestamps and
 * dig's WHEN are read from), not the browser's, which just-bash's own `date` would show: a
 * saved lab resumes at the time it stopped, and on the CLI time stands still until a wait.
 * The formatting stays just-bash's date (GNU-style options and +FORMAT), handed that time as
 * `-d @SECONDS` unless the line names a time of its own (-d/--date, -r/--reference, -s/--set,
 * -f/--file).
 */
import { Bash } from 'just-bash';
import { shellQuote } from '../../quote';
import type { CommandModule } from '../../types';

/** A bare interpreter that only formats dates (its file system and clock are never used). */
let formatter: Bash | undefined;

/** Whether an argument names the time to show: --date/--reference/--set/--file, or a short
 *  option cluster with d, r, s or f in it before -I's attached argument (`-ud @5`, `-Iseconds`). */
function namesATime(arg: string): boolean {
  if (/^--(date|reference|set|file)(=|$)/.test(arg)) return true;
  if (!/^-[^-]/.test(arg)) return false;
  for (const c of arg.slice(1)) {
    if (c === 'I') return false;
    if ('drsf'.includes(c)) return true;
  }
  return false;
}

export const date: CommandModule = {
  name: 'date',
  help: 'Usage: date [OPTION]... [+FORMAT]\n\nDisplay the current time in the given FORMAT.\n',
  async execute(argv, ctx) {
    const seconds = Math.floor(ctx.cluster.now() / 1000);
    const args = argv.some(namesATime) ? argv : ['-d', `@${seconds}`, ...argv];
    formatter ??= new Bash();
    const tz = ctx.env.get('TZ');
    const r = await formatter.exec(['date', ...args].map(shellQuote).join(' '), tz ? { env: { TZ: tz } } : {});
    return { stdout: r.stdout, stderr: r.stderr, exitCode: r.exitCode };
  },
};
