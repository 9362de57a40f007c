/**
 * curl 8 (curl/curl src/tool_*, lib/connect.c, lib/multi.c): the URL's host resolved by the
 * image's libc through the data path, one TCP connection through the data path, one HTTP/1.1
 * request. Exit codes and messages as curl 8 writes them:
 *   (6)  curl: (6) Could not resolve host: web
 *   (7)  curl: (7) Failed to connect to web port 80 after 2 ms: Couldn't connect to server
 *   (28) curl: (28) Connection timed out after 2002 milliseconds        (-m / --connect-timeout)
 *        curl: (28) Resolving timed out after 2002 milliseconds
 *   (22) curl: (22) The requested URL returned error: 404                (-f)
 * -v prints curl 8.10+'s connection lines (`* Host web:80 was resolved.`, `*   Trying …`).
 * Waiting is simulated: a timeout moves the engine clock (CLI) or really waits (browser).
 * Not modelled: TLS (https:// connects, then fails the handshake), redirects (-L is accepted
 * and ignored), the progress meter (shown by real curl only when output is not a terminal).
 */
import type { CommandModule, CommandContext, CommandResult } from '../../types';
import { fromPlace, isIPv4, resolveName } from '../../net';

const VERSION = '8.14.1';
const TRY = "curl: try 'curl --help' or 'curl --manual' for more information\n";

const HELP = `Usage: curl [options...] <url>
 -d, --data <data>           HTTP POST data
 -f, --fail                  Fail fast with no output on HTTP errors
 -h, --help <subject>        Get help for commands
 -H, --header <header/@file> Pass custom header(s) to server
 -I, --head                  Show document info only
 -i, --include               Include response headers in output
 -m, --max-time <seconds>    Maximum time allowed for transfer
     --connect-timeout <s>   Maximum time allowed for connection
 -o, --output <file>         Write to file instead of stdout
     --resolve <[+]host:port:addr[,addr]...> Resolve host+port to address
 -s, --silent                Silent mode
 -S, --show-error            Show error even when -s is used
 -v, --verbose               Make the operation more talkative
 -w, --write-out <format>    Output FORMAT after completion
 -X, --request <method>      Specify request method to use

This is not the full help; this menu is split into categories.
Use "--help category" to get an overview of all categories.
For all options use the manual or "--help all".
`;

interface Opts {
  silent: boolean;
  showError: boolean;
  verbose: boolean;
  head: boolean;
  include: boolean;
  fail: boolean;
  output?: string;
  writeOut?: string;
  maxTime?: number;
  connectTimeout?: number;
  headers: string[];
  resolve: { host: string; port: number; addr: string }[];
  method?: string;
  data?: string;
  userAgent?: string;
  url?: string;
}

const WITH_ARG: Record<string, keyof Opts | 'header' | 'resolve'> = {
  '-o': 'output', '--output': 'output', '-w': 'writeOut', '--write-out': 'writeOut', '-m': 'maxTime', '--max-time': 'maxTime',
  '--connect-timeout': 'connectTimeout', '-H': 'header', '--header': 'header', '--resolve': 'resolve', '-X': 'method', '--request': 'method',
  '-d': 'data', '--data': 'data', '--data-raw': 'data', '-A': 'userAgent', '--user-agent': 'userAgent',
};
const BOOL: Record<string, keyof Opts | 'ignore'> = {
  '-s': 'silent', '--silent': 'silent', '-S': 'showError', '--show-error': 'showError', '-v': 'verbose', '--verbose': 'verbose',
  '-I': 'head', '--head': 'head', '-i': 'include', '--include': 'include', '-f': 'fail', '--fail': 'fail',
  '-L': 'ignore', '--location': 'ignore', '-k': 'ignore', '--insecure': 'ignore', '-4': 'ignore', '--ipv4': 'ignore', '-N': 'ignore', '--no-buffer': 'ignore',
};

