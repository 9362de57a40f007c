/**
 * kube-proxy's chain-name hashes (pkg/proxy/iptables/proxier.go portProtoHash and
 * servicePortEndpointChainName): the first 16 characters of RFC 4648 base32 (standard
 * alphabet) of sha256(servicePortName + protocol [+ endpoint]). 16 base32 characters are
 * exactly the first 80 bits = 10 bytes of the digest, so we only encode those.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { sha256Ascii } from './sha256';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/** RFC 4648 §6 base32 with padding, like Go's base32.StdEncoding.EncodeToString. */
export function base32(bytes: Uint8Array): string {
  let out = '';
  let buffer = 0;
  let bits = 0;
  for (const b of bytes) {
    buffer = (buffer << 8) | b;
    bits += 8;
    while (bits >= 5) {
      out += ALPHABET[(buffer >>> (bits - 5)) & 31];
      bits -= 5;
    }
    buffer &= (1 << bits) - 1;
  }
  if (bits > 0) out += ALPHABET[(buffer << (5 - bits)) & 31];
  while (out.length % 8 !== 0) out += '=';
  return out;
}

// Chain names are hashed ~100,000 times in a full sync of a big cluster: the digest goes
// into one reused array of words (sha256.ts says why not noble's, except for non-ASCII).
const words = new Int32Array(8);

/** sha256(text + suffix). */
function digestWords(text: string, suffix: string): Int32Array {
  if (!sha256Ascii(text, words, suffix)) {
    const d = sha256(utf8ToBytes(text + suffix));
    for (let i = 0; i < 8; i++) words[i] = (d[4 * i]! << 24) | (d[4 * i + 1]! << 16) | (d[4 * i + 2]! << 8) | d[4 * i + 3]!;
  }
  return words;
}

const ALPHABET_CODES = Uint8Array.from(ALPHABET, (c) => c.charCodeAt(0));
/** Character-code buffers by length, reused (a name is built in one of them, then copied out
 *  once). Plain arrays: fromCharCode.apply reads them about twice as fast as a Uint16Array. */
const codeBuffers: number[][] = [];

/**
 * `prefix` and the first `count` base32 characters of sha256(text + suffix) as one flat string (no
 * rope of appends; no padding is ever involved: 5 bits a character, ≤ 80 bits).
 */
function hashChars(prefix: string, text: string, count: number, suffix = ''): string {
  const w = digestWords(text, suffix);
  const n = prefix.length;
  const codes = (codeBuffers[n + count] ??= new Array<number>(n + count).fill(0));
  for (let k = 0; k < n; k++) codes[k] = prefix.charCodeAt(k);
  for (let k = 0; k < count; k++) {
    // The 5 bits at bit p of the digest, which may straddle two words.
    const p = k * 5;
    const i = p >>> 5;
    const off = p & 31;
    const v = off <= 27 ? w[i]! >>> (27 - off) : (w[i]! << (off - 27)) | (w[i + 1]! >>> (59 - off));
    codes[n + k] = ALPHABET_CODES[v & 31]!;
  }
  return String.fromCharCode.apply(null, codes);
}

/** First 16 base32 chars of the digest (= the first 10 bytes). */
function hash16(text: string): string {
  return hashChars('', text, 16);
}

/** First 8 base32 chars of sha256(text) (nftables' hashAndTruncate). */
export function hash8(text: string): string {
  return hashChars('', text, 8);
}

/** portProtoHash(servicePortName, protocol): protocol is lower case ("tcp"). */
export function portProtoHash(servicePortName: string, protocol: string): string {
  return hash16(servicePortName + protocol);
}

/**
 * portProtoHash memoised engine-wide, for the same reason as KUBE-SEP- names below: every
 * node's kube-proxy names the same service port identically. Dropped with that memo.
 */
const portMemo = new Map<string, string>();

export function portProtoHashMemo(servicePortName: string, protocol: string): string {
  const key = servicePortName + protocol;
  let h = portMemo.get(key);
  if (h === undefined) {
    if (portMemo.size >= SEP_MEMO_LIMIT) portMemo.clear();
    h = hash16(key);
    portMemo.set(key, h);
  }
  return h;
}

export const SVC_PREFIX = 'KUBE-SVC-';
export const SVL_PREFIX = 'KUBE-SVL-';
export const FW_PREFIX = 'KUBE-FW-';
export const EXT_PREFIX = 'KUBE-EXT-';
export const SEP_PREFIX = 'KUBE-SEP-';

export const servicePortPolicyClusterChain = (spn: string, proto: string): string => SVC_PREFIX + portProtoHash(spn, proto);
export const servicePortPolicyLocalChainName = (spn: string, proto: string): string => SVL_PREFIX + portProtoHash(spn, proto);
export const serviceFirewallChainName = (spn: string, proto: string): string => FW_PREFIX + portProtoHash(spn, proto);
export const serviceExternalChainName = (spn: string, proto: string): string => EXT_PREFIX + portProtoHash(spn, proto);
/**
 * KUBE-SEP- names, memoised for the whole engine: every node's kube-proxy (and every
 * restart of one, e.g. a mode switch) names the same endpoint of the same service port
 * identically, and at 10,000 Services × 10 endpoints the sha256s dominate a full sync.
 * Bounded: the memo is dropped when it grows past SEP_MEMO_LIMIT entries.
 */
// Two levels (port, then endpoint) so the lookup hashes strings the caller already hashed
// (the endpoint is a Map key there too) instead of a fresh concatenation per endpoint.
const sepMemo = new Map<string, Map<string, string>>();
let sepMemoSize = 0;
const SEP_MEMO_LIMIT = 500_000;

/** KUBE-SEP- + hash of servicePortName + protocol + "ip:port". */
export function servicePortEndpointChainName(spn: string, proto: string, endpoint: string): string {
  return endpointChainNamer(spn, proto)(endpoint);
}

/**
 * servicePortEndpointChainName for one service port: looks the port up once, for callers
 * naming all of its endpoints.
 */
export function endpointChainNamer(spn: string, proto: string): (endpoint: string) => string {
  const portKey = spn + proto;
  let byEndpoint = sepMemo.get(portKey);
  if (byEndpoint === undefined) {
    if (sepMemoSize >= SEP_MEMO_LIMIT) clearChainNameMemo();
    sepMemo.set(portKey, (byEndpoint = new Map()));
  }
  const memo = byEndpoint;
  return (endpoint: string): string => {
    let name = memo.get(endpoint);
    if (name === undefined) {
      // The memo may have been dropped since; this port's map then lives on alone.
      name = hashChars(SEP_PREFIX, portKey, 16, endpoint);
      memo.set(endpoint, name);
      sepMemoSize++;
    }
    return name;
  };
}

/** Forget memoised chain names (benchmarks measure the cold path with it). */
export function clearChainNameMemo(): void {
  sepMemo.clear();
  sepMemoSize = 0;
  portMemo.clear();
}

/** isServiceChainName: the chains kube-proxy considers its own per-service chains. */
export function isServiceChainName(chain: string): boolean {
  return (
    chain.startsWith(SVC_PREFIX) || chain.startsWith(SVL_PREFIX) || chain.startsWith(SEP_PREFIX) ||
    chain.startsWith(FW_PREFIX) || chain.startsWith(EXT_PREFIX)
  );
}
