/**
 * Finds the <LiveBlock …> and <EngineOutput …> tags in a lesson's MDX source and reads their
 * props, so tests can run every block without Astro. Props must be plain literals: strings in
 * double quotes, or JSON in braces (`commands={["kubectl get svc"]}`); anything else is an
 * author error reported with its line.
 */

export type BlockKind = 'LiveBlock' | 'EngineOutput';

export interface MdxBlock {
  kind: BlockKind;
  /** 1-based line of the tag in the file. */
  line: number;
  props: Record<string, unknown>;
  /** Where the tag starts and ends in the source (to cut it out of the prose). */
  start: number;
  end: number;
}

export function findBlocks(source: string): MdxBlock[] {
  const out: MdxBlock[] = [];
  for (const m of source.matchAll(/<(LiveBlock|EngineOutput)\b/g)) {
    const start = m.index;
    const line = source.slice(0, start).split('\n').length;
    const where = `line ${line}: <${m[1]}>`;
    const { props, end: tagEnd, selfClosing } = readProps(source, start + m[0].length, where);
    let end = tagEnd;
    if (!selfClosing) {
      const close = source.indexOf(`</${m[1]}>`, tagEnd);
      if (close < 0) throw new Error(`${where} is not closed`);
      end = close + `</${m[1]}>`.length;
    }
    out.push({ kind: m[1] as BlockKind, line, props, start, end });
  }
  return out;
}

/** The lesson's text without the blocks' own tags (where a quote must also appear). */
export function proseWithoutBlocks(source: string, blocks: readonly MdxBlock[]): string {
  let text = '';
  let at = 0;
  for (const b of [...blocks].sort((x, y) => x.start - y.start)) {
    text += source.slice(at, b.start);
    at = b.end;
  }
  return text + source.slice(at);
}

function readProps(src: string, i: number, where: string): { props: Record<string, unknown>; end: number; selfClosing: boolean } {
  const props: Record<string, unknown> = {};
  for (;;) {
    while (/\s/.test(src[i] ?? '')) i++;
    if (src.startsWith('/>', i)) return { props, end: i + 2, selfClosing: true };
    if (src[i] === '>') return { props, end: i + 1, selfClosing: false };
    const name = /^[A-Za-z][\w-]*/.exec(src.slice(i))?.[0];
    if (!name) throw new Error(`${where}: expected a prop name at ${JSON.stringify(src.slice(i, i + 20))}`);
    i += name.length;
    if (src[i] !== '=') throw new Error(`${where}: prop ${name} needs a value`);
    i++;
    if (src[i] === '"') {
      const close = src.indexOf('"', i + 1);
      if (close < 0) throw new Error(`${where}: prop ${name} has no closing quote`);
      props[name] = src.slice(i + 1, close);
      i = close + 1;
    } else if (src[i] === '{') {
      const close = matchingBrace(src, i, where);
      const expr = src.slice(i + 1, close);
      try {
        props[name] = JSON.parse(expr);
      } catch {
        throw new Error(`${where}: prop ${name} must be JSON (strings in double quotes), got {${expr}}`);
      }
      i = close + 1;
    } else {
      throw new Error(`${where}: prop ${name} must be "a string" or {JSON}`);
    }
  }
}

function matchingBrace(src: string, open: number, where: string): number {
  let depth = 0;
  for (let i = open; i < src.length; i++) {
    const c = src[i];
    if (c === '"') {
      for (i++; i < src.length && src[i] !== '"'; i++) if (src[i] === '\\') i++;
      continue;
    }
    if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  throw new Error(`${where}: unbalanced braces`);
}
