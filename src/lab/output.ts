import { OUTPUT_LIMIT } from './protocol';

/**
 * Cuts a command's output to `limit` characters at a line end, with a notice saying how much
 * was left out: a terminal that renders 50 MB of `yes` freezes the page, and nobody reads it.
 */
export function truncateOutput(text: string, limit = OUTPUT_LIMIT): string {
  if (text.length <= limit) return text;
  const cut = text.lastIndexOf('\n', limit);
  const kept = cut > limit / 2 ? text.slice(0, cut + 1) : text.slice(0, limit) + '\n';
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  return kept + `[clusterpath: output truncated: showing ${mb(kept.length)} MB of ${mb(text.length)} MB; pipe it through head, tail or grep to see the part you need]\n`;
}
