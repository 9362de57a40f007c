/**
 * Shared flag parsing with spf13/pflag's grammar, which kubectl (cobra) uses:
 * `--name=value`, `--name value`, `-n value`, `-nvalue`, `-n=value`, grouped short booleans
 * (`-it`), `--` ends flags, and flags may come before or after positional arguments.
 * Errors carry pflag's wording; each tool wraps them in its own frame (kubectl adds
 * "error: " and "See 'kubectl get --help' for usage.").
 */
export type FlagType = 'bool' | 'string' | 'int' | 'stringArray';

export interface FlagSpec {
  name: string;
  short?: string;
  type: FlagType;
  /** pflag's NoOptDefVal: a value used when the flag is given without `=value` (e.g. --dry-run). */
  noOptDefault?: string;
}

export type FlagValue = string | boolean | number | string[];

export interface ParsedFlags {
  flags: Map<string, FlagValue>;
  args: string[];
  /** Index in `args` where `--` appeared (cobra's ArgsLenAtDash), or -1. */
  dashAt: number;
  help: boolean;
}

export type FlagError = { error: string };

export function parseFlags(argv: readonly string[], specs: readonly FlagSpec[]): ParsedFlags | FlagError {
  const byName = new Map(specs.map((s) => [s.name, s]));
  const byShort = new Map(specs.filter((s) => s.short).map((s) => [s.short as string, s]));
  const flags = new Map<string, FlagValue>();
  const args: string[] = [];
  let dashAt = -1;
  let help = false;

  const set = (spec: FlagSpec, raw: string, shown: string): FlagError | undefined => {
    switch (spec.type) {
      case 'bool': {
        const b = parseBool(raw);
        if (b === undefined) return { error: `invalid argument "${raw}" for "${shown}" flag: strconv.ParseBool: parsing "${raw}": invalid syntax` };
        flags.set(spec.name, b);
        return undefined;
      }
      case 'int': {
        if (!/^[+-]?\d+$/.test(raw)) return { error: `invalid argument "${raw}" for "${shown}" flag: strconv.ParseInt: parsing "${raw}": invalid syntax` };
        flags.set(spec.name, Number(raw));
        return undefined;
      }
      case 'stringArray': {
        const prev = flags.get(spec.name);
        flags.set(spec.name, [...(Array.isArray(prev) ? prev : []), raw]);
        return undefined;
      }
      default:
        flags.set(spec.name, raw);
        return undefined;
    }
  };

  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--') {
      dashAt = args.length;
      args.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--') && a.length > 2) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (name === 'help') { help = true; continue; }
      const spec = byName.get(name);
      if (!spec) return { error: `unknown flag: --${name}` };
      const shown = spec.short ? `-${spec.short}, --${spec.name}` : `--${spec.name}`;
      let value: string;
      if (eq !== -1) value = a.slice(eq + 1);
      else if (spec.type === 'bool') value = 'true';
      else if (spec.noOptDefault !== undefined) value = spec.noOptDefault;
      else if (i + 1 < argv.length) value = argv[++i] as string;
      else return { error: `flag needs an argument: --${name}` };
      const err = set(spec, value, shown);
      if (err) return err;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // A group of shorthands: each bool consumes one letter; a value flag takes the rest.
      for (let j = 1; j < a.length; j++) {
        const c = a[j] as string;
        if (c === 'h') { help = true; continue; }
        const spec = byShort.get(c);
        if (!spec) return { error: `unknown shorthand flag: '${c}' in ${a}` };
        const shown = `-${c}, --${spec.name}`;
        const rest = a.slice(j + 1);
        if (spec.type === 'bool') {
          if (rest.startsWith('=')) {
            const err = set(spec, rest.slice(1), shown);
            if (err) return err;
            break;
          }
          flags.set(spec.name, true);
          continue;
        }
        let value: string;
        if (rest.length > 0) value = rest.startsWith('=') ? rest.slice(1) : rest;
        else if (spec.noOptDefault !== undefined) value = spec.noOptDefault;
        else if (i + 1 < argv.length) value = argv[++i] as string;
        else return { error: `flag needs an argument: '${c}' in -${c}` };
        const err = set(spec, value, shown);
        if (err) return err;
        break;
      }
      continue;
    }
    args.push(a);
  }
  return { flags, args, dashAt, help };
}

function parseBool(s: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  return undefined;
}

export const isFlagError = (p: ParsedFlags | FlagError): p is FlagError => 'error' in p;

/** Typed accessors so verbs read flags without casts. */
export const str = (p: ParsedFlags, name: string, dflt = ''): string => {
  const v = p.flags.get(name);
  return typeof v === 'string' ? v : dflt;
};
export const bool = (p: ParsedFlags, name: string): boolean => p.flags.get(name) === true;
export const int = (p: ParsedFlags, name: string, dflt: number): number => {
  const v = p.flags.get(name);
  return typeof v === 'number' ? v : dflt;
};
export const strs = (p: ParsedFlags, name: string): string[] => {
  const v = p.flags.get(name);
  return Array.isArray(v) ? v : typeof v === 'string' ? [v] : [];
};
export const has = (p: ParsedFlags, name: string): boolean => p.flags.has(name);
