import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { block, joinLines, TextBuffer } from './textbuffer';

describe('TextBuffer', () => {
  it('is empty text with no lines, and one newline per line otherwise (an empty line too)', () => {
    expect(new TextBuffer().text()).toBe('');
    const b = new TextBuffer();
    b.line('');
    expect(b.text()).toBe('\n');
    expect(b.lines).toBe(1);
  });
  it('counts a string of several lines as what its caller says it holds', () => {
    const b = new TextBuffer();
    b.line('a\nb', 2);
    b.line('c');
    expect(b.lines).toBe(3);
    expect(b.text()).toBe('a\nb\nc\n');
  });
  it('equals the lines joined, across chunk flushes and blocks', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string({ maxLength: 40_000 }), fc.array(fc.string(), { maxLength: 5 })), { maxLength: 60 }), (items) => {
        const b = new TextBuffer();
        const lines: string[] = [];
        for (const it of items) {
          if (typeof it === 'string') {
            b.line(it);
            lines.push(it);
          } else {
            b.add(block(it));
            lines.push(...it);
          }
        }
        expect(b.lines).toBe(lines.length);
        expect(b.text()).toBe(lines.length ? lines.join('\n') + '\n' : '');
        // chunksOf joined by joinLines is the same text, whatever else is joined around it.
        expect(joinLines(['A', ...b.chunksOf(), 'Z'])).toBe(['A', ...lines, 'Z'].join('\n') + '\n');
      }),
      { numRuns: 60 },
    );
  });
});

describe('joinLines', () => {
  it('ends every part with a newline', () => {
    expect(joinLines([])).toBe('');
    expect(joinLines([''])).toBe('\n');
    expect(joinLines(['a', '', 'b\nc'])).toBe('a\n\nb\nc\n');
  });
  it('leaves its argument alone', () => {
    const parts = ['a', 'b'];
    joinLines(parts);
    expect(parts).toEqual(['a', 'b']);
  });
});
