/**
 * Share links: a lab save, as JSON, deflate-compressed (CompressionStream 'deflate-raw') and
 * base64url-encoded (RFC 4648 §5, no padding) into the URL fragment as `#s=…`. The fragment
 * never reaches a server; the page decodes it and checks it with parseSave like any save.
 */

export const SHARE_PARAM = 's';

/** Longest fragment we read (a hostile link must not make the page inflate gigabytes). */
const MAX_ENCODED = 2 * 1024 * 1024;
const MAX_JSON = 8 * 1024 * 1024;

export async function encodeShare(value: unknown): Promise<string> {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  const packed = await pipe(bytes, new CompressionStream('deflate-raw'), Infinity);
  return toBase64Url(packed);
}

/** The value in a share payload; throws with a plain message when it is not one. */
export async function decodeShare(encoded: string): Promise<unknown> {
  if (encoded.length > MAX_ENCODED) throw new Error('the link is too long');
  if (!/^[A-Za-z0-9_-]*$/.test(encoded)) throw new Error('the link holds characters a share link never has');
  const bytes = fromBase64Url(encoded);
  let json: Uint8Array;
  try {
    json = await pipe(bytes, new DecompressionStream('deflate-raw'), MAX_JSON);
  } catch {
    throw new Error('the link is cut short or damaged');
  }
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(json));
  } catch {
    throw new Error('the link does not hold a lab session');
  }
}

/** `#s=PAYLOAD` → PAYLOAD, or undefined when the fragment is something else. */
export function sharePayload(hash: string): string | undefined {
  const h = hash.startsWith('#') ? hash.slice(1) : hash;
  const prefix = `${SHARE_PARAM}=`;
  return h.startsWith(prefix) ? h.slice(prefix.length) : undefined;
}

async function pipe(input: Uint8Array, stream: CompressionStream | DecompressionStream, limit: number): Promise<Uint8Array> {
  const writer = stream.writable.getWriter();
  // Errors surface on the reading side; the write's own rejection is the same error.
  writer.write(input as Uint8Array<ArrayBuffer>).catch(() => undefined);
  writer.close().catch(() => undefined);
  const reader = stream.readable.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.length;
    if (size > limit) {
      await reader.cancel();
      throw new Error('too large');
    }
    chunks.push(value);
  }
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

export function toBase64Url(bytes: Uint8Array): string {
  let bin = '';
  for (let i = 0; i < bytes.length; i += 0x8000) bin += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function fromBase64Url(s: string): Uint8Array {
  const b64 = s.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (s.length % 4)) % 4);
  let bin: string;
  try {
    bin = atob(b64);
  } catch {
    throw new Error('the link is not valid base64url');
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
