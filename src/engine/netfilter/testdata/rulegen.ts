/**
 * Test support: fast-check generators of canonical iptables-save rule specs (the forms the
 * real iptables-save v1.8.9 prints), used by roundtrip.test.ts and by
 * scripts/dev/iptables-crosscheck.ts, which feeds samples to the real iptables-restore.
 */
import fc from 'fast-check';

const octet = fc.integer({ min: 0, max: 255 });
const ip = fc.tuple(octet, octet, octet, octet).map((o) => o.join('.'));
const cidr = fc.tuple(fc.tuple(octet, octet, octet, octet), fc.integer({ min: 1, max: 32 })).map(([o, bits]) => {
  const n = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  const masked = (n & (bits === 32 ? 0xffffffff : ~(0xffffffff >>> bits))) >>> 0;
  return `${masked >>> 24}.${(masked >>> 16) & 255}.${(masked >>> 8) & 255}.${masked & 255}/${bits}`;
});
const bang = fc.boolean().map((b) => (b ? ' !' : ''));
const port = fc.integer({ min: 0, max: 65535 });
const portSpec = fc.oneof(port.map(String), fc.tuple(port, port).filter(([a, b]) => a < b && a > 0).map(([a, b]) => `${a}:${b}`));
const iface = fc.tuple(fc.constantFrom('eth0', 'cni0', 'veth', 'lo', 'kube-ipvs0'), fc.boolean()).map(([n, w]) => (w ? n + '+' : n));
const commentText = fc.oneof(
  fc.constantFrom('default/kubernetes:https cluster IP', 'kubernetes service portals', 'abc', '', 'it\'s "quoted" \\ x', 'a_b-9'),
  fc.string({ maxLength: 40 }).filter((s) => !/[\n\r\0]/.test(s) && s.trim() === s && !s.includes('"') ),
);
const saveString = (s: string): string => (s.length > 0 && /^[_\-0-9a-zA-Z]+$/.test(s) ? s : `"${s.replace(/["\\']/g, (c) => '\\' + c)}"`);
const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const prob = fc.integer({ min: 0, max: 0x80000000 }).map((x) => (x / 0x80000000).toFixed(11));
const states = fc.subarray(['INVALID', 'NEW', 'RELATED', 'ESTABLISHED', 'UNTRACKED', 'SNAT', 'DNAT'], { minLength: 1 });
const addrTypes = fc.subarray(['UNSPEC', 'UNICAST', 'LOCAL', 'BROADCAST', 'ANYCAST', 'MULTICAST', 'BLACKHOLE'], { minLength: 1 });

