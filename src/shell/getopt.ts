/**
 * glibc's getopt_long, the grammar of GNU and procps tools (pflag's, which kubectl uses, is in
 * flags.ts): short options grouped (`-dn1`), a required argument attached or next (`-n1`,
 * `-n 1`), an optional one only attached (`-dx`), long options by any unique prefix
 * (`--int=3`), `--` ends the options. With `+` first in `short` (POSIXLY_CORRECT) the first
 * operand ends them too: `watch -n 1 ls -l` leaves `-l` to ls. Errors are glibc's messages
 * without the program's name; parsing stops at the first, where the program prints it.
 */
export type ArgKind = 'none' | 'required' | 'optional';

export interface LongOption {
  name: string;
  arg: ArgKind;
  /** The short option it stands for (the `val` getopt_long returns). */
  key: string;
}

export interface Getopt {
  /** The options in order, each with its argument; the last may be an error. */
  options: ({ key: string; arg?: string } | { error: string })[];
  /** What is not an option, in order. */
  operands: string[];
}

export function getoptLong(argv: readonly string[], short: string, longs: readonly LongOption[] = []): Getopt {
  const stopAtOperand = short.startsWith('+');
  const shorts = new Map<string, ArgKind>();
  for (const m of (stopAtOperand ? short.slice(1) : short).matchAll(/(.)(:{0,2})/g)) {
    shorts.set(m[1]!, m[2] === '::' ? 'optional' : m[2] === ':' ? 'required' : 'none');
  }
  const options: Getopt['options'] = [];
  const operands: string[] = [];
  const fail = (error: string): Getopt => ({ options: [...options, { error }], operands });
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      operands.push(...argv.slice(i + 1));
      break;
    }
    if (!a.startsWith('-') || a === '-') {
      if (stopAtOperand) {
        operands.push(...argv.slice(i));
        break;
      }
      operands.push(a);
      continue;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = a.slice(2, eq < 0 ? undefined : eq);
      const exact = longs.find((l) => l.name === name);
      const prefixed = longs.filter((l) => l.name.startsWith(name));
      const found = exact ?? (new Set(prefixed.map((l) => l.key)).size === 1 ? prefixed[0] : undefined);
      if (!found) {
        if (prefixed.length > 1) return fail(`option '--${name}' is ambiguous; possibilities:${prefixed.map((l) => ` '--${l.name}'`).join('')}`);
        return fail(`unrecognized option '${a}'`);
      }
      if (eq >= 0) {
        if (found.arg === 'none') return fail(`option '--${found.name}' doesn't allow an argument`);
        options.push({ key: found.key, arg: a.slice(eq + 1) });
      } else if (found.arg === 'required') {
        if (i + 1 >= argv.length) return fail(`option '--${found.name}' requires an argument`);
        options.push({ key: found.key, arg: argv[++i]! });
      } else options.push({ key: found.key });
      continue;
    }
    for (let j = 1; j < a.length; j++) {
      const c = a[j]!;
      const kind = shorts.get(c);
      if (kind === undefined || c === ':') return fail(`invalid option -- '${c}'`);
      if (kind === 'none') {
        options.push({ key: c });
        continue;
      }
      const rest = a.slice(j + 1);
      if (rest) options.push({ key: c, arg: rest });
      else if (kind === 'optional') options.push({ key: c });
      else if (i + 1 < argv.length) options.push({ key: c, arg: argv[++i]! });
      else return fail(`option requires an argument -- '${c}'`);
      break;
    }
  }
  return { options, operands };
}
