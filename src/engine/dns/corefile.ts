/**
 * The Corefile (caddyfile syntax): server blocks `ZONE[:PORT]... { directive args [{ … }] }`.
 * We read what changes answers: kubernetes, forward, cache, log, loadbalance, hosts; the rest
 * (errors, health, ready, prometheus, loop, reload) is kept as parsed and has no effect on
 * queries here (the emulation has no /health port to fail, no metrics, no loop to detect).
 */
import { fqdn } from './message';

export interface Directive {
  name: string;
  args: string[];
  block: Directive[];
  /** 1-based line of the directive, for messages. */
  line: number;
}

export interface ServerBlock {
  /** Zones served, normalised to FQDN lower case (`.`, `cluster.local.`). */
  zones: string[];
  port: number;
  directives: Directive[];
}

export class CorefileError extends Error {}

function tokenize(text: string): { tok: string; line: number }[] {
  const out: { tok: string; line: number }[] = [];
  const lines = text.split('\n');
  lines.forEach((raw, i) => {
    const line = raw.replace(/(^|\s)#.*$/, '');
    const re = /"((?:[^"\\]|\\.)*)"|([{}])|([^\s{}"]+)/g;
    let m: RegExpExecArray | null;
    while ((m = re.exec(line))) out.push({ tok: m[1] !== undefined ? m[1] : (m[2] ?? m[3]!), line: i + 1 });
    out.push({ tok: '\n', line: i + 1 });
  });
  return out;
}

