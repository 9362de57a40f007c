/**
 * Seeded PRNG (sfc32, seeded through splitmix32). Everything random in the engine — pod-name
 * suffixes, EndpointSlice names, `-m statistic` draws — comes from one of these, so the same
 * seed and inputs give the same cluster.
 */
export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Integer in [0, n). */
  int(n: number): number;
  /** A string of `length` characters drawn from `alphabet`. */
  string(length: number, alphabet: string): string;
}

function splitmix32(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x9e3779b9) >>> 0;
    let z = s;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

export function createRng(seed = 1): Rng {
  const init = splitmix32(seed);
  let a = init(), b = init(), c = init(), d = init();
  const next32 = (): number => {
    const t = (((a + b) >>> 0) + d) >>> 0;
    d = (d + 1) >>> 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) >>> 0;
    c = ((c << 21) | (c >>> 11)) >>> 0;
    c = (c + t) >>> 0;
    return t;
  };
  for (let i = 0; i < 12; i++) next32();
  const rng: Rng = {
    next: () => next32() / 4294967296,
    int: (n) => Math.floor(rng.next() * n),
    string: (length, alphabet) => {
      let out = '';
      for (let i = 0; i < length; i++) out += alphabet[rng.int(alphabet.length)];
      return out;
    },
  };
  return rng;
}

/** apimachinery util/rand: consonants and digits without vowels or look-alikes (no bad words). */
export const KUBE_ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

/** utilrand.String(n) as generateName and the ReplicaSet controller use it. */
export function kubeRandString(rng: Rng, n: number): string {
  return rng.string(n, KUBE_ALPHANUMS);
}