function parse(argv: string[]): Opts | { error: string; code: number } | { help: true } {
  const o: Opts = { silent: false, showError: false, verbose: false, head: false, include: false, fail: false, headers: [], resolve: [] };
  const set = (key: string, v: string): string | undefined => {
    if (key === 'header') o.headers.push(v);
    else if (key === 'resolve') {
      const m = /^\+?([^:]+):(\d+):(.+)$/.exec(v);
      if (!m) return `curl: (49) Couldn't parse CURLOPT_RESOLVE entry '${v}'`;
      o.resolve.push({ host: m[1]!, port: Number(m[2]), addr: m[3]!.split(',')[0]!.replace(/^\[|\]$/g, '') });
    } else if (key === 'maxTime' || key === 'connectTimeout') {
      const n = Number(v);
      if (!Number.isFinite(n) || n < 0) return `curl: option ${key === 'maxTime' ? '--max-time' : '--connect-timeout'}: expected a proper numerical parameter`;
      o[key] = n;
    } else (o as unknown as Record<string, string>)[key] = v;
    return undefined;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--help' || a === '-h') return { help: true };
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq > 0 ? a.slice(0, eq) : a;
      if (BOOL[name]) {
        if (BOOL[name] !== 'ignore') (o as unknown as Record<string, boolean>)[BOOL[name]!] = true;
        continue;
      }
      const key = WITH_ARG[name];
      if (!key) return { error: `curl: option ${a}: is unknown\n${TRY}`, code: 2 };
      const v = eq > 0 ? a.slice(eq + 1) : argv[++i];
      if (v === undefined) return { error: `curl: option ${a}: requires parameter\n${TRY}`, code: 2 };
      const err = set(key, v);
      if (err) return { error: err + '\n' + (err.startsWith('curl: (') ? '' : TRY), code: err.startsWith('curl: (49)') ? 49 : 2 };
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      // Short options combine (-sSv); one taking a value ends the group (-o/dev/null, -so file).
      for (let k = 1; k < a.length; k++) {
        const f = `-${a[k]}`;
        if (BOOL[f]) {
          if (BOOL[f] !== 'ignore') (o as unknown as Record<string, boolean>)[BOOL[f]!] = true;
          continue;
        }
        const key = WITH_ARG[f];
        if (!key) return { error: `curl: option ${f}: is unknown\n${TRY}`, code: 2 };
        const v = k + 1 < a.length ? a.slice(k + 1) : argv[++i];
        if (v === undefined) return { error: `curl: option ${f}: requires parameter\n${TRY}`, code: 2 };
        const err = set(key, v);
        if (err) return { error: err + '\n' + (err.startsWith('curl: (') ? '' : TRY), code: err.startsWith('curl: (49)') ? 49 : 2 };
        break;
      }
      continue;
    }
    o.url ??= a;
  }
  return o;
}

interface Url {
  scheme: string;
  host: string;
  port: number;
  path: string;
  /** As curl prints it in messages: the host as typed. */
  display: string;
}

