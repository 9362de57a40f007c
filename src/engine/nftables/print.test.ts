import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createNftRuleset, findTable, listChain, listRuleset, listSet, listTable, nftRun } from './index';
import { sortedByCompare, sortedElements } from './print';
import type { DataType, NftSet, Value } from './types';

// The .list files are what the real nft 1.0.6 printed for the .nft file (loaded with
// `nft -f` in `unshare -n`; see scripts/dev/nft-crosscheck.ts).
const files = import.meta.glob('./testdata/*', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const read = (f: string): string => files[`./testdata/${f}`]!;

describe('nft list output (against real nft 1.0.6)', () => {
  it('prints a kube-proxy-like ruleset exactly as nft does', () => {
    const rs = createNftRuleset();
    const r = nftRun(rs, read('kube-proxy-sample.nft'));
    expect(r.stderr).toBe('');
    expect(listRuleset(rs)).toBe(read('kube-proxy-sample.list'));
  });
  it('prints handles with -a as the kernel hands them out', () => {
    const rs = createNftRuleset();
    nftRun(rs, read('kube-proxy-sample.nft'));
    expect(listTable(findTable(rs, 'ip', 'kube-proxy')!, { handles: true })).toBe(read('kube-proxy-sample.list-a'));
  });
});

describe('nft -f transactions', () => {
  // stderr as real nft 1.0.6 printed it for the same files (e1..e3.nft).
  const cases: [string, string][] = [
    ['add table ip t\nadd chain ip t c\nadd rule ip t nope drop\n', 'e1.nft:3:15-18: Error: Could not process rule: No such file or directory\nadd rule ip t nope drop\n              ^^^^\n'],
    ['add table ip t\nadd chain ip t c\nadd rule ip t c jump nope\n', 'e2.nft:3:22-25: Error: Could not process rule: No such file or directory\nadd rule ip t c jump nope\n                     ^^^^\n'],
    ['add table ip t\nadd chain ip t c\nadd rule ip t c frobnicate 3\n', 'e3.nft:3:17-26: Error: No symbol type information\nadd rule ip t c frobnicate 3\n                ^^^^^^^^^^\n'],
  ];
  it.each(cases.map(([input, err], i) => ({ input, err, file: `e${i + 1}.nft` })))('$file fails like nft and changes nothing', ({ input, err, file }) => {
    const rs = createNftRuleset();
    const r = nftRun(rs, input, { file });
    expect(r).toEqual({ exitCode: 1, stderr: err });
    expect(rs.tables).toEqual([]);
  });
  it('refuses to delete a chain a map element still points at, and a flushed, unreferenced one goes', () => {
    const rs = createNftRuleset();
    nftRun(rs, 'add table ip t\nadd chain ip t a\nadd map ip t m { type ipv4_addr : verdict ; }\nadd element ip t m { 10.0.0.1 : goto a }\n');
    expect(nftRun(rs, 'delete chain ip t a\n').stderr).toContain('Could not process rule: Device or resource busy');
    expect(nftRun(rs, 'delete element ip t m { 10.0.0.1 }\ndelete chain ip t a\n').exitCode).toBe(0);
    expect([...findTable(rs, 'ip', 't')!.chains.keys()]).toEqual([]);
  });
  it('a transaction that fails leaves a table it did not create as it was, use counts included', () => {
    const rs = createNftRuleset();
    nftRun(rs, 'add table ip t\nadd chain ip t a\nadd chain ip t b\nadd rule ip t b ip daddr 10.0.0.1 drop\nadd map ip t m { type ipv4_addr : verdict ; }\nadd element ip t m { 10.0.0.1 : goto b }\n');
    const before = listRuleset(rs, { handles: true });
    const tx = 'add chain ip t c\nadd rule ip t c jump a\nflush chain ip t b\nadd rule ip t b goto a\nadd element ip t m { 10.0.0.2 : jump a }\ndelete element ip t m { 10.0.0.1 }\nadd rule ip t nope drop\n';
    expect(nftRun(rs, tx).exitCode).toBe(1);
    expect(listRuleset(rs, { handles: true })).toBe(before);
    // Nothing jumps to a any more, so it can go; b is still a map element's target.
    expect(nftRun(rs, 'delete chain ip t a\n').exitCode).toBe(0);
    expect(nftRun(rs, 'flush chain ip t b\ndelete chain ip t b\n').stderr).toContain('Device or resource busy');
  });
  it('a tab after a chain name is a blank, and a comma after it is an error, as nft 1.0.6 reads them', () => {
    const rs = createNftRuleset();
    expect(nftRun(rs, 'add table ip t\nadd chain ip t c\t\nflush chain ip t c\n')).toEqual({ exitCode: 0, stderr: '' });
    expect([...findTable(rs, 'ip', 't')!.chains.keys()]).toEqual(['c']);
    expect(nftRun(rs, 'add chain ip t d,\n').exitCode).toBe(1);
    expect([...findTable(rs, 'ip', 't')!.chains.keys()]).toEqual(['c']);
  });
});

describe('kube-proxy transactions (against real nft 1.0.6)', () => {
  it('a full sync, a partial sync and a stale-chain cleanup list as nft lists them, handles included', () => {
    const rs = createNftRuleset();
    for (const t of read('proxier-small.nft').split('\n# next transaction\n')) expect(nftRun(rs, t).stderr).toBe('');
    expect(listRuleset(rs)).toBe(read('proxier-small.list'));
    expect(listRuleset(rs, { handles: true })).toBe(read('proxier-small.list-a'));
  });
  it('a node of the transcript cluster: our listing is what nft lists when given it', () => {
    expect(read('transcript-worker.nft')).toBe(read('transcript-worker.list'));
  });
});

describe('nft -f reads what nft list prints (table blocks)', () => {
  it('a block creates chains, then sets, then rules, as nft orders them (the handles show it)', () => {
    const rs = createNftRuleset();
    nftRun(rs, 'table ip t {\n\tchain a {\n\t}\n\tset s {\n\t\ttype ipv4_addr\n\t}\n\tchain b {\n\t\tip daddr @s jump a\n\t}\n}\n');
    // What the real nft 1.0.6 lists with -a after loading the same file.
    expect(listRuleset(rs, { handles: true })).toBe('table ip t { # handle 1\n\tset s { # handle 3\n\t\ttype ipv4_addr\n\t}\n\n\tchain a { # handle 1\n\t}\n\n\tchain b { # handle 2\n\t\tip daddr @s jump a # handle 4\n\t}\n}\n');
  });
  it.each(['kube-proxy-sample.list', 'proxier-small.list', 'transcript-worker.list'])('%s loads back to the same listing', (f) => {
    const rs = createNftRuleset();
    expect(nftRun(rs, read(f)).stderr).toBe('');
    expect(listRuleset(rs)).toBe(read(f));
  });
  it('a block with an error changes nothing and points at the line', () => {
    const rs = createNftRuleset();
    const r = nftRun(rs, 'table ip t {\n\tchain c {\n\t\tip daddr 10.0.0.1 jump nope\n\t}\n}\n', { file: 'x.nft' });
    // As the real nft 1.0.6 reports it (the marker line keeps the tabs).
    expect(r.stderr).toBe('x.nft:3:26-29: Error: Could not process rule: No such file or directory\n\t\tip daddr 10.0.0.1 jump nope\n\t\t                       ^^^^\n');
    expect(rs.tables).toEqual([]);
  });
});

describe('numeric output (-n, -p)', () => {
  // What the real nft 1.0.6 printed for kube-proxy-sample.nft with -n / -p.
  const rs = createNftRuleset();
  nftRun(rs, read('kube-proxy-sample.nft'));
  const t = findTable(rs, 'ip', 'kube-proxy')!;
  it('-n: protocols, fib types, ct state bits, priorities and times as numbers', () => {
    expect(listChain(t, t.chains.get('services')!, { numeric: true })).toBe('table ip kube-proxy {\n\tchain services {\n\t\tip daddr . meta l4proto . th dport vmap @service-ips\n\t\tfib daddr type 2 ip daddr != 127.0.0.0/8 meta l4proto . th dport vmap @service-nodeports\n\t}\n}\n');
    expect(listChain(t, t.chains.get('filter-input')!, { numeric: true })).toBe('table ip kube-proxy {\n\tchain filter-input {\n\t\ttype filter hook input priority 0; policy accept;\n\t\tct state 0x8 jump nodeport-endpoints-check\n\t\tct state 0x8 jump service-endpoints-check\n\t}\n}\n');
    expect(listSet(t, t.sets.get('affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80')!, { numeric: true })).toBe('table ip kube-proxy {\n\tset affinity-GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80 {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 10800s\n\t}\n}\n');
  });
  it('-p: protocols as numbers', () => {
    expect(listSet(t, t.sets.get('service-nodeports')!, { numericProto: true })).toBe('table ip kube-proxy {\n\tmap service-nodeports {\n\t\ttype inet_proto . inet_service : verdict\n\t\tcomment "NodePort traffic"\n\t\telements = { 6 . 3003 : goto services,\n\t\t\t     132 . 3004 : goto services }\n\t}\n}\n');
  });
});

describe('set elements with timeouts', () => {
  it('prints expiry and per-element timeouts as nft does; a set gets size 65535 only once an update rule uses it', () => {
    const rs = createNftRuleset();
    nftRun(rs, 'add table ip t\nadd set ip t s { type ipv4_addr ; flags dynamic,timeout ; timeout 10800s ; }\nadd element ip t s { 10.0.0.1, 10.0.0.2 timeout 1h }\n', { now: 0 });
    const t = findTable(rs, 'ip', 't')!;
    // The real nft 1.0.6, 1.216 s after the add.
    expect(listSet(t, t.sets.get('s')!, { now: 1216 })).toBe('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t\telements = { 10.0.0.1 expires 2h59m58s784ms, 10.0.0.2 timeout 1h expires 59m58s784ms }\n\t}\n}\n');
    expect(listSet(t, t.sets.get('s')!, { now: 1216, stateless: true })).toContain('elements = { 10.0.0.1, 10.0.0.2 timeout 1h }');
    nftRun(rs, 'add chain ip t c\nadd rule ip t c update @s { ip saddr }\n');
    expect(listSet(t, t.sets.get('s')!, { now: 1216, terse: true })).toBe('table ip t {\n\tset s {\n\t\ttype ipv4_addr\n\t\tsize 65535\n\t\tflags dynamic,timeout\n\t\ttimeout 3h\n\t}\n}\n');
  });
});

describe('which errors nft reports itself and which the kernel does', () => {
  // stderr's first line as the real nft 1.0.6 printed it for the same stdin.
  it.each([
    ['add chain ip nope c', '/dev/stdin:1:14-17: Error: No such file or directory'],
    ['add rule ip nope c drop', '/dev/stdin:1:13-16: Error: Could not process rule: No such file or directory'],
    ['add set ip nope s { type ipv4_addr ; }', '/dev/stdin:1:12-15: Error: No such file or directory'],
    ['add element ip nope s { 1.2.3.4 }', '/dev/stdin:1:16-19: Error: No such file or directory'],
    ['flush chain ip nope c', '/dev/stdin:1:16-19: Error: Could not process rule: No such file or directory'],
    ['delete chain ip nope c', '/dev/stdin:1:17-20: Error: Could not process rule: No such file or directory'],
    ['delete table ip nope', '/dev/stdin:1:17-20: Error: Could not process rule: No such file or directory'],
    ['add table ip t\nadd element ip t s { 1.2.3.4 }', '/dev/stdin:2:18-18: Error: No such file or directory'],
    ['add table ip t\nflush chain ip t c', '/dev/stdin:2:18-18: Error: Could not process rule: No such file or directory'],
    ['add table ip t\nadd chain ip t c\nadd rule ip t c ip daddr @s drop', '/dev/stdin:3:26-27: Error: No such file or directory'],
    ['add table ip t\nadd map ip t m { type ipv4_addr : verdict ; }\nadd element ip t m { 1.2.3.4 : goto x }', '/dev/stdin:3:22-28: Error: Could not process rule: No such file or directory'],
  ])('%s', (input, first) => {
    expect(nftRun(createNftRuleset(), input + '\n', { file: '/dev/stdin' }).stderr.split('\n')[0]).toBe(first);
  });
});

describe('set elements in nft order', () => {
  // The keyed native sort against the comparison it replaces: single values (ties between
  // an address and its prefixes, numbers past 2^31) and concatenations (equal keys keep
  // the order they were added in).
  const addr = fc.record({ t: fc.constant('addr' as const), base: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff })), bits: fc.constantFrom(8, 24, 32) });
  const num = fc.record({ t: fc.constant('num' as const), n: fc.oneof(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 0xffffffff })) });
  const set = (keyType: DataType[], key: fc.Arbitrary<Value[]>): fc.Arbitrary<NftSet> =>
    fc.array(key, { maxLength: 40 }).map((keys) => ({
      name: 's', handle: 1, isMap: false, keyType, flags: [],
      elements: new Map(keys.map((k, i) => [String(i), { key: k }])),
    }));
  const sets = fc.oneof(
    set(['ipv4_addr'], addr.map((v) => [v])),
    set(['mark'], num.map((v) => [v])),
    set(['inet_service'], fc.oneof(num, fc.constant<Value>({ t: 'str', s: 'x', wildcard: false })).map((v) => [v])),
    set(['ipv4_addr', 'inet_proto', 'inet_service'], fc.tuple(addr, num, num)),
    set(['inet_proto', 'inet_service'], fc.tuple(num, num)),
  );
  it('sorts as the comparison does', () => {
    fc.assert(fc.property(sets, (s) => {
      expect(sortedElements(s)).toEqual(sortedByCompare(s, [...s.elements.values()]));
    }), { numRuns: 500 });
  });
});
