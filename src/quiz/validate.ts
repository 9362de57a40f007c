/**
 * Small hand-written checks for saved and imported data. (zod would do, but it would add
 * about 13 KB gzip to every quiz page; these few shapes do not need it.) A failed check
 * throws `Invalid` with the path and what was expected; callers turn it into a value.
 */
export class Invalid extends Error {}

export type Obj = Record<string, unknown>;

export function obj(x: unknown, path: string): Obj {
  if (typeof x !== 'object' || x === null || Array.isArray(x)) throw new Invalid(`${path}: expected an object`);
  return x as Obj;
}

export function arr(x: unknown, path: string): unknown[] {
  if (!Array.isArray(x)) throw new Invalid(`${path}: expected a list`);
  return x;
}

export function num(x: unknown, path: string, min = -Infinity, max = Infinity): number {
  if (typeof x !== 'number' || !Number.isFinite(x) || x < min || x > max) {
    throw new Invalid(`${path}: expected a number${min > -Infinity ? ` from ${min}` : ''}${max < Infinity ? ` to ${max}` : ''}, got ${JSON.stringify(x) ?? 'nothing'}`);
  }
  return x;
}

export function int(x: unknown, path: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = num(x, path, min, max);
  if (!Number.isInteger(n)) throw new Invalid(`${path}: expected a whole number, got ${n}`);
  return n;
}

export function str(x: unknown, path: string, max = 20_000): string {
  if (typeof x !== 'string' || x.length > max) throw new Invalid(`${path}: expected text${max < 20_000 ? ` of at most ${max} characters` : ''}`);
  return x;
}

/** A question id: the kebab-case the quiz schema enforces. */
export function id(x: unknown, path: string): string {
  if (typeof x !== 'string' || !/^[a-z0-9]+(-[a-z0-9]+)*$/.test(x) || x.length > 200) throw new Invalid(`${path}: expected a question id, got ${JSON.stringify(x)}`);
  return x;
}

/** An epoch-ms time between 2000 and 2200: anything else is not a date we wrote. */
export function time(x: unknown, path: string): number {
  return int(x, path, Date.UTC(2000, 0, 1), Date.UTC(2200, 0, 1));
}
