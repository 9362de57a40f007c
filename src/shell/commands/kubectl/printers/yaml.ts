/**
 * `-o yaml` as kubectl prints it (sigs.k8s.io/yaml over go-yaml): keys sorted, sequences not
 * indented under their key, strings that would read back as another type ("80", "true",
 * "yes", timestamps, "") double-quoted, other strings that cannot be plain single-quoted,
 * multi-line strings as literal blocks.
 */
import { Document, visit } from 'yaml';

export function toYaml(value: unknown): string {
  const doc = new Document(value, { sortMapEntries: true, aliasDuplicateObjects: false });
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'string' && !node.value.includes('\n') && readsAsNonString(node.value)) node.type = 'QUOTE_DOUBLE';
    },
  });
  return doc.toString({ indentSeq: false, lineWidth: 0, singleQuote: true });
}

const OTHER_TYPES = new Set([
  '', '~', 'null', 'Null', 'NULL',
  'y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO',
  'true', 'True', 'TRUE', 'false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF',
  '.inf', '.Inf', '.INF', '+.inf', '+.Inf', '+.INF', '-.inf', '-.Inf', '-.INF', '.nan', '.NaN', '.NAN',
]);

/** go-yaml's resolve(): would this plain scalar read back as null, bool, number or timestamp? */
function readsAsNonString(s: string): boolean {
  if (OTHER_TYPES.has(s)) return true;
  if (!/^[-+.0-9]/.test(s)) return false;
  const plain = s.replace(/_/g, '');
  if (/^[-+]?(0[xX][0-9a-fA-F]+|0[bB][01]+|0[oO]?[0-7]+|[0-9]+)$/.test(plain)) return true;
  if (/^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$/.test(plain)) return true;
  if (/^[-+]?(inf|infinity|nan)$/i.test(plain)) return true;
  if (/^[-+]?[0-9][0-9_]*(:[0-5]?[0-9])+(\.[0-9_]*)?$/.test(s)) return true; // base 60
  return /^\d{4}-\d\d?-\d\d?([Tt ]\d|$)/.test(s);
}
