import { describe, expect, it } from 'vitest';
import { runTemplate } from './jsonpath';

const list = {
  kind: 'List',
  items: [
    { metadata: { name: 'a', labels: { 'app.kubernetes.io/name': 'x' } }, status: { podIP: '10.244.1.2', conditions: [{ type: 'Ready', status: 'True' }] } },
    { metadata: { name: 'b' }, status: { podIP: '10.244.2.3', conditions: [{ type: 'Ready', status: 'False' }] } },
  ],
};

describe('jsonpath templates', () => {
  it('joins several results with a space', () => {
    expect(runTemplate('{.items[*].metadata.name}', list)).toBe('a b');
  });
  it('ranges and prints string literals', () => {
    expect(runTemplate('{range .items[*]}{.metadata.name}{"\\t"}{.status.podIP}{"\\n"}{end}', list)).toBe('a\t10.244.1.2\nb\t10.244.2.3\n');
  });
  it('filters, indexes, escapes dots and ignores missing keys', () => {
    expect(runTemplate('{.items[?(@.status.conditions[0].status=="True")].metadata.name}', list)).toBe('a');
    expect(runTemplate('{.items[-1:].metadata.name}', list)).toBe('b');
    expect(runTemplate('{.items[0].metadata.labels.app\\.kubernetes\\.io/name}', list)).toBe('x');
    expect(runTemplate('x{.nope}y', list)).toBe('xy');
  });
  it('prints objects as JSON', () => {
    expect(runTemplate('{.items[1].metadata}', list)).toBe('{"name":"b"}');
  });
});