/** A canonical rule spec (after `-A CHAIN`) for the nat table. */
export const ruleSpec = fc.record({
  s: fc.option(fc.tuple(bang, cidr), { nil: undefined }),
  d: fc.option(fc.tuple(bang, cidr), { nil: undefined }),
  o: fc.option(fc.tuple(bang, iface), { nil: undefined }),
  p: fc.option(fc.tuple(bang, fc.constantFrom('tcp', 'udp', 'sctp', 'icmp', 'gre')), { nil: undefined }),
  ports: fc.option(fc.tuple(fc.option(fc.tuple(bang, portSpec), { nil: undefined }), fc.option(fc.tuple(bang, portSpec), { nil: undefined })), { nil: undefined }),
  extra: fc.array(fc.oneof(
    commentText.map((c) => ` -m comment --comment ${saveString(c)}`),
    fc.tuple(bang, u32, fc.option(u32, { nil: undefined })).map(([b, v, m]) => ` -m mark${b} --mark ${hex(v)}${m === undefined || m === 0xffffffff ? '' : '/' + hex(m)}`),
    fc.tuple(bang, states).map(([b, s]) => ` -m conntrack${b} --ctstate ${s.join(',')}`),
    fc.tuple(fc.option(fc.tuple(bang, addrTypes), { nil: undefined }), fc.tuple(bang, addrTypes), fc.boolean())
      .map(([src, dst, lim]) => ` -m addrtype${src ? `${src[0]} --src-type ${src[1].join(',')}` : ''}${dst[0]} --dst-type ${dst[1].join(',')}${lim ? ' --limit-iface-out' : ''}`),
    fc.tuple(bang, prob).map(([b, p]) => ` -m statistic --mode random${b} --probability ${p}`),
    fc.tuple(bang, fc.integer({ min: 1, max: 100 })).chain(([b, e]) => fc.integer({ min: 0, max: e - 1 }).map((p) => ` -m statistic --mode nth${b} --every ${e} --packet ${p}`)),
    fc.tuple(bang, fc.constantFrom('set', 'rcheck', 'update', 'remove'), fc.integer({ min: 1, max: 100000 }), fc.boolean(), fc.constantFrom('KUBE-SEP-X', 'DEFAULT'), fc.boolean())
      .map(([b, cmd, secs, reap, name, src]) => {
        const check = cmd === 'rcheck' || cmd === 'update';
        return ` -m recent${b} --${cmd}${check ? ` --seconds ${secs}${reap ? ' --reap' : ''}` : ''} --name ${name} --mask 255.255.255.255 ${src ? '--rsource' : '--rdest'}`;
      }),
    fc.tuple(bang, fc.constantFrom('KUBE-CLUSTER-IP', 'KUBE-LOOP-BACK'), fc.constantFrom('dst', 'dst,dst', 'dst,dst,src', 'src')).map(([b, n, f]) => ` -m set${b} --match-set ${n} ${f}`),
  ), { maxLength: 4 }).map((ex) => {
    // After `-m set`, a later `--set` belongs to the set match (its deprecated alias of
    // --match-set: getopt finds the most recently loaded extension's option first).
    const i = ex.findIndex((e) => e.startsWith(' -m set'));
    return i < 0 ? ex : ex.filter((e, k) => k <= i || !/ --set /.test(e));
  }),
  target: fc.oneof(
    fc.constantFrom(' -j ACCEPT', ' -j DROP', ' -j RETURN', ' -j KUBE-MARK-MASQ', ' -g KUBE-MARK-MASQ', ''),
    fc.tuple(ip, fc.option(port, { nil: undefined })).map(([a, p]) => ` -j DNAT --to-destination ${a}${p === undefined ? '' : ':' + p}`),
    fc.tuple(u32, u32).map(([v, m]) => ` -j MARK --set-xmark ${hex(v)}/${hex(m)}`),
    fc.constantFrom(' -j MASQUERADE', ' -j MASQUERADE --random-fully', ' -j MASQUERADE --to-ports 1000-2000 --random'),
    ip.map((a) => ` -j SNAT --to-source ${a} --random-fully`),
    commentText.filter((c) => c.length <= 29).map((c) => ` -j LOG${c === '' ? '' : ' --log-prefix ' + saveString(c)}`),
  ),
}).map((r) => {
  let s = '';
  if (r.s && !(r.s[1].endsWith('/0') && !r.s[0])) s += `${r.s[0]} -s ${r.s[1]}`;
  if (r.d && !(r.d[1].endsWith('/0') && !r.d[0])) s += `${r.d[0]} -d ${r.d[1]}`;
  if (r.o) s += `${r.o[0]} -o ${r.o[1]}`;
  let proto: string | undefined;
  if (r.p) {
    s += `${r.p[0]} -p ${r.p[1]}`;
    proto = r.p[0] ? undefined : r.p[1];
  }
  if (r.ports && proto && ['tcp', 'udp', 'sctp'].includes(proto)) {
    const [sp, dp] = r.ports;
    s += ` -m ${proto}${sp ? `${sp[0]} --sport ${sp[1]}` : ''}${dp ? `${dp[0]} --dport ${dp[1]}` : ''}`;
    if (proto !== 'sctp') s += ` -m multiport --dports 80,443,8000:8080`;
  }
  s += r.extra.join('');
  // Targets the kernel accepts only for some protocols/chains stay valid: MASQUERADE --to-ports needs a port protocol.
  let t = r.target;
  const portProto = r.p && ['tcp', 'udp', 'sctp'].includes(r.p[1]);
  if (t.includes('--to-ports') && !portProto) t = ' -j MASQUERADE';
  if (t.includes('--to-destination') && !portProto) t = t.replace(/:\d+$/, '');
  if (t === ' -j DROP') t = ' -j RETURN'; // no DROP in the nat table
  return s + t;
});


export const NAT_HEAD = '*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-SERVICES - [0:0]\n';

/** A whole canonical nat table: POSTROUTING rules first, then KUBE-SERVICES (DNAT) rules. */
export const natRuleset = fc.array(ruleSpec, { maxLength: 12 }).map((specs) => {
  const rules = specs.map((s) => (s.includes('-j DNAT') ? `-A KUBE-SERVICES${s}` : `-A POSTROUTING${s}`));
  const ordered = [...rules.filter((r) => r.startsWith('-A POSTROUTING')), ...rules.filter((r) => r.startsWith('-A KUBE-SERVICES'))];
  return NAT_HEAD + ordered.map((r) => r + '\n').join('') + 'COMMIT\n';
});

export const FILTER_HEAD = '*filter\n:INPUT ACCEPT [0:0]\n:FORWARD DROP [0:0]\n:OUTPUT ACCEPT [0:0]\n:KUBE-MARK-MASQ - [0:0]\n';

/** A canonical filter table: the same matches in FORWARD, with filter targets. */
export const filterRuleset = fc.array(fc.tuple(ruleSpec, fc.constantFrom(' -j DROP', ' -j REJECT --reject-with icmp-port-unreachable', ' -j REJECT --reject-with icmp-host-prohibited', ' -j ACCEPT', '')), { maxLength: 12 }).map((rules) => {
  const lines = rules.map(([spec, t]) => {
    const m = / -[jg] (DNAT|SNAT|MASQUERADE)\b.*$/.exec(spec);
    return `-A FORWARD${m ? spec.slice(0, m.index) + t : spec}`;
  });
  return FILTER_HEAD + lines.map((l) => l + '\n').join('') + 'COMMIT\n';
});
