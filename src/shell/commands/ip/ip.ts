/**
 * `ip` (iproute2 6.1) on a node: `ip [-4|-br|-d] addr|a [show [dev] X]`, `ip link [show [dev] X]`,
 * `ip route|r [show]`, `ip route get IP` over the node's links and main routing table as the
 * engine keeps them (kindnet's pod routes, the pods' veths, kube-proxy's kube-ipvs0).
 * Object and command matching follow ip.c/ipaddress.c: any unambiguous prefix (`a`, `addr`,
 * `ro`), errors as iproute2 words them.
 */
import { macFrom, type NetInterface, type NodeHost, type Pod, type Route } from '../../../engine';
import type { CommandModule, CommandResult } from '../../types';
import { nodeHost, requireNode } from '../iptables/host';
import { ipAddr, ipLink, podNetnsName, routeLine, type IpOptions } from './format';

export const IP_HELP = `Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }
       ip [ -force ] -batch filename
where  OBJECT := { address | addrlabel | amt | fou | help | ila | ioam | l2tp |
                   link | macsec | maddress | monitor | mptcp | mroute | mrule |
                   neighbor | neighbour | netconf | netns | nexthop | ntable |
                   ntbl | route | rule | sr | tap | tcpmetrics |
                   token | tunnel | tuntap | vrf | xfrm }
       OPTIONS := { -V[ersion] | -s[tatistics] | -d[etails] | -r[esolve] |
                    -h[uman-readable] | -iec | -j[son] | -p[retty] |
                    -f[amily] { inet | inet6 | mpls | bridge | link } |
                    -4 | -6 | -M | -B | -0 |
                    -l[oops] { maximum-addr-flush-attempts } | -br[ief] |
                    -o[neline] | -t[imestamp] | -ts[hort] | -b[atch] [filename] |
                    -rc[vbuf] [size] | -n[etns] name | -N[umeric] | -a[ll] |
                    -c[olor]}
`;

const OBJECTS = ['address', 'addrlabel', 'amt', 'fou', 'help', 'ila', 'ioam', 'l2tp', 'link', 'macsec', 'maddress', 'monitor', 'mptcp', 'mroute', 'mrule', 'neighbor', 'neighbour', 'netconf', 'netns', 'nexthop', 'ntable', 'ntbl', 'route', 'rule', 'sr', 'tap', 'tcpmetrics', 'token', 'tunnel', 'tuntap', 'vrf', 'xfrm'];

/** matches() in iproute2: the word is a prefix of the keyword. */
const is = (word: string, keyword: string): boolean => word.length > 0 && keyword.startsWith(word);

/** ip.c's object table is searched in order: the first keyword the word is a prefix of wins. */
function object(word: string): string | undefined {
  if (word === 'a' || is(word, 'address')) return 'address';
  if (is(word, 'link')) return 'link';
  if (word === 'r' || is(word, 'route')) return 'route';
  return OBJECTS.find((o) => is(word, o));
}

const out = (stdout: string): CommandResult => ({ stdout, stderr: '', exitCode: 0 });
const err = (stderr: string, exitCode = 1): CommandResult => ({ stdout: '', stderr, exitCode });

export interface IpHost {
  links: NodeHost['interfaces'];
  routes(): ReturnType<NodeHost['sortedRoutes']>;
  lookupRoute(dst: string): ReturnType<NodeHost['lookupRoute']>;
  isLocal(ip: string): boolean;
  primaryAddress(dev: string): string | undefined;
}

