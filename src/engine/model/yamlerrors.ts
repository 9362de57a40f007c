/**
 * kubectl reads manifests with sigs.k8s.io/yaml, i.e. go-yaml v2, so a syntax error reads
 * `error converting YAML to JSON: yaml: line 5: did not find expected key`. We parse with the
 * `yaml` package (which keeps exact positions for the editor) and translate its error kinds
 * into what go-yaml says for the same mistake, including go-yaml's line conventions:
 * scanner errors name the 1-based line of the problem; parser errors print the 0-based line
 * of the offending token (one less than where it is), and lines count from the start of the
 * document (kubectl splits the stream on `---` before decoding).
 *
 * Common mistakes and go-yaml's words (yaml.v2 scannerc.go / parserc.go):
 * - a key indented less than its siblings, a list item out of line → `did not find expected key`
 * - a key indented more than its siblings, `a: b: c` → `mapping values are not allowed in this context`
 * - a key without its colon → `could not find expected ':'` (on the line after the key)
 * - a tab in the indentation → `found character that cannot start any token`
 * - an unclosed quote → `found unexpected end of stream`
 * - an unclosed `[` / `{` → `did not find expected ',' or ']'` / `… or '}'`
 * Anything else keeps the `yaml` package's reason, lower-cased like go-yaml's messages.
 */
import type { YAMLError } from 'yaml';

export interface GoYamlError {
  /** `yaml: line 5: did not find expected key` (what follows `error converting YAML to JSON: `). */
  message: string;
  /** 1-based position of the problem in the whole text (for an editor to underline). */
  line: number;
  column: number;
}

function lineOf(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

function offsetOfLine(text: string, line: number): number {
  let off = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', off);
    if (nl < 0) return text.length;
    off = nl + 1;
  }
  return off;
}

/** 0-based line of the end of the stream as go-yaml's scanner marks it. */
function eofLine0(doc: string): number {
  const newlines = (doc.match(/\n/g) ?? []).length;
  return doc.endsWith('\n') || doc === '' ? newlines : newlines + 1;
}

/**
 * Translate one `yaml` error. `docStart` is the offset where kubectl's document chunk starts
 * (after a `---` line), `docEnd` where it ends.
 */
export function goYamlError(text: string, err: YAMLError, docStart = 0, docEnd = text.length): GoYamlError {
  const pos = err.linePos?.[0] ?? { line: lineOf(text, err.pos[0]), col: 1 };
  const base = lineOf(text, docStart) - 1; // lines before this document
  const doc = text.slice(docStart, docEnd);
  const rel = pos.line - base; // 1-based line within the document
  const out = (goLine: number, msg: string, line = pos.line, column = pos.col): GoYamlError => ({
    message: `yaml: line ${goLine}: ${msg}`,
    line,
    column,
  });
  // A tab where indentation is expected: go-yaml's scanner stops at the first one.
  const lines = doc.split('\n');
  const tab = lines.findIndex((l) => /^ *\t/.test(l) && l.trim() !== '');
  if (tab >= 0 && (err.code === 'TAB_AS_INDENT' || tab + 1 <= rel)) {
    const col = lines[tab]!.indexOf('\t') + 1;
    return out(tab + 1, 'found character that cannot start any token', base + tab + 1, col);
  }
  const reason = err.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
  switch (err.code) {
    case 'BLOCK_AS_IMPLICIT_KEY': {
      // The value runs on (`name: web: x`, or a more-indented line continues it) until a
      // second `:` — that is where go-yaml's scanner complains.
      const from = offsetOfLine(text, pos.line) + pos.col - 1;
      const rest = text.slice(from, docEnd);
      const m = /:(?=[ \t\n]|$)/.exec(rest);
      const at = m ? from + m.index : from;
      const l = lineOf(text, at);
      return out(l - base, 'mapping values are not allowed in this context', l, at - offsetOfLine(text, l) + 1);
    }
    case 'MULTILINE_IMPLICIT_KEY':
      return out(rel + 1, "could not find expected ':'");
    case 'MISSING_CHAR':
      if (/quote/i.test(reason)) return out(eofLine0(doc) + 1, 'found unexpected end of stream');
      if (/followed by map values/.test(reason)) return out(rel + 1, "could not find expected ':'");
      if (/\]/.test(reason)) return out(eofLine0(doc), "did not find expected ',' or ']'");
      if (/\}/.test(reason)) return out(eofLine0(doc), "did not find expected ',' or '}'");
      break;
    case 'BAD_INDENT':
      if (/Flow sequence/.test(reason)) return out(eofLine0(doc), "did not find expected ',' or ']'");
      if (/Flow map/.test(reason)) return out(eofLine0(doc), "did not find expected ',' or '}'");
      return out(rel - 1, 'did not find expected key');
    case 'UNEXPECTED_TOKEN':
      return out(rel - 1, 'did not find expected key');
    case 'DUPLICATE_KEY': {
      const key = /^\s*-?\s*("?)([^":]+)\1\s*:/.exec(lines[rel - 1] ?? '')?.[2]?.trim() ?? '';
      return { message: `yaml: unmarshal errors:\n  line ${rel}: key ${JSON.stringify(key)} already set in map`, line: pos.line, column: pos.col };
    }
  }
  return out(rel, reason.charAt(0).toLowerCase() + reason.slice(1));
}
