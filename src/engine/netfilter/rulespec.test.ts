// RuleLineParser (iptables-restore's rule lines read in place) against the general path,
// parseCommandLine(tokenizeRestoreLine(line)): on every line it takes, both give equal commands;
// every line it leaves (undefined) is the general path's.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tokenizeRestoreLine } from './restore';
import { ParamError, parseCommandLine, RuleLineParser, sameString, type NameSource, type ParsedCommand } from './rulespec';
import { ruleSpec } from './testdata/rulegen';

const slices: NameSource = { name: (text, s, e) => text.slice(s, e) };

/** What a command says, without the parser's scratch object. */
function view(pc: ParsedCommand): unknown {
  return {
    table: pc.table, command: pc.command, chain: pc.chain, rulenum: pc.rulenum, arg2: pc.arg2, rule: pc.rule,
    hasSpec: pc.hasSpec, jumpTo: pc.jumpTo, warnings: pc.warnings, numeric: pc.numeric, zero: pc.zero,
  };
}

/** Parse `line` both ways; the fast result (or undefined) and the general one. */
function both(p: RuleLineParser, line: string, table = 'nat', at = 0): { fast: unknown; general: unknown } {
  const text = 'x\n' + line + '\ny'; // the line inside a bigger text, as restore reads it
  const fast = p.parse(text, 2, 2 + line.length, table, slices);
  const general = parseCommandLine(tokenizeRestoreLine(line), table);
  void at;
  return { fast: fast && view(fast), general: general instanceof ParamError ? general : view(general) };
}

function agree(p: RuleLineParser, line: string, table = 'nat'): boolean {
  const { fast, general } = both(p, line, table);
  if (fast === undefined) return false;
  expect(general, line).not.toBeInstanceOf(ParamError);
  expect(fast, line).toStrictEqual(general);
  return true;
}

const KUBE = [
  '-A KUBE-SERVICES -m comment --comment "default/svc-0:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 -j KUBE-SVC-X67Z27UM2GOD7DY2',
  '-A KUBE-SVC-X67Z27UM2GOD7DY2 -m comment --comment "default/svc-0:http cluster IP" -m tcp -p tcp -d 10.96.0.100 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ',
  '-A KUBE-SVC-X67Z27UM2GOD7DY2 -m statistic --mode random --probability 0.1000000000 -j KUBE-SEP-5T2HPHSW4ABWUZRZ',
  '-A KUBE-SVC-X67Z27UM2GOD7DY2 -j KUBE-SEP-2KO4SFWRQC3T5XPY',
  '-A KUBE-SEP-5T2HPHSW4ABWUZRZ -s 10.241.0.0 -j KUBE-MARK-MASQ',
  '-A KUBE-SEP-5T2HPHSW4ABWUZRZ -m tcp -p tcp -j DNAT --to-destination 10.241.0.0:8080',
  '-A KUBE-SEP-UDP -m udp -p udp -j DNAT --to-destination 10.241.0.1:53',
  '-A KUBE-EXT-X -m comment --comment "masquerade traffic for default/svc external destinations" -j KUBE-MARK-MASQ',
  '-A KUBE-NODEPORTS -m comment --comment default/svc:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-X',
  '-A KUBE-SERVICES -d 10.96.0.10/32 -p udp -m udp --dport 53 -j KUBE-SVC-DNS',
  '-A POSTROUTING -o eth0 -j RETURN',
  '-A FORWARD -i cni0 ! -o cni0 -j ACCEPT',
  '-A KUBE-SVC-X -m comment --comment "x" -m statistic --mode random --probability 0.33333333349 -m tcp -p tcp --sport 1024 --dport 80 -j KUBE-SEP-Y',
  '-A KUBE-X -g KUBE-Y',
  '-A KUBE-X',
];

