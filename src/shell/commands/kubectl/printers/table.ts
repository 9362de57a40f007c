/**
 * kubectl's table output: text/tabwriter with minwidth 6, tabwidth 4, padding 3, pad char ' '
 * (k8s.io/cli-runtime/pkg/printers/tabwriter.go): each cell but the last of a line is padded to
 * the widest cell of its column plus 3.
 */
import { tabwrite } from './tabwriter';

export function formatTable(rows: readonly (readonly string[])[]): string {
  if (rows.length === 0) return '';
  return tabwrite(rows.map((r) => r.join('\t')).join('\n') + '\n', { minwidth: 6, padding: 3 });
}