/** Parse a Corefile; throws CorefileError (what `coredns` prints before it refuses to start). */
export function parseCorefile(text: string): ServerBlock[] {
  const toks = tokenize(text);
  let i = 0;
  const skipNewlines = () => { while (toks[i]?.tok === '\n') i++; };
  const parseBody = (): Directive[] => {
    const ds: Directive[] = [];
    for (;;) {
      skipNewlines();
      const t = toks[i];
      if (!t) throw new CorefileError('Unexpected EOF: missing }');
      if (t.tok === '}') { i++; return ds; }
      const d: Directive = { name: t.tok, args: [], block: [], line: t.line };
      i++;
      while (toks[i] && toks[i]!.tok !== '\n' && toks[i]!.tok !== '{' && toks[i]!.tok !== '}') d.args.push(toks[i++]!.tok);
      if (toks[i]?.tok === '{') { i++; d.block = parseBody(); }
      ds.push(d);
    }
  };
  const blocks: ServerBlock[] = [];
  for (;;) {
    skipNewlines();
    if (i >= toks.length) break;
    const keys: string[] = [];
    while (toks[i] && toks[i]!.tok !== '{') {
      if (toks[i]!.tok !== '\n') keys.push(...toks[i]!.tok.split(',').filter(Boolean));
      i++;
    }
    if (!toks[i]) throw new CorefileError(`Unexpected EOF: expected { after ${keys.join(' ')}`);
    i++;
    const directives = parseBody();
    let port = 53;
    const zones = keys.map((k) => {
      const key = k.replace(/^dns:\/\//, '');
      const m = /^(.*?)(?::(\d+))?$/.exec(key)!;
      if (m[2]) port = Number(m[2]);
      return fqdn((m[1] || '.').toLowerCase());
    });
    blocks.push({ zones, port, directives });
  }
  return blocks;
}

/** `kubernetes ZONES… { pods MODE; ttl N; fallthrough [ZONES…]; namespaces …; endpoint_pod_names; ignore empty_service }`. */
export interface KubernetesOptions {
  zones: string[];
  pods: 'disabled' | 'insecure' | 'verified';
  ttl: number;
  /** undefined: no fallthrough; []: every zone. */
  fallthrough?: string[];
  namespaces: string[];
  endpointPodNames: boolean;
  ignoreEmptyService: boolean;
  noEndpoints: boolean;
}

export function kubernetesOptions(d: Directive, blockZones: string[]): KubernetesOptions {
  const o: KubernetesOptions = {
    zones: d.args.length ? d.args.map((z) => fqdn(z.toLowerCase())) : blockZones,
    pods: 'disabled',
    ttl: 5,
    namespaces: [],
    endpointPodNames: false,
    ignoreEmptyService: false,
    noEndpoints: false,
  };
  // plugin/kubernetes/setup.go: defaultTTL is 5 when the block sets none; kubeadm sets 30.
  for (const s of d.block) {
    if (s.name === 'pods' && ['disabled', 'insecure', 'verified'].includes(s.args[0] ?? '')) o.pods = s.args[0] as KubernetesOptions['pods'];
    else if (s.name === 'ttl' && /^\d+$/.test(s.args[0] ?? '')) o.ttl = Math.min(3600, Number(s.args[0]));
    else if (s.name === 'fallthrough') o.fallthrough = s.args.map((z) => fqdn(z.toLowerCase()));
    else if (s.name === 'namespaces') o.namespaces = s.args;
    else if (s.name === 'endpoint_pod_names') o.endpointPodNames = true;
    else if (s.name === 'ignore' && s.args[0] === 'empty_service') o.ignoreEmptyService = true;
    else if (s.name === 'noendpoints') o.noEndpoints = true;
  }
  return o;
}

/** `cache [TTL] [ZONES…] { success CAP [TTL]; denial CAP [TTL]; disable success|denial [ZONES…] }`. */
export interface CacheOptions {
  successTTL: number;
  denialTTL: number;
  zones: string[];
  disableSuccess?: string[];
  disableDenial?: string[];
}

export function cacheOptions(d: Directive, blockZones: string[]): CacheOptions {
  let successTTL = 3600, denialTTL = 1800;
  let args = d.args;
  if (args[0] && /^\d+$/.test(args[0])) {
    successTTL = denialTTL = Number(args[0]);
    args = args.slice(1);
  }
  const o: CacheOptions = { successTTL, denialTTL, zones: args.length ? args.map((z) => fqdn(z.toLowerCase())) : blockZones };
  for (const s of d.block) {
    if (s.name === 'success' && s.args[1]) o.successTTL = Number(s.args[1]);
    if (s.name === 'denial' && s.args[1]) o.denialTTL = Number(s.args[1]);
    if (s.name === 'disable' && s.args[0] === 'success') o.disableSuccess = s.args.slice(1).map((z) => fqdn(z.toLowerCase()));
    if (s.name === 'disable' && s.args[0] === 'denial') o.disableDenial = s.args.slice(1).map((z) => fqdn(z.toLowerCase()));
  }
  return o;
}

/** `log [NAMES…] [FORMAT] { class success|denial|error|all }`. */
export interface LogOptions {
  names: string[];
  format?: string;
  classes: Set<'success' | 'denial' | 'error' | 'all'>;
}

export function logOptions(d: Directive): LogOptions {
  const names: string[] = [];
  let format: string | undefined;
  for (const a of d.args) {
    if (a.includes('{')) format = a;
    else if (a === 'stdout') continue;
    else names.push(fqdn(a.toLowerCase()));
  }
  const classes = new Set<'success' | 'denial' | 'error' | 'all'>();
  for (const s of d.block) if (s.name === 'class') for (const c of s.args) if (['success', 'denial', 'error', 'all'].includes(c)) classes.add(c as 'all');
  if (classes.size === 0) classes.add('all');
  return { names: names.length ? names : ['.'], ...(format !== undefined ? { format } : {}), classes };
}

/** `hosts [FILE] [ZONES…] { IP NAME…; ttl N; fallthrough [ZONES…] }` (inline entries only: no files in the emulation but /etc/hosts, which is empty of names here). */
export interface HostsOptions {
  zones: string[];
  entries: { ip: string; names: string[] }[];
  ttl: number;
  fallthrough?: string[];
}

export function hostsOptions(d: Directive, blockZones: string[]): HostsOptions {
  const zones = d.args.slice(1).map((z) => fqdn(z.toLowerCase()));
  const o: HostsOptions = { zones: zones.length ? zones : blockZones, entries: [], ttl: 3600 };
  for (const s of d.block) {
    if (s.name === 'ttl') o.ttl = Number(s.args[0] ?? 3600);
    else if (s.name === 'fallthrough') o.fallthrough = s.args.map((z) => fqdn(z.toLowerCase()));
    else if (/^[\d.]+$|:/.test(s.name)) o.entries.push({ ip: s.name, names: s.args.map((n) => fqdn(n.toLowerCase())) });
  }
  return o;
}