describe('RuleLineParser', () => {
  it('reads kube-proxy\'s lines in place, as the general path reads them', () => {
    const p = new RuleLineParser();
    for (const line of KUBE) expect(agree(p, line), line).toBe(true);
    // …twice: the second time from its memos of shared parts.
    for (const line of KUBE) expect(agree(p, line), line).toBe(true);
  });

  it('shares equal parts between rules (never mutated once parsed)', () => {
    const p = new RuleLineParser();
    const rule = (line: string) => p.parse(line, 0, line.length, 'nat', slices)!.rule!;
    const a = rule('-A A -m statistic --mode random --probability 0.5 -j KUBE-MARK-MASQ');
    const b = rule('-A B -m statistic --mode random --probability 0.5 -j KUBE-MARK-MASQ');
    expect(b.matches).toBe(a.matches);
    expect(b.target).toBe(a.target);
    expect(b).not.toBe(a);
    expect(b.counters).not.toBe(a.counters); // each rule's own: the evaluator counts in place
    const c = rule('-A C ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ');
    const d = rule('-A D ! -s 10.244.0.0/16 -j ACCEPT');
    expect(d.src).toBe(c.src);
    expect(rule('-A E -s 10.244.0.0/16 -j ACCEPT').src).not.toBe(c.src); // not inverted: another address
  });

  it('leaves to the general path what it does not read, and every error', () => {
    const p = new RuleLineParser();
    const left = [
      '-I X -j ACCEPT', '-D X -j ACCEPT', '-A  X\t-j ACCEPT', '-A "X" -j ACCEPT', '-A -j ACCEPT', '-A X -j', '-A X ! ! -s 1.2.3.4',
      '-A X -s 1.2.3.4 -s 1.2.3.5', '-A X -s 10.0.0.0/255.0.0.0', '-A X -s 10.0.0.1/33', '-A X -s 010.0.0.1', '-A X -s 1.2.3',
      '-A X -s 1.2.3.4/', '-A X -s 1.2.3.4/123', '-A X --source 1.2.3.4', '-A X ! -p all', '-A X -p nope',
      '-A X -m comment', '-A X -m comment --comment ""', '-A X -m comment --comment "a\\"b"', '-A X -m comment --comment "a"b',
      '-A X -m comment --comment a"b c"', '-A X -m comment ! --comment a', '-A X --comment a', '-A X -m comment --comment a --comment b',
      '-A X -m tcp --dport 80', '-A X -p tcp -m tcp -m tcp --dport 80', '-A X -p tcp -m tcp ! --dport 80', '-A X -p tcp --dport http',
      '-A X -p tcp --dport 0:1023', '-A X -p tcp --dport 70000', '-A X -p tcp --dport 80 --dport 81', '-A X ! -p tcp --dport 80',
      '-A X -p icmp --dport 80', '-A X --dport 80 -p tcp', '-A X -m statistic --mode nth --every 2 --packet 0', '-A X -m statistic',
      '-A X -m statistic --probability 1.5', '-A X -m statistic --probability 1e-1', '-A X -m statistic ! --probability 0.5',
      '-A X -m statistic --mode random --probability 0.1 --probability 0.2', '-A X -j ACCEPT -j DROP', '-A X ! -j ACCEPT',
      '-A X -g ACCEPT', '-A X -j DNAT', '-A X -j DNAT --to-destination 10.0.0.1:80',
      '-A X -p tcp -j DNAT --to-destination 10.0.0.1/32:80', '-A X -j DNAT --to-destination 1.2.3.4 --random',
      '-A X -j MARK --or-mark 0x4000', '-A X -m mark --mark 0x1', '-A X -j DROP', '-A POSTROUTING -i eth0', '-A INPUT -o eth0',
      '-A X -i averyveryverylongname', '-A X -c 1 2', '-A X -t nat', '-A X foo', '-A X -m tcp -m udp -p tcp', '-A X -x 1',
    ];
    for (const line of left) expect(both(p, line).fast, line).toBeUndefined();
    // DROP is fine outside the nat table; a NAT range of another form is parseNatRange's.
    expect(agree(p, '-A X -j DROP', 'filter')).toBe(true);
    expect(agree(p, '-A X -p tcp -j DNAT --to-destination 10.0.0.1-10.0.0.2:80-81')).toBe(true);
    expect(agree(p, '-A X -p tcp -j DNAT --to-destination :80')).toBe(true);
  });

  it('agrees with the general path on canonical rule specs', () => {
    const p = new RuleLineParser();
    let taken = 0;
    fc.assert(fc.property(ruleSpec, fc.constantFrom('nat', 'filter'), (spec, table) => {
      if (agree(p, `-A KUBE-SERVICES${spec}`, table)) taken++;
    }), { numRuns: 400 });
    expect(taken).toBeGreaterThan(4);
  });

  it('agrees with the general path on lines made of any of its words and near misses', () => {
    const words = [
      '-s 10.0.0.1', '-s 10.0.0.0/8', '!', '-d 1.2.3.4/32', '-d 0.0.0.0/0', '-s 01.2.3.4', '-s 10.0.0.0/255.0.0.0', '-s 10.0.0.1/33',
      '-s 256.1.1.1', '-p tcp', '-p udp', '-p sctp', '-p icmp', '-p all', '-p TCP', '-p 6', '-p 17', '-p 300', '-i eth0', '-o eth+',
      '-i lo', '-m comment', '--comment "x y"', '--comment abc', '--comment ""', '--comment "a\\"b"', '--comment "x"y', '-m tcp',
      '-m udp', '-m sctp', '-m statistic', '--mode random', '--mode nth', '--probability 0.5', '--probability 0.1111111111', '--probability 1', '--probability 1.5',
      '--probability .5', '--probability 0.', '--dport 80', '--sport 1024', '--dport 0', '--dport 65535', '--dport 65536', '--dport 0:1023',
      '--dport http', '-j ACCEPT', '-j DROP', '-j RETURN', '-j KUBE-MARK-MASQ', '-g KUBE-X', '-g ACCEPT', '-j DNAT',
      '--to-destination 10.0.0.1:80', '--to-destination 10.0.0.1', '--to-destination 10.0.0.1:080', '--to-destination 10.0.0.1-10.0.0.2',
      '--to-destination 10.0.0.1:', '--to-destination 10.0.0.1:70000', '-j MARK', '--or-mark 0x4000', '-m mark', '--mark 0x1', '-j',
      '--comment', '-x', 'foo', '-m conntrack', '--ctstate NEW', '--random', '-m multiport', '--dports 80,443',
    ];
    const chains = ['KUBE-SERVICES', 'POSTROUTING', 'OUTPUT', 'PREROUTING', 'INPUT', 'X', '-X', '"Q"', '!'];
    const gap = fc.constantFrom(' ', ' ', ' ', '  ', '\t');
    const line = fc.tuple(fc.constantFrom(...chains), fc.array(fc.tuple(gap, fc.constantFrom(...words)), { maxLength: 9 }), fc.constantFrom('', ' ', '  '))
      .map(([c, ws, end]) => `-A ${c}${ws.map(([g, w]) => g + w).join('')}${end}`);
    const p = new RuleLineParser();
    let taken = 0;
    fc.assert(fc.property(line, fc.constantFrom('nat', 'filter'), (l, table) => {
      if (agree(p, l, table)) taken++;
    }), { numRuns: 3000 });
    expect(taken).toBeGreaterThan(50);
  });
});

