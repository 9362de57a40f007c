/**
 * Label selectors: the string form parsed like apimachinery's labels.Parse (same grammar,
 * same error texts — k8s.io/apimachinery/pkg/labels/selector.go) and the structured
 * metav1.LabelSelector (matchLabels + matchExpressions).
 */
import type { LabelSelector, Labels } from './types';
import { isQualifiedName, isValidLabelValue } from './names';
import { goQuote } from '../core/errors';

export type Operator = 'in' | 'notin' | '=' | '==' | '!=' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** A parsed selector: all requirements must hold. Empty matches everything. */
export type Selector = readonly Requirement[];

export class SelectorParseError extends Error {}

type Tok = 'id' | 'eos' | '!' | '=' | '==' | '!=' | 'in' | 'notin' | '(' | ')' | ',' | '>' | '<' | 'err';

const SYMBOLS = new Set(['=', '!', '(', ')', ',', '>', '<']);
const SYMBOL_TOKENS: Record<string, Tok> = { '!': '!', '=': '=', '==': '==', '!=': '!=', '(': '(', ')': ')', ',': ',', '>': '>', '<': '<' };
const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\r' || c === '\n';

function lex(s: string): { tok: Tok; lit: string }[] {
  const out: { tok: Tok; lit: string }[] = [];
  let i = 0;
  for (;;) {
    while (i < s.length && isSpace(s[i]!)) i++;
    if (i >= s.length) {
      out.push({ tok: 'eos', lit: '' });
      return out;
    }
    if (SYMBOLS.has(s[i]!)) {
      // Longest run of symbols that is still a token ("!=", "==").
      let buf = '';
      let last: { tok: Tok; lit: string } | undefined;
      while (i < s.length && SYMBOLS.has(s[i]!)) {
        buf += s[i];
        const t = SYMBOL_TOKENS[buf];
        if (t) last = { tok: t, lit: buf };
        else if (last) break;
        i++;
      }
      if (!last) {
        out.push({ tok: 'err', lit: `error expected: keyword found '${buf}'` });
        continue;
      }
      out.push(last);
      continue;
    }
    let buf = '';
    while (i < s.length && !SYMBOLS.has(s[i]!) && !isSpace(s[i]!)) buf += s[i++];
    out.push({ tok: buf === 'in' ? 'in' : buf === 'notin' ? 'notin' : 'id', lit: buf });
  }
}

