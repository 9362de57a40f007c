import { inflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { decodeShare, encodeShare, fromBase64Url, sharePayload, toBase64Url } from './share';

const save = {
  v: 1,
  slug: 'kube-proxy-first-look',
  seed: 1,
  start: 1_764_262_800_000,
  events: [{ at: 1_764_262_805_000, kind: 'line', line: `kubectl patch service web -p '{"spec":{"selector":{"app":"web"}}}'` }],
  history: ['kubectl get pods'],
  hints: 1,
  solution: false,
};

describe('share links', () => {
  it('round-trips a save through deflate-raw and base64url', async () => {
    const encoded = await encodeShare(save);
    expect(encoded).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(await decodeShare(encoded)).toEqual(save);
  });

  it('is raw DEFLATE (RFC 1951) that zlib inflates, in RFC 4648 base64url', async () => {
    const encoded = await encodeShare(save);
    const json = inflateRawSync(Buffer.from(encoded, 'base64url')).toString('utf8');
    expect(JSON.parse(json)).toEqual(save);
  });

  it('base64url has no padding and uses - and _', () => {
    // RFC 4648 §10 test vectors, in the URL alphabet and unpadded.
    const enc = (s: string) => toBase64Url(new TextEncoder().encode(s));
    expect(['', 'f', 'fo', 'foo', 'foob', 'fooba', 'foobar'].map(enc)).toEqual(['', 'Zg', 'Zm8', 'Zm9v', 'Zm9vYg', 'Zm9vYmE', 'Zm9vYmFy']);
    expect(toBase64Url(new Uint8Array([0xfb, 0xff]))).toBe('-_8');
    expect([...fromBase64Url('-_8')]).toEqual([0xfb, 0xff]);
  });

  it('refuses damaged links with a plain message', async () => {
    const encoded = await encodeShare(save);
    await expect(decodeShare(encoded.slice(0, encoded.length / 2))).rejects.toThrow(/cut short or damaged|does not hold/);
    await expect(decodeShare('abc$%')).rejects.toThrow(/characters/);
    await expect(decodeShare(toBase64Url(new TextEncoder().encode('plain text')))).rejects.toThrow(/cut short or damaged|does not hold/);
  });

  it('finds the payload in #s=…', () => {
    expect(sharePayload('#s=abc')).toBe('abc');
    expect(sharePayload('#task-1')).toBeUndefined();
    expect(sharePayload('')).toBeUndefined();
  });
});
