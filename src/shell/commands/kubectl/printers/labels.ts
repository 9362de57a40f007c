/** How kubectl prints labels and selectors in tables (apimachinery labels.FormatLabels, metav1.FormatLabelSelector). */
import type { LabelSelector } from '../../../../engine';

/** `app=web,tier=db` sorted by key, or `<none>`. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) return '<none>';
  return keys.map((k) => `${k}=${labels![k]}`).join(',');
}

/** A LabelSelector as its string form (requirements sorted by key), or `<none>` when it selects everything. */
export function formatLabelSelector(sel: LabelSelector | undefined | null): string {
  if (!sel) return '<none>';
  const reqs: { key: string; text: string }[] = [];
  for (const [k, v] of Object.entries(sel.matchLabels ?? {})) reqs.push({ key: k, text: `${k}=${v}` });
  for (const e of sel.matchExpressions ?? []) {
    const values = [...(e.values ?? [])].sort().join(',');
    const text =
      e.operator === 'In' ? `${e.key} in (${values})`
      : e.operator === 'NotIn' ? `${e.key} notin (${values})`
      : e.operator === 'Exists' ? e.key
      : `!${e.key}`;
    reqs.push({ key: e.key, text });
  }
  if (reqs.length === 0) return '<none>';
  // labels.Selector.String sorts requirements by key (stable for equal keys).
  return reqs.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((r) => r.text).join(',');
}
