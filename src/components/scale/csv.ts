/** The sweep as CSV (RFC 4180: comma-separated, CRLF line ends, a header row). */
import type { ScaleRow } from './rows';

export const CSV_COLUMNS: readonly (keyof ScaleRow)[] = [
  'mode', 'services', 'endpoints', 'programmed', 'iptablesRules', 'ipvsVirtualServers', 'ipvsRealServers', 'ipsetEntries',
  'nftRules', 'nftElements', 'syncMs', 'applyMs', 'traversedMean', 'traversedMax', 'textBytes', 'reached',
];

function cell(v: ScaleRow[keyof ScaleRow]): string {
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(3);
  return String(v);
}

export function toCsv(rows: readonly ScaleRow[]): string {
  const lines = [CSV_COLUMNS.join(',')];
  for (const r of rows) lines.push(CSV_COLUMNS.map((c) => cell(r[c])).join(','));
  return lines.join('\r\n') + '\r\n';
}
