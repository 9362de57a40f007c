/**
 * SHA-256 (FIPS 180-4) of an ASCII string, written into an Int32Array of 8 big-endian state
 * words without allocating anything.
 *
 * Why not only @noble/hashes: kube-proxy's chain names hash ~100,000 short strings in one
 * full sync of a big cluster. For inputs this short noble's fixed cost per call (cloning
 * the hash object, copying the bytes into its buffer, a DataView per digest, the digest
 * bytes) outweighs the compression itself, and every one of those objects is garbage the
 * young generation must sweep. Here the message bytes are read straight from the string's
 * character codes. Non-ASCII input returns false and the caller uses noble; the tests
 * check both against noble on random inputs.
 */

/** Round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const K = Int32Array.from([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
]);

/** The message schedule, reused by every call. */
const W = new Int32Array(64);

/** Byte `p` of the message head + tail padded as SHA-256 pads it (0x80, then zeros; the length is added apart). */
function paddedByte(head: string, tail: string, p: number): number {
  const na = head.length;
  if (p < na) return head.charCodeAt(p);
  const q = p - na;
  return q < tail.length ? tail.charCodeAt(q) : q === tail.length ? 0x80 : 0;
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 127) return false;
  return true;
}

/**
 * sha256(head + tail) into `out` (8 words, big-endian as the digest's bytes read in fours), when
 * every character is ASCII (one UTF-8 byte each). Returns false, `out` untouched,
 * otherwise. The message comes in two parts so that callers hashing a prefix and a
 * suffix need not build (and flatten) their concatenation.
 */
export function sha256Ascii(head: string, out: Int32Array, tail = ''): boolean {
  if (!isAscii(head) || !isAscii(tail)) return false;
  const na = head.length;
  const n = na + tail.length;
  let h0 = 0x6a09e667 | 0;
  let h1 = 0xbb67ae85 | 0;
  let h2 = 0x3c6ef372 | 0;
  let h3 = 0xa54ff53a | 0;
  let h4 = 0x510e527f | 0;
  let h5 = 0x9b05688c | 0;
  let h6 = 0x1f83d9ab | 0;
  let h7 = 0x5be0cd19 | 0;
  // The message, a 0x80 byte and the 8-byte bit length, rounded up to 64-byte blocks.
  const blocks = ((n + 8) >>> 6) + 1;
  for (let blk = 0; blk < blocks; blk++) {
    const base = blk << 6;
    for (let i = 0; i < 16; i++) {
      const p = base + (i << 2);
      const q = p - na;
      W[i] =
        p + 3 < na
          ? (head.charCodeAt(p) << 24) | (head.charCodeAt(p + 1) << 16) | (head.charCodeAt(p + 2) << 8) | head.charCodeAt(p + 3)
          : q >= 0 && q + 3 < tail.length
            ? (tail.charCodeAt(q) << 24) | (tail.charCodeAt(q + 1) << 16) | (tail.charCodeAt(q + 2) << 8) | tail.charCodeAt(q + 3)
            : (paddedByte(head, tail, p) << 24) | (paddedByte(head, tail, p + 1) << 16) | (paddedByte(head, tail, p + 2) << 8) | paddedByte(head, tail, p + 3);
    }
    if (blk === blocks - 1) {
      // The length in bits, big-endian, in the last 8 bytes (only zero padding was there).
      W[14] = Math.floor(n / 0x20000000);
      W[15] = (n << 3) | 0;
    }
    for (let i = 16; i < 64; i++) {
      const x = W[i - 15]!;
      const y = W[i - 2]!;
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      W[i] = (W[i - 16]! + s0 + W[i - 7]! + s1) | 0;
    }
    let a = h0;
    let b = h1;
    let c = h2;
    let d = h3;
    let e = h4;
    let f = h5;
    let g = h6;
    let h = h7;
    for (let i = 0; i < 64; i++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (h + S1 + ch + K[i]! + W[i]!) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + S0 + maj) | 0;
    }
    h0 = (h0 + a) | 0;
    h1 = (h1 + b) | 0;
    h2 = (h2 + c) | 0;
    h3 = (h3 + d) | 0;
    h4 = (h4 + e) | 0;
    h5 = (h5 + f) | 0;
    h6 = (h6 + g) | 0;
    h7 = (h7 + h) | 0;
  }
  out[0] = h0;
  out[1] = h1;
  out[2] = h2;
  out[3] = h3;
  out[4] = h4;
  out[5] = h5;
  out[6] = h6;
  out[7] = h7;
  return true;
}
