/**
 * kubectl's JSONPath templates (k8s.io/client-go/util/jsonpath): `{.items[*].metadata.name}`,
 * `{range .items[*]}{.metadata.name}{"\n"}{end}`, `[?(@.type=="Ready")]`, `..`, `*`, slices,
 * escaped dots (`.labels.app\.kubernetes\.io/name`). Several results of one expression are
 * joined by a space; maps and lists print as JSON. Missing keys print nothing, as with
 * kubectl's default --allow-missing-template-keys=true.
 */

type Node = { text: string } | { path: Step[] } | { range: Step[]; body: Node[] };
type Step =
  | { t: 'key'; key: string }
  | { t: 'wild' }
  | { t: 'recurse'; key: string | '*' }
  | { t: 'index'; indices: number[] }
  | { t: 'slice'; start?: number; end?: number; step?: number }
  | { t: 'filter'; path: Step[]; op?: string; value?: unknown };

export class JsonPathError extends Error {}

export function parseTemplate(template: string): Node[] {
  const tokens: ({ text: string } | { action: string })[] = [];
  let i = 0;
  while (i < template.length) {
    const open = template.indexOf('{', i);
    if (open === -1) { tokens.push({ text: template.slice(i) }); break; }
    if (open > i) tokens.push({ text: template.slice(i, open) });
    const close = findClose(template, open);
    if (close === -1) throw new JsonPathError(`unclosed action`);
    tokens.push({ action: template.slice(open + 1, close).trim() });
    i = close + 1;
  }
  const [nodes, rest] = build(tokens, 0);
  if (rest !== tokens.length) throw new JsonPathError('not in range, nothing to end');
  return nodes;
}

function findClose(s: string, open: number): number {
  let quote = '';
  for (let j = open + 1; j < s.length; j++) {
    const c = s[j];
    if (quote) {
      if (c === '\\') j++;
      else if (c === quote) quote = '';
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '}') return j;
  }
  return -1;
}

function build(tokens: ({ text: string } | { action: string })[], start: number, inRange = false): [Node[], number] {
  const out: Node[] = [];
  let i = start;
  while (i < tokens.length) {
    const tok = tokens[i]!;
    if ('text' in tok) { out.push({ text: tok.text }); i++; continue; }
    const a = tok.action;
    if (a === 'end') {
      if (!inRange) throw new JsonPathError('not in range, nothing to end');
      return [out, i + 1];
    }
    if (a.startsWith('range ')) {
      const [body, next] = build(tokens, i + 1, true);
      out.push({ range: parsePath(a.slice(6).trim()), body });
      i = next;
      continue;
    }
    if (/^(".*"|'.*')$/s.test(a)) { out.push({ text: unquote(a) }); i++; continue; }
    out.push({ path: parsePath(a) });
    i++;
  }
  if (inRange) throw new JsonPathError('unclosed range');
  return [out, i];
}

function unquote(s: string): string {
  const body = s.slice(1, -1);
  return body.replace(/\\(.)/g, (_m, c: string) => ({ n: '\n', t: '\t', r: '\r' } as Record<string, string>)[c] ?? c);
}

export function parsePath(expr: string): Step[] {
  const steps: Step[] = [];
  let i = 0;
  if (expr.startsWith('$') || expr.startsWith('@')) i = 1;
  const readName = (): string => {
    let name = '';
    while (i < expr.length && !'.[] '.includes(expr[i]!)) {
      if (expr[i] === '\\' && i + 1 < expr.length) { name += expr[i + 1]; i += 2; continue; }
      name += expr[i++];
    }
    return name;
  };
  while (i < expr.length) {
    const c = expr[i]!;
    if (c === '.') {
      if (expr[i + 1] === '.') {
        i += 2;
        if (expr[i] === '[') { steps.push({ t: 'recurse', key: '*' }); continue; }
        const name = readName();
        steps.push({ t: 'recurse', key: name === '*' ? '*' : name });
        continue;
      }
      i++;
      if (i >= expr.length) break; // a lone "." is the current object
      if (expr[i] === '[') continue;
      const name = readName();
      steps.push(name === '*' ? { t: 'wild' } : { t: 'key', key: name });
      continue;
    }
    if (c === '[') {
      const close = matchBracket(expr, i);
      if (close === -1) throw new JsonPathError(`unterminated array`);
      steps.push(parseBracket(expr.slice(i + 1, close).trim()));
      i = close + 1;
      continue;
    }
    if (c === ' ') { i++; continue; }
    // A bare name at the start (relaxed form, used by --sort-by and custom-columns).
    const name = readName();
    if (!name) throw new JsonPathError(`unrecognized character in action: ${c}`);
    steps.push({ t: 'key', key: name });
  }
  return steps;
}

function matchBracket(s: string, open: number): number {
  let depth = 0;
  let quote = '';
  for (let j = open; j < s.length; j++) {
    const c = s[j];
    if (quote) { if (c === quote) quote = ''; continue; }
    if (c === '"' || c === "'") quote = c;
    else if (c === '[' || c === '(') depth++;
    else if (c === ']' || c === ')') { depth--; if (depth === 0 && c === ']') return j; }
  }
  return -1;
}

