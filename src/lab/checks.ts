/**
 * Lab checks (DESIGN.md §4): each task is graded on the cluster's state, never on what the
 * learner typed. Checks run after every command, so they change nothing: connections and DNS
 * lookups go through the engine's `probe`/`probeResolver` (no counters, conntrack, logs,
 * PRNG draws or Traces), and objects, rules and virtual servers are only read.
 *
 * Every result carries one line saying what was found against what was expected, for the
 * task list and for `clusterpath lab verify`.
 */
import {
  bindLookup, bindSearchNames, getaddrinfo, iptablesSaveCommand, imageTool, listRuleset,
  type Cluster, type ConnectFrom, type DnsMessage, type Payload, type Pod, type RRType,
} from '../engine';
import { jsonPath } from '../shell';
import type { LabCheck, LabData } from './schema';

export interface CheckEnv {
  cluster: Cluster;
  /** The learner's files (the workstation's file system); `~/x.yaml` is expanded before the call. */
  readFile(path: string): Promise<string | undefined>;
}

/** One check: `summary` is one line, what was found vs what was expected. */
export interface CheckResult {
  ok: boolean;
  summary: string;
}

export interface TaskResult {
  id: string;
  /** Every check holds. */
  done: boolean;
  checks: CheckResult[];
}

type Task = LabData['tasks'][number];

/** The workstation user's home, where `~` points (src/shell/session.ts). */
const HOME = '/home/user';

export async function evaluateTasks(env: CheckEnv, tasks: readonly Task[]): Promise<TaskResult[]> {
  const out: TaskResult[] = [];
  for (const t of tasks) {
    const checks: CheckResult[] = [];
    for (const c of t.checks) checks.push(await evaluateCheck(env, c));
    out.push({ id: t.id, done: checks.every((c) => c.ok), checks });
  }
  return out;
}

/** One check. Never throws: a check that cannot run is a failed check that says why. */
export async function evaluateCheck(env: CheckEnv, c: LabCheck): Promise<CheckResult> {
  try {
    switch (c.type) {
      case 'object':
        return objectCheck(env.cluster, c);
      case 'reach':
        return reachCheck(env.cluster, c);
      case 'dns':
        return dnsCheck(env.cluster, c);
      case 'rule':
        return ruleCheck(env.cluster, c);
      case 'ipvs':
        return ipvsCheck(env.cluster, c);
      case 'file':
        return await fileCheck(env, c);
    }
  } catch (e) {
    return { ok: false, summary: `check could not run: ${(e as Error)?.message ?? String(e)}` };
  }
}

const quote = (s: string): string => JSON.stringify(s);
/** A found value in a one-line summary: quoted, and cut when long (a whole config file). */
const shown = (s: string): string => (s.length > 80 ? `${quote(s.slice(0, 77))}…` : quote(s));

// ---------- object ----------

function objectCheck(cluster: Cluster, c: Extract<LabCheck, { type: 'object' }>): CheckResult {
  const [kind, name] = c.resource.split('/') as [string, string];
  const got = cluster.get(kind, c.namespace, name);
  const where = `${c.resource}${c.namespace !== 'default' ? ` -n ${c.namespace}` : ''}`;
  if (c.exists !== undefined) {
    const exists = got.ok;
    return { ok: exists === c.exists, summary: `${where} ${exists ? 'exists' : 'does not exist'}; expected it ${c.exists ? 'to exist' : 'gone'}` };
  }
  if (!got.ok) return { ok: false, summary: `${where}: ${got.error.message}` };
  const value = jsonPath(c.jsonpath, got.value);
  if (c.equals !== undefined) {
    return { ok: value === c.equals, summary: `${where} ${c.jsonpath} is ${shown(value)}; expected ${quote(c.equals)}` };
  }
  const re = new RegExp(c.matches!);
  return { ok: re.test(value), summary: `${where} ${c.jsonpath} is ${shown(value)}; expected it to match /${c.matches}/` };
}

// ---------- reach ----------

interface Target {
  host: string;
  port: number;
  /** HTTP path when `to` is a URL. */
  path?: string;
}