export function run(argv: readonly string[], host: IpHost): CommandResult {
  const o: IpOptions = {};
  let i = 0;
  for (; i < argv.length; i++) {
    const a = argv[i]!;
    if (!a.startsWith('-')) break;
    const opt = a.replace(/^--?/, '');
    if (opt === '4') o.family = 4;
    else if (opt === '6') o.family = 6;
    else if (opt === '0') return err('ip: link-layer family is not supported\n');
    else if (is(opt, 'brief') && opt.length >= 2) o.brief = true;
    else if (is(opt, 'details')) o.details = true;
    else if (opt === 'V' || is(opt, 'Version')) return out('ip utility, iproute2-6.1.0, libbpf 1.1.2\n');
    // ip.c tries -human before -help, so `-h` is human-readable and only `-he…` asks for help.
    else if (is(opt, 'human') || is(opt, 'human-readable') || opt === 'iec') continue;
    else if (is(opt, 'help')) return err(IP_HELP, 255);
    else if (is(opt, 'family')) {
      const f = argv[++i];
      if (f === 'inet') o.family = 4;
      else if (f === 'inet6') o.family = 6;
      else return err(`Error: argument "${f ?? ''}" is wrong: invalid protocol family\n`, 255);
    } else if (['s', 'stats', 'statistics', 'r', 'resolve', 'N', 'Numeric', 'c', 'color', 'o', 'oneline', 'a', 'all'].includes(opt) || opt.startsWith('color=')) continue;
    else return err(`Option "${a}" is unknown, try "ip -help".\n`, 255);
  }
  const objWord = argv[i];
  if (objWord === undefined) return err(IP_HELP, 255);
  const obj = object(objWord);
  if (!obj) return err(`Object "${objWord}" is unknown, try "ip help".\n`);
  const rest = argv.slice(i + 1);
  switch (obj) {
    case 'help': return err(IP_HELP, 255);
    case 'address': return address(rest, o, host);
    case 'link': return link(rest, o, host);
    case 'route': return route(rest, o, host);
    // The default policy rules; nothing on a kind node adds others.
    case 'rule': return o.family === 6 ? out('') : out('0:\tfrom all lookup local\n32766:\tfrom all lookup main\n32767:\tfrom all lookup default\n');
    case 'netns': {
      // `ip netns [list]`: containerd's named pod namespaces, newest first (readdir of /run/netns).
      const w = rest[0];
      if (w !== undefined && !is(w, 'list') && !is(w, 'show')) return err(`Command "${w}" is unknown, try "ip netns help".\n`);
      const named = host.links.filter((l) => l.pod && l.linkNetnsId !== undefined).reverse();
      return out(named.map((l) => `${podNetnsName(l.pod!.uid)} (id: ${l.linkNetnsId})\n`).join(''));
    }
    // Neighbours, tunnels, xfrm, …: nothing configured that we model; the real tool prints nothing then.
    default: return out('');
  }
}

/** `[show] [dev] NAME` → the links to print, or an error. */
function selectLinks(args: readonly string[], host: IpHost, helpName: string): NodeHost['interfaces'] | CommandResult {
  let k = 0;
  if (args[k] !== undefined && (is(args[k]!, 'show') || is(args[k]!, 'list') || is(args[k]!, 'lst'))) k++;
  else if (args[k] !== undefined) return err(`Command "${args[k]}" is unknown, try "ip ${helpName} help".\n`, 255);
  let dev: string | undefined;
  for (; k < args.length; k++) {
    const w = args[k]!;
    if (w === 'dev') {
      dev = args[++k];
      if (dev === undefined) return err('Command line is not complete. Try option "help"\n', 255);
    } else if (w === 'up') continue;
    else if (dev === undefined) dev = w;
    else return err(`Error: either "dev" is duplicate, or "${w}" is a garbage.\n`, 255);
  }
  if (dev === undefined) return host.links;
  const l = host.links.filter((x) => x.name === dev);
  if (l.length === 0) return err(`Device "${dev}" does not exist.\n`);
  return l;
}

function address(args: readonly string[], o: IpOptions, host: IpHost): CommandResult {
  const sel = selectLinks(args, host, 'address');
  if ('exitCode' in sel) return sel;
  return out(ipAddr(sel, o));
}

function link(args: readonly string[], o: IpOptions, host: IpHost): CommandResult {
  const sel = selectLinks(args, host, 'link');
  if ('exitCode' in sel) return sel;
  return out(ipLink(sel, o));
}

function route(args: readonly string[], o: IpOptions, host: IpHost): CommandResult {
  const w = args[0];
  if (o.family === 6) return out('');
  if (w === undefined || is(w, 'show') || is(w, 'list')) return out(host.routes().map(routeLine).join(''));
  if (is(w, 'get')) {
    const dst = args[1] === 'to' ? args[2] : args[1];
    if (dst === undefined) return err('Command line is not complete. Try option "help"\n', 255);
    if (!/^\d{1,3}(\.\d{1,3}){3}$/.test(dst)) return err(`Error: any valid prefix is expected rather than "${dst}".\n`);
    if (host.isLocal(dst)) return out(`local ${dst} dev lo src ${dst} uid 0 \n    cache <local> \n`);
    const r = host.lookupRoute(dst);
    if (!r) return err('RTNETLINK answers: Network is unreachable\n', 2);
    const src = r.src ?? host.primaryAddress(r.dev) ?? '';
    return out(`${dst} ${r.via ? `via ${r.via} ` : ''}dev ${r.dev} src ${src} uid 0 \n    cache \n`);
  }
  return err(`Command "${w}" is unknown, try "ip route help".\n`, 255);
}

