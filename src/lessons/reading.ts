/**
 * Reading time and table of contents for lesson pages: plain functions so they are
 * unit-tested without Astro.
 */

/** Words per minute for technical prose with code; a common figure for docs. */
const WORDS_PER_MINUTE = 200;

/** Counts the words a reader reads: prose and code, without MDX imports/exports or markup. */
export function countWords(mdxBody: string): number {
  const text = mdxBody
    .replace(/^(import|export)\s.*$/gm, ' ')
    .replace(/<[^>]+>/g, ' ')
    .replace(/[#*_`>|[\](){}]+/g, ' ');
  const words = text.match(/[\p{L}\p{N}][\p{L}\p{N}'.:/=@-]*/gu);
  return words ? words.length : 0;
}

export function readingMinutes(mdxBody: string): number {
  return Math.max(1, Math.round(countWords(mdxBody) / WORDS_PER_MINUTE));
}

export interface Heading {
  depth: number;
  slug: string;
  text: string;
}

/** The headings a lesson's table of contents lists: its ## and ### sections. */
export function tocHeadings(headings: readonly Heading[]): Heading[] {
  return headings.filter((h) => h.depth === 2 || h.depth === 3);
}

/** The neighbours of `id` in a list already sorted by course order. */
export function neighbours<T extends { id: string }>(sorted: readonly T[], id: string): { prev?: T; next?: T } {
  const i = sorted.findIndex((l) => l.id === id);
  if (i < 0) return {};
  const out: { prev?: T; next?: T } = {};
  if (i > 0) out.prev = sorted[i - 1]!;
  if (i < sorted.length - 1) out.next = sorted[i + 1]!;
  return out;
}