/** `http://web`, `http://web.ns:8080/x`, `10.96.0.10:53`, `web:80`. */
export function parseTarget(to: string): Target | string {
  const url = /^(https?):\/\/([^/:?#]+)(?::(\d+))?([^?#]*)/.exec(to);
  if (url) {
    const port = url[3] ? Number(url[3]) : url[1] === 'https' ? 443 : 80;
    return { host: url[2]!, port, path: url[4] || '/' };
  }
  const hp = /^([^/:]+):(\d+)$/.exec(to);
  if (hp) return { host: hp[1]!, port: Number(hp[2]) };
  return `cannot read ${quote(to)}: expected a URL (http://web) or HOST:PORT`;
}

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

function podOf(cluster: Cluster, namespace: string, name: string): Pod | string {
  const got = cluster.get<Pod>('Pod', namespace, name);
  return got.ok ? got.value : got.error.message;
}

function reachCheck(cluster: Cluster, c: Extract<LabCheck, { type: 'reach' }>): CheckResult {
  const expected = `expected ${c.expect}`;
  const target = parseTarget(c.to);
  if (typeof target === 'string') return { ok: false, summary: target };
  const pod = podOf(cluster, c.namespace, c.from);
  if (typeof pod === 'string') return { ok: false, summary: `${c.from}: ${pod}` };
  const from: ConnectFrom = { pod: { namespace: c.namespace, name: c.from } };
  const head = `${c.from} → ${c.to}`;
  let ip = target.host;
  if (!IPV4.test(ip)) {
    // Through the pod's own resolver (its resolv.conf, its libc's search walk), as curl would.
    const libc = imageTool(pod.spec.containers[0]?.image ?? '').libc;
    const r = getaddrinfo(target.host, libc, cluster.probeResolver(from), ['A', 'AAAA']);
    const v4 = r.addresses.filter((a) => IPV4.test(a));
    if (v4.length === 0) {
      const why = r.status === 'timeout' ? 'no DNS answer (timed out)' : r.status === 'found' ? 'no IPv4 address' : r.status.toUpperCase();
      return { ok: c.expect === 'denied', summary: `${head}: cannot resolve ${target.host}: ${why}; ${expected}` };
    }
    ip = v4[0]!;
  }
  const payload: Payload | undefined = target.path !== undefined
    ? { kind: 'http', method: 'GET', path: target.path, host: target.host, headers: [['Host', target.host], ['Accept', '*/*']] }
    : undefined;
  const r = cluster.probe({ from, to: { ip, port: target.port, protocol: 'TCP', host: target.host }, ...(payload ? { payload } : {}) });
  const allowed = r.outcome === 'connected';
  const http = r.response?.kind === 'http' ? `, HTTP ${r.response.status}` : '';
  return { ok: allowed === (c.expect === 'allowed'), summary: `${head}: ${r.outcome}: ${r.trace.summary}${http}; ${expected}` };
}

// ---------- dns ----------

/** An answer's data as dig prints it, without the trailing dot. */
function rdataText(rr: DnsMessage['answer'][number]): string {
  const d = rr.data;
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'CNAME':
    case 'PTR':
    case 'NS':
      return d.target.replace(/\.$/, '');
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target.replace(/\.$/, '')}`;
    default:
      return '';
  }
}

const norm = (s: string): string => s.trim().toLowerCase().replace(/\.$/, '');

function dnsCheck(cluster: Cluster, c: Extract<LabCheck, { type: 'dns' }>): CheckResult {
  const pod = podOf(cluster, c.namespace, c.from);
  if (typeof pod === 'string') return { ok: false, summary: `${c.from}: ${pod}` };
  const env = cluster.probeResolver({ pod: { namespace: c.namespace, name: c.from } });
  // BIND's search walk (as `host` and `dig +search` do): moves on only on NXDOMAIN.
  const r = bindLookup(bindSearchNames(c.name, env.conf), c.record as RRType, env, { tries: 1 });
  const head = `${c.from}: ${c.record} ${c.name}`;
  const expected = c.expect === 'NXDOMAIN' ? 'NXDOMAIN' : c.expect.join(', ');
  if (!r.response) return { ok: false, summary: `${head}: no answer (timed out); expected ${expected}` };
  const rcode = r.response.rcode;
  const answers = r.response.answer.filter((a) => a.data.type === c.record).map(rdataText);
  const found = rcode !== 'NOERROR' ? rcode : answers.length ? answers.join(', ') : 'no records (NODATA)';
  if (c.expect === 'NXDOMAIN') return { ok: rcode === 'NXDOMAIN', summary: `${head}: ${found}; expected NXDOMAIN` };
  const want = [...new Set(c.expect.map(norm))].sort();
  const got = [...new Set(answers.map(norm))].sort();
  const ok = rcode === 'NOERROR' && want.length === got.length && want.every((w, i) => w === got[i]);
  return { ok, summary: `${head}: ${found}; expected ${expected}` };
}

// ---------- rule ----------

function ruleCheck(cluster: Cluster, c: Extract<LabCheck, { type: 'rule' }>): CheckResult {
  const host = cluster.node(c.node);
  if (!host.ok) return { ok: false, summary: `${c.node}: ${host.error.message}` };
  let lines: string[];
  let head: string;
  if (c.tool === 'nft') {
    // nft indents by nesting (tables, chains, set elements); a pattern should not have to.
    lines = listRuleset(host.value.nft, { now: cluster.now() }).split('\n').map((l) => l.trim());
    head = `${c.node} nft list ruleset`;
  } else {
    const table = c.table ?? 'nat';
    lines = iptablesSaveCommand(host.value.netfilter, ['-t', table, ...(c.counters ? ['-c'] : [])], cluster.now()).stdout.split('\n');
    head = `${c.node} iptables-save${c.counters ? ' -c' : ''} -t ${table}`;
  }
  const re = new RegExp(c.matches);
  const hit = lines.find((l) => re.test(l));
  if (c.present) return { ok: !!hit, summary: hit ? `${head}: ${hit}` : `${head}: no line matches /${c.matches}/` };
  return { ok: !hit, summary: hit ? `${head}: ${hit}; expected no line to match` : `${head}: no line matches /${c.matches}/, as expected` };
}

// ---------- ipvs ----------

function ipvsCheck(cluster: Cluster, c: Extract<LabCheck, { type: 'ipvs' }>): CheckResult {
  const host = cluster.node(c.node);
  if (!host.ok) return { ok: false, summary: `${c.node}: ${host.error.message}` };
  const [ip, port] = c.service.split(':') as [string, string];
  const svc = host.value.ipvs.getService(c.protocol, ip, Number(port));
  const head = `${c.node} ipvsadm: ${c.protocol} ${c.service}`;
  const want = [c.scheduler !== undefined ? `scheduler ${c.scheduler}` : '', c.realServers !== undefined ? `${c.realServers} real server(s)` : ''].filter(Boolean).join(', ');
  if (!svc) return { ok: false, summary: `${head}: no such virtual server; expected one${want ? ` with ${want}` : ''}` };
  const ok = (c.scheduler === undefined || svc.scheduler === c.scheduler) && (c.realServers === undefined || svc.dests.length === c.realServers);
  return { ok, summary: `${head}: scheduler ${svc.scheduler}, ${svc.dests.length} real server(s)${want ? `; expected ${want}` : ''}` };
}

// ---------- file ----------

async function fileCheck(env: CheckEnv, c: Extract<LabCheck, { type: 'file' }>): Promise<CheckResult> {
  const path = c.path === '~' ? HOME : c.path.startsWith('~/') ? HOME + c.path.slice(1) : c.path;
  const text = await env.readFile(path);
  if (text === undefined) return { ok: false, summary: `${c.path}: no such file` };
  if (c.equals !== undefined) {
    // `echo 2 > f` and an editor's final newline must not matter: compare without surrounding blanks.
    const ok = text.trim() === c.equals.trim();
    return { ok, summary: `${c.path}: ${ok ? 'content as expected' : `content differs from the expected ${c.equals.length} characters`}` };
  }
  if (c.contains !== undefined) {
    const ok = text.includes(c.contains);
    return { ok, summary: `${c.path}: ${ok ? 'contains' : 'does not contain'} ${quote(c.contains)}` };
  }
  return { ok: true, summary: `${c.path} exists` };
}