function parseUrl(raw: string): Url | undefined {
  const m = /^(?:([a-zA-Z][a-zA-Z0-9+.-]*):\/\/)?([^/?#:]*|\[[^\]]*\])(?::(\d*))?([/?#].*)?$/.exec(raw);
  if (!m || !m[2]) return undefined;
  const scheme = (m[1] ?? 'http').toLowerCase();
  const def = scheme === 'https' ? 443 : 80;
  const path = m[4] ? (m[4].startsWith('/') ? m[4] : `/${m[4]}`).replace(/#.*/, '') : '/';
  return { scheme, host: m[2], port: m[3] ? Number(m[3]) : def, path, display: m[2] };
}

/** -w: %{http_code} and friends, \n escapes. */
function writeOut(fmt: string, v: Record<string, string>): string {
  return fmt
    .replace(/%\{([a-z_]+)\}/g, (_, k: string) => v[k] ?? '')
    .replace(/\\n/g, '\n').replace(/\\t/g, '\t').replace(/\\r/g, '\r');
}

export const curl: CommandModule = {
  name: 'curl',
  help: HELP,
  async execute(argv, ctx) {
    const o = parse(argv);
    if ('help' in o) return { stdout: HELP, stderr: '', exitCode: 0 };
    if ('error' in o) return { stdout: '', stderr: o.error, exitCode: o.code };
    if (!o.url) return { stdout: '', stderr: `curl: no URL specified\n${TRY}`, exitCode: 2 };
    return run(o, ctx);
  },
};

async function run(o: Opts, ctx: CommandContext): Promise<CommandResult> {
  let stdout = '';
  let stderr = '';
  const verbose = (line: string) => {
    if (o.verbose) stderr += line + '\n';
  };
  const url = parseUrl(o.url!);
  const vars: Record<string, string> = { http_code: '000', response_code: '000', size_download: '0', num_connects: '0', remote_ip: '', remote_port: '', local_ip: '', local_port: '', time_total: '0.000000', url: o.url!, method: 'GET' };
  const fail = (code: number, msg: string): CommandResult => {
    if (o.writeOut) stdout += writeOut(o.writeOut, vars);
    const show = !o.silent || o.showError;
    return { stdout, stderr: stderr + (show ? `curl: (${code}) ${msg}\n` : ''), exitCode: code };
  };
  if (!url) return fail(3, `URL rejected: Bad hostname`);
  if (!['http', 'https'].includes(url.scheme)) return fail(1, `Protocol "${url.scheme}" not supported`);
  const limitMs = o.maxTime !== undefined && o.maxTime > 0 ? o.maxTime * 1000 : undefined;
  const connectLimitMs = [limitMs, o.connectTimeout && o.connectTimeout > 0 ? o.connectTimeout * 1000 : undefined].filter((x): x is number => x !== undefined).reduce<number | undefined>((m, x) => (m === undefined ? x : Math.min(m, x)), undefined);

  // ---- resolve ----
  let elapsed = 0;
  const forced = o.resolve.find((r) => r.host === url.host && r.port === url.port);
  let addresses: string[];
  if (forced) {
    verbose(`* Added ${url.host}:${url.port}:${forced.addr} to DNS cache`);
    verbose(`* Hostname ${url.host} was found in DNS cache`);
    addresses = [forced.addr];
  } else {
    const r = await resolveName(ctx, url.host.replace(/^\[|\]$/g, ''));
    elapsed += r.answeredRounds;
    if (r.status !== 'found' || r.addresses.length === 0) {
      if (r.waitedMs > 0 && connectLimitMs !== undefined && r.waitedMs >= connectLimitMs) {
        await ctx.session.wait(connectLimitMs);
        return fail(28, `Resolving timed out after ${connectLimitMs + 2} milliseconds`);
      }
      if (r.waitedMs > 0) await ctx.session.wait(r.waitedMs);
      return fail(6, `Could not resolve host: ${url.host}`);
    }
    if (r.waitedMs > 0) await ctx.session.wait(r.waitedMs);
    elapsed += r.waitedMs;
    addresses = r.addresses;
    if (!isIPv4(url.host)) {
      verbose(`* Host ${url.host}:${url.port} was resolved.`);
      verbose('* IPv6: (none)');
      verbose(`* IPv4: ${addresses.join(', ')}`);
    }
  }

  // ---- connect ----
  const ip = addresses[0]!;
  verbose(`*   Trying ${ip}:${url.port}...`);
  const method = o.method ?? (o.head ? 'HEAD' : o.data !== undefined ? 'POST' : 'GET');
  const hostHeader = url.port === (url.scheme === 'https' ? 443 : 80) ? url.host : `${url.host}:${url.port}`;
  const ua = o.userAgent ?? `curl/${VERSION}`;
  const conn = ctx.cluster.connect({
    from: fromPlace(ctx.place), to: { ip, port: url.port, protocol: 'TCP', ...(isIPv4(url.host) ? {} : { host: url.host }) },
    payload: { kind: 'http', method, path: url.path, host: hostHeader, headers: o.headers.map((h) => [h.split(':')[0]!.trim(), h.slice(h.indexOf(':') + 1).trim()]), userAgent: ua },
  });
  vars.local_ip = conn.local.ip;
  vars.local_port = String(conn.local.port);
  elapsed += 1;
  if (conn.outcome === 'timed-out') {
    // Linux gives up a SYN after 6 retries (~127 s) when curl sets no limit of its own.
    const waited = connectLimitMs ?? 127_000;
    // The whole attempt, as curl reports it (its timer overshoots the limit by a couple of ms).
    await ctx.session.wait(waited + 2);
    if (connectLimitMs !== undefined) return fail(28, `Connection timed out after ${waited + 2} milliseconds`);
    verbose(`* connect to ${ip} port ${url.port} from ${conn.local.ip} port ${conn.local.port} failed: Connection timed out`);
    verbose(`* Failed to connect to ${url.display} port ${url.port} after ${waited + 2} ms: Couldn't connect to server`);
    verbose('* closing connection #0');
    return fail(28, `Failed to connect to ${url.display} port ${url.port} after ${waited + 2} ms: Couldn't connect to server`);
  }
  if (conn.outcome !== 'connected') {
    const why = conn.outcome === 'refused' ? 'Connection refused' : conn.outcome === 'net-unreachable' ? 'Network is unreachable' : conn.outcome === 'no-route' ? 'No route to host' : 'Connection refused';
    verbose(`* connect to ${ip} port ${url.port} from ${conn.local.ip} port ${conn.local.port} failed: ${why}`);
    verbose(`* Failed to connect to ${url.display} port ${url.port} after ${elapsed} ms: Couldn't connect to server`);
    verbose('* closing connection #0');
    return fail(7, `Failed to connect to ${url.display} port ${url.port} after ${elapsed} ms: Couldn't connect to server`);
  }
  vars.num_connects = '1';
  vars.remote_ip = ip;
  vars.remote_port = String(url.port);
  verbose(`* Connected to ${url.display} (${ip}) port ${url.port}`);
  if (url.scheme === 'https') {
    verbose('* ALPN: curl offers h2,http/1.1');
    return fail(35, 'TLS connect error: error:0A00010B:SSL routines::wrong version number');
  }
  verbose('* using HTTP/1.x');
  verbose(`> ${method} ${url.path} HTTP/1.1`);
  verbose(`> Host: ${hostHeader}`);
  verbose(`> User-Agent: ${ua}`);
  verbose('> Accept: */*');
  for (const h of o.headers) verbose(`> ${h}`);
  verbose('> ');
  verbose('* Request completely sent off');
  const res = conn.response;
  if (!res || res.kind !== 'http') {
    verbose('* Empty reply from server');
    verbose('* shutting down connection #0');
    return fail(52, 'Empty reply from server');
  }
  vars.http_code = vars.response_code = String(res.status).padStart(3, '0');
  const head = `HTTP/1.1 ${res.status} ${res.reason}\r\n${res.headers.map(([k, v]) => `${k}: ${v}\r\n`).join('')}\r\n`;
  if (o.verbose) for (const l of head.split('\r\n').slice(0, -1)) stderr += `< ${l}\n`;
  if (o.fail && res.status >= 400) {
    verbose(`* The requested URL returned error: ${res.status}`);
    verbose(`* closing connection #0`);
    return fail(22, `The requested URL returned error: ${res.status}`);
  }
  const body = method === 'HEAD' ? '' : res.body;
  vars.size_download = String(new TextEncoder().encode(body).length);
  const out = (o.head || o.include ? head : '') + body;
  if (o.output && o.output !== '-') {
    if (o.verbose && body) stderr += `{ [${vars.size_download} bytes data]\n`;
    if (o.output !== '/dev/null') {
      const path = o.output.startsWith('/') ? o.output : `${ctx.cwd.replace(/\/$/, '')}/${o.output}`;
      try {
        await ctx.fs.writeFile(path, out);
      } catch {
        return fail(23, `client returned ERROR on write of ${out.length} bytes`);
      }
    }
  } else stdout += out;
  verbose(`* Connection #0 to host ${url.display} left intact`);
  if (o.writeOut) stdout += writeOut(o.writeOut, vars);
  return { stdout, stderr, exitCode: 0 };
}
