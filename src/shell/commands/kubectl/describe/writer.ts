/**
 * kubectl describe's PrefixWriter over tabwriter(minwidth 0, padding 2): lines written at an
 * indent level (2 spaces each), sections flushed separately where upstream calls Flush
 * (before the Events table), so each flushed part aligns on its own.
 */
import { tabwrite } from '../printers/tabwriter';
import type { Event, KubeObject } from '../../../../engine';
import { age } from '../printers/duration';

export class DescribeWriter {
  #parts: string[] = [];
  #buf = '';
  /** `raw`: no tabwriter (kubectl's rollout history --revision prints the tabs as they are). */
  constructor(private readonly opts: { raw?: boolean } = {}) {}

  write(level: number, text: string): void {
    this.#buf += '  '.repeat(level) + text;
  }

  flush(): void {
    if (this.#buf) this.#parts.push(this.opts.raw ? this.#buf : tabwrite(this.#buf, { minwidth: 0, padding: 2 }));
    this.#buf = '';
  }

  toString(): string {
    this.flush();
    return this.#parts.join('');
  }
}

/** printLabelsMultiline: first pair after the title, the rest on their own tab-aligned lines. */
export function labelsMultiline(w: DescribeWriter, title: string, labels: Record<string, string> | undefined, indent = ''): void {
  const keys = Object.keys(labels ?? {}).sort();
  w.write(0, `${indent}${title}:\t`);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((k, i) => {
    if (i > 0) w.write(0, `${indent}\t`);
    w.write(0, `${k}=${labels![k]}\n`);
  });
}

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';
const MAX_ANNOTATION_LEN = 140;

/** printAnnotationsMultiline: `key: value`, last-applied-configuration skipped, long values shortened. */
export function annotationsMultiline(w: DescribeWriter, title: string, annotations: Record<string, string> | undefined, indent = ''): void {
  const keys = Object.keys(annotations ?? {}).filter((k) => k !== LAST_APPLIED).sort();
  w.write(0, `${indent}${title}:\t`);
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((k, i) => {
    if (i > 0) w.write(0, `${indent}\t`);
    let v = annotations![k]!;
    if (v.length > MAX_ANNOTATION_LEN) v = v.slice(0, MAX_ANNOTATION_LEN - 3) + '...';
    w.write(0, `${k}: ${v}\n`);
  });
}

/** time.RFC1123Z: `Thu, 01 Jan 2026 00:00:05 +0000`. */
export function rfc1123z(ts: string | undefined): string {
  if (!ts) return '';
  const d = new Date(ts);
  const days = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
  const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
  const p = (n: number) => String(n).padStart(2, '0');
  return `${days[d.getUTCDay()]}, ${p(d.getUTCDate())} ${months[d.getUTCMonth()]} ${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}:${p(d.getUTCSeconds())} +0000`;
}

/** Go's time.Time String() for metav1.Time: `2026-01-01 00:00:00 +0000 UTC`. */
export function goTime(ts: string | undefined): string {
  if (!ts) return '0001-01-01 00:00:00 +0000 UTC';
  return new Date(ts).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' +0000 UTC');
}

/** DescribeEvents: flush, then a Type/Reason/Age/From/Message table, oldest last-seen first. */
export function describeEvents(w: DescribeWriter, events: Event[] | undefined, now: number): void {
  if (!events) return;
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const sorted = [...events].sort((a, b) => Date.parse(a.lastTimestamp) - Date.parse(b.lastTimestamp));
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of sorted) {
    const first = e.eventTime ? age(e.eventTime, now) : age(e.firstTimestamp, now);
    const interval = (e.count ?? 1) > 1 ? `${age(e.lastTimestamp, now)} (x${e.count} over ${first})` : first;
    const source = e.source?.component || e.reportingComponent || '';
    w.write(1, `${e.type}\t${e.reason}\t${interval}\t${source}\t${e.message.trim()}\n`);
  }
}

export function controllerOf(o: KubeObject): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller);
  return ref ? `${ref.kind}/${ref.name}` : '';
}