function parseBracket(body: string): Step {
  if (body === '*') return { t: 'wild' };
  if (body.startsWith('?(') && body.endsWith(')')) {
    const inner = body.slice(2, -1).trim();
    const m = /^(@[^=!<>~]*?)\s*(==|!=|<=|>=|<|>|=~)\s*(.+)$/.exec(inner);
    if (!m) return { t: 'filter', path: parsePath(inner) };
    return { t: 'filter', path: parsePath(m[1]!.trim()), op: m[2], value: literal(m[3]!.trim()) };
  }
  if (/^(['"]).*\1$/.test(body)) return { t: 'key', key: body.slice(1, -1) };
  if (body.includes(':')) {
    const [a, b, c] = body.split(':').map((x) => (x.trim() === '' ? undefined : Number(x)));
    return { t: 'slice', start: a, end: b, step: c };
  }
  const indices = body.split(',').map((x) => Number(x.trim()));
  if (indices.some((n) => Number.isNaN(n))) throw new JsonPathError(`invalid array index ${body}`);
  return { t: 'index', indices };
}

function literal(s: string): unknown {
  if (/^(['"]).*\1$/.test(s)) return s.slice(1, -1);
  if (s === 'true' || s === 'false') return s === 'true';
  const n = Number(s);
  return Number.isNaN(n) ? s : n;
}

export function evaluate(steps: Step[], root: unknown): unknown[] {
  let cur: unknown[] = [root];
  for (const step of steps) {
    const next: unknown[] = [];
    for (const v of cur) apply(step, v, next);
    cur = next;
  }
  return cur;
}

function apply(step: Step, v: unknown, out: unknown[]): void {
  switch (step.t) {
    case 'key':
      if (v && typeof v === 'object' && !Array.isArray(v) && step.key in v) out.push((v as Record<string, unknown>)[step.key]);
      return;
    case 'wild':
      if (Array.isArray(v)) out.push(...v);
      else if (v && typeof v === 'object') out.push(...Object.keys(v).sort().map((k) => (v as Record<string, unknown>)[k]));
      return;
    case 'recurse':
      recurse(v, step.key, out);
      return;
    case 'index':
      if (!Array.isArray(v)) return;
      for (const n of step.indices) {
        const idx = n < 0 ? v.length + n : n;
        if (idx >= 0 && idx < v.length) out.push(v[idx]);
      }
      return;
    case 'slice': {
      if (!Array.isArray(v)) return;
      const len = v.length;
      const norm = (x: number | undefined, d: number) => (x === undefined ? d : x < 0 ? Math.max(len + x, 0) : Math.min(x, len));
      const s = norm(step.start, 0), e = norm(step.end, len), st = step.step ?? 1;
      for (let k = s; k < e; k += st > 0 ? st : 1) out.push(v[k]);
      return;
    }
    case 'filter': {
      const items = Array.isArray(v) ? v : v && typeof v === 'object' ? Object.values(v) : [];
      for (const item of items) {
        const got = evaluate(step.path, item);
        if (step.op === undefined) { if (got.length && got[0] !== null && got[0] !== undefined && got[0] !== false) out.push(item); continue; }
        if (got.some((g) => compare(g, step.op!, step.value))) out.push(item);
      }
      return;
    }
  }
}

function recurse(v: unknown, key: string, out: unknown[]): void {
  if (Array.isArray(v)) { for (const x of v) recurse(x, key, out); return; }
  if (!v || typeof v !== 'object') return;
  const o = v as Record<string, unknown>;
  if (key === '*') out.push(...Object.values(o));
  else if (key in o) out.push(o[key]);
  for (const x of Object.values(o)) recurse(x, key, out);
}

function compare(a: unknown, op: string, b: unknown): boolean {
  switch (op) {
    case '==': return a === b || String(a) === String(b);
    case '!=': return !(a === b || String(a) === String(b));
    case '<': return Number(a) < Number(b);
    case '>': return Number(a) > Number(b);
    case '<=': return Number(a) <= Number(b);
    case '>=': return Number(a) >= Number(b);
    case '=~': return new RegExp(String(b).replace(/^\/|\/$/g, '')).test(String(a));
  }
  return false;
}

/** How a value prints inside a template: strings raw, the rest as compact JSON. */
export function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === null || v === undefined) return '';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

export function execute(nodes: Node[], data: unknown): string {
  let out = '';
  for (const n of nodes) {
    if ('text' in n) out += n.text;
    else if ('range' in n) {
      for (const item of evaluate(n.range, data)) out += execute(n.body, item);
    } else out += evaluate(n.path, data).map(textOf).join(' ');
  }
  return out;
}

export function runTemplate(template: string, data: unknown): string {
  return execute(parseTemplate(template), data);
}

/** kubectl's RelaxedJSONPathExpression: `.a.b`, `a.b` and `{.a.b}` all mean `{.a.b}`. */
export function relaxed(expr: string): string {
  const e = expr.trim();
  if (e.startsWith('{') && e.endsWith('}')) return e;
  return `{${e.startsWith('.') ? e : '.' + e}}`;
}