function nodeView(h: NodeHost): IpHost {
  return {
    links: h.interfaces,
    routes: () => h.sortedRoutes(),
    lookupRoute: (d) => h.lookupRoute(d),
    isLocal: (a) => h.addrType(a) === 'LOCAL',
    primaryAddress: (d) => h.primaryAddress(d),
  };
}

/**
 * A pod's own namespace as kindnet's CNI (the ptp plugin) builds it: lo, and eth0 — the
 * peer of the pod's host-side veth — with the pod IP in the node's /24; the connected route
 * is replaced by a /32 to the gateway (the host veth's address) and the subnet via it.
 */
function podView(pod: Pod, hostVeth: NetInterface, prefix: number): IpHost {
  const ipAddr = pod.status?.podIP ?? hostVeth.pod?.ip ?? '';
  const gw = hostVeth.addresses[0]?.address ?? '';
  const n = ipAddr.split('.').reduce((a, o) => a * 256 + Number(o), 0);
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const dotted = (x: number): string => [x >>> 24, (x >>> 16) & 255, (x >>> 8) & 255, x & 255].join('.');
  const subnet = `${dotted((n & mask) >>> 0)}/${prefix}`;
  const links: NetInterface[] = [
    { ifindex: 1, name: 'lo', kind: 'loopback', flags: ['LOOPBACK', 'UP', 'LOWER_UP'], mtu: 65536, state: 'UNKNOWN', qdisc: 'noqueue', mac: '00:00:00:00:00:00', brd: '00:00:00:00:00:00', addresses: [{ address: '127.0.0.1', prefix: 8, scope: 'host' }] },
    {
      ifindex: hostVeth.peerIfindex ?? 2, name: 'eth0', kind: 'veth', flags: ['BROADCAST', 'MULTICAST', 'UP', 'LOWER_UP'], mtu: hostVeth.mtu, state: 'UP', qdisc: 'noqueue',
      mac: macFrom(`${pod.metadata.uid}/pod`), brd: 'ff:ff:ff:ff:ff:ff', peerIfindex: hostVeth.ifindex, linkNetnsId: 0,
      addresses: [{ address: ipAddr, prefix, scope: 'global', broadcast: dotted((n | ~mask) >>> 0) }],
    },
  ];
  const routes: Route[] = [
    { dst: 'default', via: gw, dev: 'eth0', owner: 'cni' },
    { dst: subnet, via: gw, dev: 'eth0', src: ipAddr, owner: 'cni' },
    { dst: `${gw}/32`, dev: 'eth0', scope: 'link', src: ipAddr, owner: 'cni' },
  ];
  return {
    links,
    routes: () => routes,
    lookupRoute: (d) => {
      const x = d.split('.').reduce((a, o) => a * 256 + Number(o), 0);
      if (d === gw) return routes[2];
      return ((x & mask) >>> 0) === ((n & mask) >>> 0) ? routes[1] : routes[0];
    },
    isLocal: (a) => a === ipAddr || a.startsWith('127.'),
    primaryAddress: () => ipAddr,
  };
}

export const ip: CommandModule = {
  name: 'ip',
  help: IP_HELP,
  async execute(argv, ctx) {
    const place = ctx.place;
    if (place.kind === 'pod') {
      const pod = ctx.cluster.get<Pod>('Pod', place.namespace, place.pod);
      const nodeName = pod.ok ? pod.value.spec?.nodeName : undefined;
      const h = nodeName ? ctx.cluster.node(nodeName) : undefined;
      if (!pod.ok || !h?.ok) return { stdout: '', stderr: 'Cannot open netlink socket: Operation not permitted\n', exitCode: 1 };
      // hostNetwork pods share the node's namespace.
      if (pod.value.spec?.hostNetwork) return run(argv, nodeView(h.value));
      const veth = h.value.interfaces.find((l) => l.pod?.uid === pod.value.metadata.uid);
      if (!veth) return run(argv, { links: [], routes: () => [], lookupRoute: () => undefined, isLocal: () => false, primaryAddress: () => undefined });
      const node = ctx.cluster.get<{ spec?: { podCIDR?: string } } & Pod>('Node', undefined, nodeName!);
      const prefix = Number((node.ok ? node.value.spec?.podCIDR : undefined)?.split('/')[1] ?? 24);
      return run(argv, podView(pod.value, veth, prefix));
    }
    const node = requireNode(ctx, 'ip');
    if ('exitCode' in node) return node;
    const h = nodeHost(ctx, node.name);
    if ('exitCode' in h) return h;
    return run(argv, nodeView(h));
  },
};
