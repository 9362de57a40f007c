/**
 * Split manifest text into objects for verbs that do not go through apply (create -f,
 * replace). SHELL ADAPTER: the engine's own reader (model/apply.ts parseDocuments) is not on its
 * facade; this mirrors its messages until the facade offers `create(text)` or the reader.
 */
import { parseAllDocuments } from 'yaml';
import type { ApiError, ObjectInput } from '../../../engine';

export type Doc = { object: ObjectInput } | { error: ApiError };

export function readDocuments(text: string): Doc[] {
  const out: Doc[] = [];
  for (const doc of parseAllDocuments(text, { prettyErrors: false, uniqueKeys: true })) {
    const err = doc.errors[0];
    if (err) {
      const pos = err.linePos?.[0];
      const where = pos ? `line ${pos.line}, column ${pos.col}: ` : '';
      const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
      out.push({ error: { code: 'YAMLError', status: 0, message: `error converting YAML to JSON: yaml: ${where}${reason}`, data: {} } });
      continue;
    }
    const v: unknown = doc.toJS({ maxAliasCount: 100 });
    if (v === null || v === undefined) continue;
    if (typeof v === 'object' && !Array.isArray(v) && (v as { kind?: unknown }).kind === 'List' && Array.isArray((v as { items?: unknown }).items)) {
      for (const item of (v as { items: ObjectInput[] }).items) out.push({ object: item });
      continue;
    }
    out.push({ object: v as ObjectInput });
  }
  return out;
}
