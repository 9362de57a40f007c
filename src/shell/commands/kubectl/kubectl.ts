/**
 * The `kubectl` command: global flags may come before the verb (`kubectl -n kube-system get po`);
 * the verb module does the rest. Unknown verbs answer like cobra, with suggestions.
 */
import type { CommandModule, CommandResult } from '../../types';
import { GLOBAL_FLAGS, runVerb } from './common';
import { KUBECTL_COMMANDS, VERBS } from './verbs';
import { KUBECTL_HELP } from './help/kubectl';

/** Split off global flags written before the verb, keeping them for the verb to parse. */
function findVerb(argv: string[]): { verb?: string; rest: string[] } {
  const valueFlags = new Set(GLOBAL_FLAGS.filter((f) => f.type !== 'bool').flatMap((f) => [`--${f.name}`, ...(f.short ? [`-${f.short}`] : [])]));
  const before: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    // The global flags go before the verb's own words: after them they could land behind `--`
    // (`kubectl -n x exec POD -- cmd`) and reach the container instead of kubectl.
    if (!a.startsWith('-') || a === '-') return { verb: a, rest: [...before, ...argv.slice(i + 1)] };
    before.push(a);
    if (valueFlags.has(a) && i + 1 < argv.length) before.push(argv[++i]!);
  }
  return { rest: before };
}

/** cobra's SuggestionsFor: Levenshtein distance ≤ 2 (case-insensitive) or a prefix match. */
export function suggestions(typed: string): string[] {
  const t = typed.toLowerCase();
  return KUBECTL_COMMANDS.filter((c) => levenshtein(t, c) <= 2 || c.startsWith(t));
}

function levenshtein(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++)
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
  return d[a.length]![b.length]!;
}

export const kubectl: CommandModule = {
  name: 'kubectl',
  help: KUBECTL_HELP,
  async execute(argv, ctx): Promise<CommandResult> {
    const { verb, rest } = findVerb(argv);
    if (verb === undefined) {
      // Global flags alone (`kubectl -n x`) print the overview, as cobra does for a bare root command.
      return { stdout: KUBECTL_HELP, stderr: '', exitCode: 0 };
    }
    // `kubectl help get` is `kubectl get --help`.
    if (verb === 'help') {
      const target = rest.find((a) => !a.startsWith('-'));
      const loadHelp = target ? VERBS[target] : undefined;
      if (!target) return { stdout: KUBECTL_HELP, stderr: '', exitCode: 0 };
      if (!loadHelp) return { stdout: '', stderr: `Unknown help topic [\`${target}\`]\n${KUBECTL_HELP}`, exitCode: 0 };
      return { stdout: (await loadHelp()).help, stderr: '', exitCode: 0 };
    }
    const load = VERBS[verb];
    if (!load) {
      if (KUBECTL_COMMANDS.includes(verb)) {
        return { stdout: '', stderr: `error: "kubectl ${verb}" is not available in this emulated cluster yet\n`, exitCode: 1 };
      }
      const s = suggestions(verb);
      const hint = s.length ? `\n\nDid you mean this?\n${s.map((x) => `\t${x}\n`).join('')}` : '\n';
      return { stdout: '', stderr: `error: unknown command "${verb}" for "kubectl"${hint}`, exitCode: 1 };
    }
    return runVerb(await load(), rest, ctx);
  },
};

export default kubectl;
