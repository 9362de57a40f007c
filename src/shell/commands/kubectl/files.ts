/**
 * `-f FILE|DIR|-` as kubectl's resource builder reads it: a file, every .json/.yaml/.yml in a
 * folder (sorted; subfolders with -R), or stdin for `-`. Paths are in the session's file system.
 */
import type { CommandContext, CommandResult } from '../../types';
import { errorResult } from './common';

export interface Source {
  text: string;
  /** As kubectl names it in messages: the path as given, or `STDIN`. */
  source: string;
}

function resolvePath(cwd: string, p: string, home: string): string {
  if (p === '~' || p.startsWith('~/')) p = home + p.slice(1);
  if (p.startsWith('/')) return p;
  return `${cwd.replace(/\/$/, '')}/${p}`;
}

export async function readSources(ctx: CommandContext, filenames: string[], recursive: boolean): Promise<Source[] | CommandResult> {
  const out: Source[] = [];
  const home = ctx.env.get('HOME') ?? '/';
  for (const f of filenames) {
    if (f === '-') {
      out.push({ text: ctx.stdin, source: 'STDIN' });
      continue;
    }
    if (/^https?:\/\//.test(f)) return errorResult(`unable to read URL "${f}", server reported 0 , status code=0`);
    const path = resolvePath(ctx.cwd, f, home);
    if (!(await ctx.fs.exists(path))) return errorResult(`the path "${f}" does not exist`);
    const st = await ctx.fs.stat(path);
    if (st.isDirectory) {
      out.push(...(await readDir(ctx, path, f, recursive)));
      continue;
    }
    out.push({ text: await ctx.fs.readFile(path), source: f });
  }
  return out;
}

async function readDir(ctx: CommandContext, path: string, shown: string, recursive: boolean): Promise<Source[]> {
  const out: Source[] = [];
  for (const name of (await ctx.fs.readdir(path)).sort()) {
    const full = `${path.replace(/\/$/, '')}/${name}`;
    const label = `${shown.replace(/\/$/, '')}/${name}`;
    const st = await ctx.fs.stat(full);
    if (st.isDirectory) {
      if (recursive) out.push(...(await readDir(ctx, full, label, recursive)));
      continue;
    }
    if (/\.(json|ya?ml)$/.test(name)) out.push({ text: await ctx.fs.readFile(full), source: label });
  }
  return out;
}
