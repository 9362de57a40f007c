import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256Ascii } from './sha256';

/** noble's digest as our 8 big-endian words. */
function nobleWords(text: string): number[] {
  const d = sha256(utf8ToBytes(text));
  return Array.from({ length: 8 }, (_, i) => (d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!);
}

function ours(text: string, b?: string): number[] | false {
  const out = new Int32Array(8);
  return sha256Ascii(text, out, b) ? Array.from(out) : false;
}

const ascii = fc.string({ unit: fc.integer({ min: 0, max: 127 }).map((c) => String.fromCharCode(c)), maxLength: 300 });

describe('sha256Ascii', () => {
  it('FIPS 180-4 examples', () => {
    const hex = (t: string) => (ours(t) as number[]).map((w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
    expect(hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe('248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1');
  });
  it('agrees with noble at every length around the block boundaries (55, 56, 63, 64, 119, 120 …)', () => {
    for (let n = 0; n <= 200; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7 + n) % 95))).join('');
      expect(ours(s)).toEqual(nobleWords(s));
    }
  });
  it('agrees with noble on random ASCII strings (control characters and NUL included)', () => {
    fc.assert(fc.property(ascii, (s) => {
      expect(ours(s)).toEqual(nobleWords(s));
    }), { numRuns: 2000 });
  });
  it('hashes a + b when given two parts, wherever the split falls', () => {
    fc.assert(
      fc.property(ascii, ascii, (a, b) => {
        expect(ours(a, b)).toEqual(nobleWords(a + b));
      }),
      { numRuns: 1000 },
    );
    for (let n = 0; n <= 130; n++) {
      const s = 'k'.repeat(n);
      for (const cut of [0, 1, 3, n >> 1, n - 1, n]) if (cut >= 0 && cut <= n) expect(ours(s.slice(0, cut), s.slice(cut))).toEqual(nobleWords(s));
    }
    expect(sha256Ascii('abc', new Int32Array(8), 'ü')).toBe(false);
  });
  it('refuses non-ASCII input and leaves the output alone', () => {
    const out = new Int32Array(8).fill(7);
    for (const s of ['ü', 'a\u0080', 'ns/日本:p', '\u{1F600}']) {
      expect(sha256Ascii(s, out)).toBe(false);
      expect(Array.from(out)).toEqual(new Array(8).fill(7));
    }
    fc.assert(fc.property(fc.string({ unit: 'grapheme', minLength: 1 }).filter((s) => /[^\x00-\x7f]/.test(s)), (s) => sha256Ascii(s, out) === false));
  });
  it('is not disturbed by an earlier call (the schedule is shared)', () => {
    const long = 'x'.repeat(1000);
    expect(ours(long)).toEqual(nobleWords(long));
    expect(ours('a')).toEqual(nobleWords('a'));
  });
});
