import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNftRuleset, listRuleset, nftRun } from './index';
import { nameHash, parseRule, RuleReader, tokenize, Words, type ChainResolver } from './rule';

// nft -f reads the common lines in place (script.ts fastLine, RuleReader.scan) and leaves
// the rest to the tokenizer and parseRule. A line whose first character is a tab is never
// read in place (the in-place reader only skips spaces), while the tokenizer takes the tab
// for a blank: so each script below runs both ways, and both must give the same ruleset,
// handles included, or the same error.

const words = (line: string): string[] => {
  const w = new Words();
  const out: string[] = [];
  for (w.start(line, 0, line.length); !w.atEnd(); w.next()) out.push(w.slice());
  return out;
};

describe('Words: the in-place cursor', () => {
  it('splits at spaces only, runs of them included; a tab or punctuation stays in the word', () => {
    expect(words('  add  rule ip t c ')).toEqual(['add', 'rule', 'ip', 't', 'c']);
    expect(words('a\tb {c} "d e" f,')).toEqual(['a\tb', '{c}', '"d', 'e"', 'f,']);
    expect(words('')).toEqual([]);
    expect(words('   ')).toEqual([]);
  });
  it('plain: a word the tokenizer reads as one token of the same text', () => {
    const plain = (line: string): boolean[] => {
      const w = new Words();
      const out: boolean[] = [];
      for (w.start(line, 0, line.length); !w.atEnd(); w.next()) out.push(w.plain());
      return out;
    };
    expect(plain('a b-c 10.0.0.0/8 x/y__1.2.3.4/80 @set')).toEqual([true, true, true, true, true]);
    expect(plain('a\tb c; {d} "e" f, g,h #i')).toEqual([false, false, false, false, false, false, false]);
    // A # only starts a comment at the start of a word.
    expect(plain('j#k')).toEqual([true]);
  });
  it('is and isChar: the whole word', () => {
    const w = new Words();
    w.start('{ {{ vmap vmaps', 0, 15);
    expect([w.isChar('{'), w.is('{')]).toEqual([true, true]);
    w.next();
    expect([w.isChar('{'), w.is('{')]).toEqual([false, false]);
    w.next();
    expect([w.is('vmap'), w.is('vma')]).toEqual([true, false]);
    w.next();
    expect(w.is('vmap')).toBe(false);
    w.next();
    expect([w.atEnd(), w.isChar('{'), w.is('')]).toEqual([true, false, true]);
  });
  it('digits: one to nine digits', () => {
    const d = (s: string): number => {
      const w = new Words();
      w.start(s, 0, s.length);
      return w.digits();
    };
    expect([d('0'), d('080'), d('123456789'), d('1234567890'), d('1a'), d('-1'), d('')]).toEqual([0, 80, 123456789, -1, -1, -1, -1]);
  });
  it('nameHash of a name is the same wherever the text holds it', () => {
    const name = 'endpoint-DDRIWAYC-default/svc-0/tcp/http__10.241.0.0/8080';
    expect(nameHash(`jump ${name} x`, 5, 5 + name.length)).toBe(nameHash(name, 0, name.length));
    expect(nameHash('a', 0, 1)).toBe(nameHash('xa', 1, 2));
  });
});

const CHAINS = ['a', 'b', 'mark-for-masquerade', 'endpoint-X-ns/svc/tcp/p__10.0.0.1/80'];
const SETS = ['s', 'm'];

