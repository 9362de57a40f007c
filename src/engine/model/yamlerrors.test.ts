import { describe, expect, it } from 'vitest';
import { parseDocuments } from './apply';

/** The message kubectl prints after `error parsing FILE: ` and the position kept for editors. */
function first(text: string) {
  const d = parseDocuments(text).find((x) => 'error' in x);
  if (!d || !('error' in d)) throw new Error('expected a YAML error');
  return { message: d.error.message, line: d.error.data.line, column: d.error.data.column };
}

describe('go-yaml wording for YAML mistakes', () => {
  it('a key indented less than its siblings: did not find expected key, one line up (parser error)', () => {
    const e = first('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n labels: x\nspec: {}\n');
    expect(e.message).toBe('error converting YAML to JSON: yaml: line 4: did not find expected key');
    expect([e.line, e.column]).toEqual([5, 1]);
  });
  it('a key indented more than its siblings: mapping values are not allowed', () => {
    expect(first('apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n    labels: x\n').message).toBe(
      'error converting YAML to JSON: yaml: line 5: mapping values are not allowed in this context',
    );
    expect(first('metadata:\n  name: web: x\n').message).toBe('error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context');
  });
  it("a missing colon: could not find expected ':' on the next line", () => {
    expect(first('apiVersion: v1\nkind: Service\nmetadata:\n  name web\n  labels: {}\n').message).toBe(
      "error converting YAML to JSON: yaml: line 5: could not find expected ':'",
    );
  });
  it('a tab in the indentation', () => {
    const e = first('apiVersion: v1\nkind: Service\nmetadata:\n\tname: web\n');
    expect(e.message).toBe('error converting YAML to JSON: yaml: line 4: found character that cannot start any token');
    expect([e.line, e.column]).toEqual([4, 1]);
  });
  it('unclosed quotes and brackets', () => {
    expect(first('apiVersion: v1\nmetadata:\n  name: "web\nspec: {}\n').message).toBe('error converting YAML to JSON: yaml: line 5: found unexpected end of stream');
    expect(first('spec:\n  ports: [80, 443\n  type: x\n').message).toBe("error converting YAML to JSON: yaml: line 3: did not find expected ',' or ']'");
  });
  it('counts lines from the document kubectl split off at ---', () => {
    const e = first('apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n labels: x\n');
    expect(e.message).toBe('error converting YAML to JSON: yaml: line 4: did not find expected key');
    expect(e.line).toBe(10);
  });
});