describe('RuleLineParser over one text', () => {
  it('reads line after line of one text, quotes, tabs and CRs on some of them', () => {
    const lines = [
      '-A X -s 10.0.0.1 -j ACCEPT', '-A X -s 10.0.0.2\t-j ACCEPT', '-A X -d 10.0.0.3 -j ACCEPT',
      '-A X -m comment --comment "a b" -j ACCEPT', '-A X -p tcp --dport 80 -j ACCEPT', '-A X -s 10.0.0.4\r-j ACCEPT',
      '-A X -m comment --comment ab"c d" -j ACCEPT', '-A X -j KUBE-MARK-MASQ', '-A X -m comment --comment "x" -j ACCEPT',
    ];
    for (const order of [lines, [...lines].reverse()]) {
      const text = order.join('\n');
      const p = new RuleLineParser();
      let at = 0;
      for (const line of order) {
        const fast = p.parse(text, at, at + line.length, 'filter', slices);
        const general = parseCommandLine(tokenizeRestoreLine(line), 'filter');
        if (fast) expect(view(fast), JSON.stringify(line)).toStrictEqual(view(general as ParsedCommand));
        else expect(/[\t\r]|[^ ]"/.test(line), JSON.stringify(line)).toBe(true);
        at += line.length + 1;
      }
    }
  });
});

describe('sameString', () => {
  it('is === for strings, slices of a bigger text included', () => {
    const text = 'xx KUBE-SEP-AAAA KUBE-SEP-AAAB KUBE-SEP-AAAA';
    const a = text.slice(3, 16);
    expect(sameString(a, text.slice(31, 44))).toBe(true);
    expect(sameString(a, text.slice(17, 30))).toBe(false);
    expect(sameString(a, a + 'x')).toBe(false);
    expect(sameString('', '')).toBe(true);
    expect(sameString('', 'a')).toBe(false);
    expect(sameString('ab', 'ba')).toBe(false);
  });
});
