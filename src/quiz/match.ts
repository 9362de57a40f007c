import type { KeyPoint } from './bank';

/**
 * Which key points a typed answer covers. A key point lists `match` terms (any one is
 * enough). Matching is case-insensitive and word-boundary aware: "dns" does not match
 * inside "dnsmasq-less", but a plural ("EndpointSlices") or a hyphen/space variant
 * ("kube proxy", "kubeproxy", "Cluster-IP") still counts. A few interview abbreviations
 * are synonyms of the full term ("svc" = "service", "lb" = "load balancer").
 *
 * We deliberately do not try to understand negation ("not a CNAME" still covers "CNAME"):
 * the learner rates themself after reading the model answer; this is a guide, not a grade.
 */

/** Groups of interchangeable terms, compared after normalisation (see `norm`). */
const SYNONYMS: readonly (readonly string[])[] = [
  ['service', 'svc'],
  ['services', 'svcs'],
  ['load balancer', 'lb'],
  ['namespace', 'ns'],
  ['replicaset', 'rs'],
  ['deployment', 'deploy'],
  ['networkpolicy', 'netpol'],
  ['endpointslice', 'eps'],
  ['api server', 'kube-apiserver', 'apiserver'],
  ['control plane', 'master'],
  ['conntrack', 'connection tracking'],
  ['dnat', 'destination nat'],
  ['snat', 'source nat'],
  ['round robin', 'rr'],
  ['horizontal pod autoscaler', 'hpa'],
  ['fully qualified', 'fqdn'],
];

/** Lower case, separators (space, hyphen, underscore, dot-free) collapsed to one space. */
function norm(term: string): string {
  return term.toLowerCase().replace(/[\s\-_]+/g, ' ').trim();
}

const SYNONYM_INDEX = new Map<string, readonly string[]>();
for (const group of SYNONYMS) for (const t of group) SYNONYM_INDEX.set(norm(t), group);

/** Every spelling that counts for `term`: itself and its synonyms. */
export function expand(term: string): string[] {
  const n = norm(term);
  const group = SYNONYM_INDEX.get(n);
  return [...new Set([n, ...(group ?? []).map(norm)])];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A regex for one normalised term: word parts may be joined by spaces, hyphens,
 * underscores or nothing; a trailing plural s/es is allowed; the ends must not touch
 * another letter or digit.
 */
function termRegex(n: string): RegExp {
  const body = n.split(' ').map(escape).join('[\\s\\-_]*');
  const plural = /[a-z]$/.test(n) ? '(?:e?s)?' : '';
  return new RegExp(`(?<![a-z0-9])${body}${plural}(?![a-z0-9])`, 'gi');
}

export interface Hit {
  start: number;
  end: number;
}

export interface PointResult {
  text: string;
  covered: boolean;
  /** Where in the answer the point's terms were found. */
  hits: Hit[];
}

export interface MatchResult {
  points: PointResult[];
  covered: number;
  total: number;
}

const STOP = new Set('about above after again against because before being below between both could does doing during each from further have having here into itself more most other over same should some such than that their them then there these they this those through under until very what when where which while with would your'.split(' '));

/** Terms for a key point written without `match`: its longer content words. */
function derivedTerms(text: string): string[] {
  return [...new Set(text.toLowerCase().match(/[a-z][a-z0-9-]{4,}/g) ?? [])].filter((w) => !STOP.has(w));
}

function findAll(answer: string, terms: readonly string[]): Hit[] {
  const hits: Hit[] = [];
  for (const term of terms) {
    for (const n of expand(term)) {
      if (!n) continue;
      for (const m of answer.matchAll(termRegex(n))) hits.push({ start: m.index, end: m.index + m[0].length });
    }
  }
  return hits;
}

export function matchKeyPoints(answer: string, keyPoints: readonly KeyPoint[]): MatchResult {
  const points = keyPoints.map((k): PointResult => {
    if (k.match.length > 0) {
      const hits = findAll(answer, k.match);
      return { text: k.text, covered: hits.length > 0, hits };
    }
    // No match terms: covered when at least half of its content words appear.
    const words = derivedTerms(k.text);
    const found = words.filter((w) => findAll(answer, [w]).length > 0);
    const hits = findAll(answer, found);
    return { text: k.text, covered: words.length > 0 && found.length * 2 >= words.length, hits };
  });
  return { points, covered: points.filter((p) => p.covered).length, total: points.length };
}

export interface Segment {
  text: string;
  /** Set when this piece of the answer matched a key point's term. */
  mark: boolean;
}

/** Splits the answer into plain and matched pieces for highlighting (overlaps merged). */
export function segments(answer: string, result: MatchResult): Segment[] {
  const hits = result.points.flatMap((p) => p.hits).sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Segment[] = [];
  let at = 0;
  for (const h of hits) {
    if (h.end <= at) continue;
    const start = Math.max(h.start, at);
    if (start > at) out.push({ text: answer.slice(at, start), mark: false });
    out.push({ text: answer.slice(start, h.end), mark: true });
    at = h.end;
  }
  if (at < answer.length) out.push({ text: answer.slice(at), mark: false });
  return out;
}
