import { describe, expect, it } from 'vitest';
import { kubeRestoreText } from './kubegen';
import { iptablesRestore, tokenizeRestoreLine } from './restore';
import { createNetfilter } from './ruleset';
import { parseCommandLine, type ParsedCommand } from './rulespec';
import { iptablesSave } from './save';
import type { Rule } from './types';

describe('tokenizeRestoreLine (add_param_to_argv)', () => {
  it('splits on blanks and keeps quoted words whole, with backslash escapes inside quotes', () => {
    expect(tokenizeRestoreLine('-A X  -m comment --comment "a \\"b\\" \\\\ c" -j ACCEPT')).toEqual(['-A', 'X', '-m', 'comment', '--comment', 'a "b" \\ c', '-j', 'ACCEPT']);
    expect(tokenizeRestoreLine('--comment "" -j A')).toEqual(['--comment', '', '-j', 'A']);
    expect(tokenizeRestoreLine('ab"c d"e f')).toEqual(['abc d', 'e', 'f']);
    expect(tokenizeRestoreLine("--comment 'x y'")).toEqual(['--comment', "'x", "y'"]);
  });
});

describe('iptablesRestore', () => {
  it('restores each rule line as the general path parses it (lines read in place, shared parts and all)', () => {
    const text = kubeRestoreText({ services: 40, endpoints: 3, affinityEvery: 7, noEndpointsEvery: 9 });
    const nf = createNetfilter();
    const r = iptablesRestore(nf, text, { noflush: true, counters: true });
    expect(r).toEqual({ exitCode: 0, stderr: '' });
    // The rules of each chain, in order, as parseCommandLine reads the lines.
    let table = '';
    const want = new Map<string, Rule[]>();
    for (const line of text.split('\n')) {
      if (line.startsWith('*')) table = line.slice(1);
      if (!line.startsWith('-A ')) continue;
      const pc = parseCommandLine(tokenizeRestoreLine(line), table) as ParsedCommand;
      const key = `${table} ${pc.chain}`;
      want.set(key, [...(want.get(key) ?? []), pc.rule!]);
    }
    let rules = 0;
    for (const [name, t] of nf.tables) {
      for (const c of t.chains.values()) {
        expect(c.rules, `${name} ${c.name}`).toStrictEqual(want.get(`${name} ${c.name}`) ?? []);
        rules += c.rules.length;
      }
    }
    expect(rules).toBeGreaterThan(400);
    // Restored again from its own iptables-save text: the same.
    const again = createNetfilter();
    expect(iptablesRestore(again, iptablesSave(nf, { now: 0 })).exitCode).toBe(0);
    expect(iptablesSave(again, { now: 0 })).toBe(iptablesSave(nf, { now: 0 }));
  });
});

describe('iptablesRestore: loops', () => {
  it('refuses a rule that closes a loop of jumps, through chains with other rules (ELOOP)', () => {
    const text = '*filter\n:A - [0:0]\n:B - [0:0]\n:C - [0:0]\n:M - [0:0]\n-A M -j ACCEPT\n-A A -j M\n-A A -j B\n-A B -s 10.0.0.1 -j RETURN\n-A B -j C\n-A C -j M\n';
    expect(iptablesRestore(createNetfilter(), text + 'COMMIT\n').exitCode).toBe(0);
    const r = iptablesRestore(createNetfilter(), text + '-A C -g A\nCOMMIT\n');
    expect(r).toEqual({ exitCode: 4, stderr: 'iptables-restore v1.8.9 (nf_tables): \nline 12: RULE_APPEND failed (Too many links): rule in chain C\n' });
    expect(iptablesRestore(createNetfilter(), '*filter\n:A - [0:0]\n-A A -j A\nCOMMIT\n').exitCode).toBe(4);
  });
});