// Pieces of rule bodies: what kube-proxy writes (mostly), and near misses of it.
const good = fc.constantFrom(
  'ip saddr 10.0.0.1', 'ip daddr 10.96.0.0/12', 'ip saddr != 10.240.0.0/13', 'ip daddr == 1.2.3.4', 'ip saddr ne 1.2.3.4', 'ip daddr eq 1.2.3.4',
  'ip saddr 10.0.0.1/0', 'ip saddr @s', 'meta l4proto tcp', 'meta l4proto udp', 'meta l4proto 6', 'l4proto sctp', 'ip protocol icmp', 'th dport 80',
  'udp sport 1-2', 'ct state new', 'oifname lo', 'ip daddr . meta l4proto . th dport vmap @m', 'jump a', 'goto b', 'jump mark-for-masquerade',
  'goto endpoint-X-ns/svc/tcp/p__10.0.0.1/80', 'accept', 'drop', 'return', 'continue', 'counter', 'masquerade', 'masquerade fully-random',
  'masquerade random persistent', 'reject', 'fib saddr type local', 'fib daddr type != local', 'dnat to 10.0.0.1:8080', 'dnat ip to 10.0.0.1',
  'numgen random mod 2 vmap { 0 : goto a , 1 : goto b }', 'numgen random mod 2 offset 1 vmap { 1 : jump a , 2 : drop }', 'comment "hi there"',
);
const odd = fc.constantFrom(
  'ip saddr 10.0.0.256', 'ip saddr 10.0.0.1/33', 'ip saddr 10.0.0.1/', 'ip saddr 10.0.0.1/008', 'ip saddr 01.0.0.1', 'ip saddr host',
  'ip daddr @nope', 'ip daddr @', 'ip daddr { 10.0.0.1 }', 'ip daddr {10.0.0.1}', 'ip6 saddr ::1', 'meta l4proto 256', 'tcp dport 65536',
  'ct state established,related', 'iifname "eth0"', 'mark 0x1', 'meta mark set 0x4000', 'mark and 0x4000 == 0', 'meta l4proto . th dport vmap @m',
  'ip daddr . th dport accept', 'ip daddr vmap { 10.0.0.1 : accept }', 'jump nope', 'jump', 'goto a,', 'counter packets 1 bytes 2',
  'reject with icmp type host-unreachable', 'fib saddr type remote', 'dnat to 10.0.0.1:80x', 'dnat to 10.0.0.1:',
  'numgen random mod 2 vmap { 0 : goto a, 1 : goto b }', 'numgen random mod 0 vmap { 0 : goto a }', 'numgen random mod 1 vmap { 0 : goto nope }',
  'numgen random mod 1 vmap { 0: goto a }', 'update @s { ip saddr }', 'comment "x" drop', 'comment unquoted', 'comment "open',
  'frobnicate', '10.0.0.1', '# a comment', '"quoted"', '{', '}', ';', ',', '.', ':', '!=',
);
const piece = fc.oneof({ arbitrary: good, weight: 6 }, { arbitrary: odd, weight: 1 });
const space = fc.constantFrom(' ', ' ', ' ', ' ', ' ', '  ', '\t', ' \t');
const body = fc.tuple(fc.array(fc.tuple(piece, space), { minLength: 0, maxLength: 4 }), fc.constantFrom('', '', '', '', ' ', '\t', ',', ';'))
  .map(([ps, end]) => ps.map(([p, s], i) => (i > 0 ? s : '') + p).join('') + end);
const chainWord = fc.constantFrom(...CHAINS, ...CHAINS, 'nope', 'a;', 'a,', '"a"', '#a', 'a\tb');
const mapElement = fc.tuple(
  fc.constantFrom('add element ip t m { ', 'add element t m { ', 'add  element ip t m  {  ', 'add element ip t nope { ', 'add element ip t m {', 'delete element ip t m { '),
  fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.0/8', '10.0.0.256', '10.0.0.1,'),
  fc.constantFrom(' . tcp . 80', ' . udp . 53', ' . 6 . 65535', ' . tcp . 65536', ' . tcp . 1-2', ' . tcp', ' .tcp . 80', ''),
  fc.constantFrom(' : goto a', ' : jump mark-for-masquerade', ' : drop', ' : goto nope', ' : goto a}', ' :goto a', ' comment "c"', ' timeout 1s', ''),
  fc.constantFrom(' }', '}', ' } x', ', 10.0.0.3 . tcp . 80 : drop }', ' '),
).map((p) => p.join(''));
const setElement = fc.tuple(
  fc.constantFrom('add element ip t s { ', 'add element ip t st { ', 'add element ip t st {'),
  fc.constantFrom('10.0.0.1', '10.0.0.2', '10.0.0.0/8', '10.0.0.1/33', '10.0.0.1 . tcp'),
  fc.constantFrom('', '', ' : drop', ' timeout 1s', ' comment "c"'),
  fc.constantFrom(' }', ' }', '}', ', 10.0.0.3 }'),
).map((p) => p.join(''));
const element = fc.oneof(mapElement, setElement);
const line = fc.oneof(
  element,
  fc.tuple(fc.constantFrom('add rule ip t ', 'add rule t ', 'add rule inet t ', 'add rule ip6 t ', 'add rule ip u ', 'add rule bridge t ', 'add  rule  ip  t  ', 'insert rule ip t '), chainWord, fc.constantFrom(' ', '  ', '\t'), body).map((p) => p.join('')),
  fc.tuple(fc.constantFrom('add chain ip t ', 'flush chain ip t ', 'add chain t ', 'flush chain ip ', 'add chain ip t  '), fc.constantFrom(...CHAINS, 'new', 'new2', 'nope', 'x;', 'x{', 'c\t', 'c ,', 'c {'), fc.constantFrom('', ' ', ' # note', ' { comment "c" ; }')).map((p) => p.join('')),
);

