/**
 * kube-proxy's chain-name hashes (pkg/proxy/iptables/proxier.go portProtoHash and
 * servicePortEndpointChainName): the first 16 characters of RFC 4648 base32 (standard
 * alphabet) of sha256(servicePortName + protocol [+ endpoint]). 16 base32 characters are
 * exactly the first 80 bits = 10 bytes of the digest, so we only encode those.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

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

// Chain names are hashed ~100,000 times in a full sync of a big cluster. One noble hash
// object per call costs more than the hashing (a DataView and buffers each time), so we
// reset a single working instance from a pristine one and digest into its own buffer.
const pristine = sha256.create();
const work = sha256.create();
const scratch = new Uint8Array(1024);
const out = new Uint8Array(32);

function digest(text: string): Uint8Array {
  let bytes: Uint8Array | undefined;
  if (text.length <= scratch.length) {
    let ascii = true;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c > 127) {
        ascii = false;
        break;
      }
      scratch[i] = c;
    }
    if (ascii) bytes = scratch.subarray(0, text.length);
  }
  bytes ??= utf8ToBytes(text);
  pristine._cloneInto(work);
  work.update(bytes);
  work.digestInto(out);
  return out;
}

/** First 16 base32 chars of the digest (= the first 10 bytes, no padding involved). */
function hash16(text: string): string {
  const d = digest(text);
  let out = '';
  // 10 bytes → 16 characters, in two 5-byte groups of 8 characters each.
  for (let g = 0; g < 10; g += 5) {
    // 40 bits do not fit a 32-bit int: split as 8 + 32.
    const hi = d[g]!;
    const lo = ((d[g + 1]! << 24) | (d[g + 2]! << 16) | (d[g + 3]! << 8) | d[g + 4]!) >>> 0;
    out += ALPHABET[hi >>> 3];
    out += ALPHABET[((hi & 7) << 2) | (lo >>> 30)];
    for (let shift = 25; shift >= 0; shift -= 5) out += ALPHABET[(lo >>> shift) & 31];
  }
  return out;
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
      name = SEP_PREFIX + hash16(portKey + endpoint);
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
