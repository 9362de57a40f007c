/**
 * `-o json` as kubectl prints it: Go's json.MarshalIndent of an unstructured object, so map
 * keys sorted at every level, 4-space indent, and HTML-sensitive characters escaped
 * (`<none>` → `\u003cnone\u003e`) as encoding/json does by default.
 */
export function toJson(value: unknown): string {
  return JSON.stringify(sortKeys(value), null, 4).replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')) + '\n';
}

export function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) {
      const v = (value as Record<string, unknown>)[k];
      if (v !== undefined) out[k] = sortKeys(v);
    }
    return out;
  }
  return value;
}