const SETUP = ['add table ip t', ...CHAINS.map((c) => `add chain ip t ${c}`), 'add set ip t s { type ipv4_addr ; }', 'add set ip t st { type ipv4_addr ; flags timeout ; timeout 1h ; }', 'add map ip t m { type ipv4_addr . inet_proto . inet_service : verdict ; }', 'add table ip6 t', 'add chain ip6 t a'];

/**
 * Run the setup, then each line as a transaction of its own (one bad line does not hide
 * the rest): each one's exit code and error, and the ruleset listed with handles after it.
 */
function run(lines: string[]): { exitCode: number; error: string; list: string }[] {
  const rs = createNftRuleset();
  nftRun(rs, SETUP.join('\n') + '\n');
  return lines.map((l) => {
    const r = nftRun(rs, l + '\n');
    // The in-place run and the tab-led one point at different columns: compare the message.
    const error = r.stderr.split('\n')[0]!.replace(/^.*?Error: /, '');
    return { exitCode: r.exitCode, error, list: listRuleset(rs, { handles: true, now: 1 }) };
  });
}

describe('nft -f: lines read in place give what the general reader gives', () => {
  it('property: same ruleset, handles and use counts included, or the same error', () => {
    // Use counts: a chain something still jumps to cannot be deleted.
    const teardown = [...CHAINS, ...CHAINS].flatMap((c) => [`delete chain ip t ${c}`, `flush chain ip t ${c}`]);
    let changed = 0;
    fc.assert(
      fc.property(fc.array(line, { minLength: 1, maxLength: 8 }), (lines) => {
        const fast = run([...lines, ...teardown]);
        expect(fast).toEqual(run([...lines.map((l) => '\t' + l), ...teardown]));
        changed += fast.slice(0, lines.length).filter((r) => r.exitCode === 0).length;
      }),
      { numRuns: 300, seed: 20261127 },
    );
    expect(changed).toBeGreaterThan(250);
  });

  it('property: one transaction of lines read either way gives what the general reader gives', () => {
    const once = (lines: string[]) => run([lines.join('\n')])[0];
    let ok = 0;
    fc.assert(
      fc.property(fc.array(fc.tuple(line, fc.boolean()), { minLength: 1, maxLength: 4 }), (lines) => {
        const mixed = once(lines.map(([l, tab]) => (tab ? '\t' : '') + l));
        const general = once(lines.map(([l]) => '\t' + l));
        // Errors name their line; the column moves with the tab.
        expect(mixed).toEqual(general);
        if (mixed!.exitCode === 0) ok++;
      }),
      { numRuns: 300, seed: 11 },
    );
    expect(ok).toBeGreaterThan(30);
  });

  it('property: RuleReader.scan reads a body as parseRule does, or leaves it to parseRule', () => {
    const chains: ChainResolver = {
      chainName: (w) => {
        const name = w.slice();
        return w.plain() && CHAINS.includes(name) ? name : undefined;
      },
    };
    fc.assert(
      fc.property(body, (text) => {
        const w = new Words();
        w.start(text, 0, text.length);
        const r = new RuleReader();
        const stmts = r.scan(w, chains);
        if (!stmts) return;
        const parsed = parseRule(tokenize(text));
        expect(stmts).toEqual(parsed.stmts);
        expect(r.comment).toBe(parsed.comment);
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it('kube-proxy lines are read in place: the same ruleset as the general reader', () => {
    const lines = [
      'add chain ip t service-X-ns/svc/tcp/p\nflush chain ip t service-X-ns/svc/tcp/p',
      'add rule ip t service-X-ns/svc/tcp/p ip daddr 10.96.0.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade',
      'add rule ip t service-X-ns/svc/tcp/p numgen random mod 2 vmap { 0 : goto endpoint-X-ns/svc/tcp/p__10.0.0.1/80 , 1 : goto a }',
      'add rule ip t endpoint-X-ns/svc/tcp/p__10.0.0.1/80 ip saddr 10.0.0.1 jump mark-for-masquerade',
      'add rule ip t endpoint-X-ns/svc/tcp/p__10.0.0.1/80 meta l4proto tcp dnat to 10.0.0.1:80',
      'add rule ip t a ip daddr @s reject comment "Reject traffic"',
      'add rule ip t b ip daddr . meta l4proto . th dport vmap @m',
      'add rule ip t b fib saddr type local jump a comment "masquerade local traffic"',
      'add rule ip t b masquerade fully-random',
      'add element ip t m { 10.96.0.10 . tcp . 80 : goto service-X-ns/svc/tcp/p }',
      'add element ip t s { 10.96.0.10 }',
    ];
    const fast = run(lines);
    expect(fast.map((r) => r.exitCode)).toEqual(lines.map(() => 0));
    expect(fast).toEqual(run(lines.map((l) => '\t' + l.replace('\n', '\n\t'))));
  });
});