/** labels.Parse: `app=web,tier!=db,env in (a,b),!canary`. Throws SelectorParseError with upstream's text. */
export function parseSelector(text: string): Selector {
  const items = lex(text);
  let pos = 0;
  // In value position, `in`/`notin` are plain identifiers.
  const peek = (values = true) => {
    const it = items[pos]!;
    return values && (it.tok === 'in' || it.tok === 'notin') ? { tok: 'id' as Tok, lit: it.lit } : it;
  };
  const take = (values = true) => {
    const it = peek(values);
    pos++;
    return it;
  };
  const fail = (m: string): never => {
    throw new SelectorParseError(m);
  };
  const reqs: Requirement[] = [];

  const parseRequirement = (): Requirement => {
    let t = take();
    let negate = false;
    if (t.tok === '!') {
      negate = true;
      t = take();
    }
    if (t.tok !== 'id') fail(`found '${t.lit}', expected: identifier`);
    const key = t.lit;
    const keyErrs = isQualifiedName(key);
    if (keyErrs.length) fail(`<nil>: Invalid value: ${goQuote(key)}: ${keyErrs.join('; ')}`);
    const next = peek().tok;
    if (next === 'eos' || next === ',') return { key, op: negate ? '!' : 'exists', values: [] };
    if (negate) fail(`found '${peek().lit}', expected: ',' or 'end of string'`);
    const o = take(false);
    let op: Operator;
    switch (o.tok) {
      case 'in': op = 'in'; break;
      case 'notin': op = 'notin'; break;
      case '=': op = '='; break;
      case '==': op = '=='; break;
      case '!=': op = '!='; break;
      case '>': op = 'gt'; break;
      case '<': op = 'lt'; break;
      default:
        return fail(`found '${o.lit}', expected: in, notin, =, ==, !=, gt, lt`);
    }
    let values: string[];
    if (op === 'in' || op === 'notin') {
      const open = take();
      if (open.tok !== '(') fail(`found '${open.lit}' expected: '('`);
      const set = new Set<string>();
      const first = peek();
      if (first.tok === ')') {
        take();
        set.add('');
      } else if (first.tok === 'id' || first.tok === ',') {
        for (;;) {
          const v = take();
          if (v.tok === 'id') {
            set.add(v.lit);
            const n = peek();
            if (n.tok === ',') continue;
            if (n.tok === ')') break;
            fail(`found '${n.lit}', expected: ',' or ')'`);
          } else if (v.tok === ',') {
            if (set.size === 0) set.add('');
            const n = peek();
            if (n.tok === ')') {
              set.add('');
              break;
            }
            if (n.tok === ',') set.add('');
          } else {
            fail(`found '${v.lit}', expected: ',', or identifier`);
          }
        }
        if (take().tok !== ')') fail(`found '${first.lit}', expected: ')'`);
      } else {
        fail(`found '${first.lit}', expected: ',', ')' or identifier`);
      }
      values = [...set].sort();
    } else {
      const n = peek();
      if (n.tok === 'eos' || n.tok === ',') values = [''];
      else {
        const v = take();
        if (v.tok !== 'id') fail(`found '${v.lit}', expected: identifier`);
        values = [v.lit];
      }
    }
    if (op !== 'gt' && op !== 'lt') {
      for (const v of values) {
        const errs = isValidLabelValue(v);
        if (errs.length) fail(`values[0][${key}]: Invalid value: ${goQuote(v)}: ${errs.join('; ')}`);
      }
    } else if (values.length !== 1 || !/^-?\d+$/.test(values[0]!)) {
      fail(`<nil>: Invalid value: ${goQuote(values[0] ?? '')}: for 'Gt', 'Lt' operators, the value must be an integer`);
    }
    return { key, op, values };
  };

  for (;;) {
    const t = peek();
    if (t.tok === 'eos') break;
    if (t.tok !== 'id' && t.tok !== '!') fail(`found '${t.lit}', expected: !, identifier, or 'end of string'`);
    try {
      reqs.push(parseRequirement());
    } catch (e) {
      if (e instanceof SelectorParseError) throw new SelectorParseError(`unable to parse requirement: ${e.message}`);
      throw e;
    }
    const sep = take();
    if (sep.tok === 'eos') break;
    if (sep.tok !== ',') fail(`found '${sep.lit}', expected: ',' or 'end of string'`);
    const n = peek();
    if (n.tok !== 'id' && n.tok !== '!') fail(`found '${n.lit}', expected: identifier after ','`);
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** metav1.LabelSelectorAsSelector. An empty LabelSelector matches everything; undefined matches nothing. */
export function fromLabelSelector(sel: LabelSelector): Selector {
  const reqs: Requirement[] = [];
  for (const [key, value] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key, op: '=', values: [value] });
  for (const e of sel.matchExpressions ?? []) {
    const op: Operator = e.operator === 'In' ? 'in' : e.operator === 'NotIn' ? 'notin' : e.operator === 'Exists' ? 'exists' : '!';
    reqs.push({ key: e.key, op, values: [...(e.values ?? [])].sort() });
  }
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** A Service's spec.selector (a plain map). */
export function fromMap(map: Labels): Selector {
  return Object.keys(map)
    .sort()
    .map((key) => ({ key, op: '=' as const, values: [map[key]!] }));
}

function matchesOne(r: Requirement, labels: Labels): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, r.key);
  const v = labels[r.key];
  switch (r.op) {
    case '=':
    case '==':
    case 'in':
      return has && r.values.includes(v!);
    case '!=':
    case 'notin':
      return !has || !r.values.includes(v!);
    case 'exists':
      return has;
    case '!':
      return !has;
    case 'gt':
    case 'lt': {
      if (!has || !/^-?\d+$/.test(v!)) return false;
      const n = Number(v);
      const bound = Number(r.values[0]);
      return r.op === 'gt' ? n > bound : n < bound;
    }
  }
}

export function matches(sel: Selector, labels: Labels | undefined): boolean {
  const l = labels ?? {};
  for (const r of sel) if (!matchesOne(r, l)) return false;
  return true;
}

/** Convenience for callers holding a metav1.LabelSelector or a plain map. */
export function matchesSelector(sel: LabelSelector | Selector, labels: Labels | undefined): boolean {
  return matches(Array.isArray(sel) ? (sel as Selector) : fromLabelSelector(sel as LabelSelector), labels);
}

/** Selector.String(): `app=web,env in (a,b),!x` as kubectl prints SELECTOR columns. */
export function selectorToString(sel: LabelSelector | Selector): string {
  const reqs = Array.isArray(sel) ? (sel as Selector) : fromLabelSelector(sel as LabelSelector);
  return reqs
    .map((r) => {
      switch (r.op) {
        case 'exists':
          return r.key;
        case '!':
          return `!${r.key}`;
        case 'in':
        case 'notin':
          return `${r.key} ${r.op} (${r.values.join(',')})`;
        case 'gt':
          return `${r.key}>${r.values[0]}`;
        case 'lt':
          return `${r.key}<${r.values[0]}`;
        default:
          return `${r.key}${r.op}${r.values[0]}`;
      }
    })
    .join(',');
}
