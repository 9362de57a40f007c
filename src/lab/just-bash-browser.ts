/**
 * just-bash for the lab worker's bundle (aliased from `just-bash` by labWorkerBrowser in astro.config.mjs).
 * Its browser build (`just-bash/browser`) leaves out a few helpers the Node build exports;
 * src/shell/session.ts uses one of them, `decodeBytesToUtf8`, so it is re-created here with
 * the same behaviour as just-bash's (dist/encoding.d.ts): a "byte string" holds one byte per
 * char; decode it as UTF-8, or give it back unchanged when it is not valid UTF-8.
 */
export * from 'just-bash/browser';

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decodeBytesToUtf8(bytes: unknown): string {
  const s = bytes as string;
  if (!s) return s;
  let high = false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 255) return s; // already text
    if (c > 127) high = true;
  }
  if (!high) return s;
  const buf = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) buf[i] = s.charCodeAt(i);
  try {
    return utf8.decode(buf);
  } catch {
    return s;
  }
}
