// Round trip: for canonical iptables-save text x, print(parse(x)) === x; for any parsed
// ruleset y, parse(print(y)) is y again. The canonical forms used by the generator are the
// ones the real iptables-save v1.8.9 prints (see testdata/*.expected for the oracle).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createIpSet, createNetfilter, iptablesRestore, iptablesSave, type Netfilter } from './index';
import { NAT_HEAD as HEAD, natRuleset, ruleSpec } from './testdata/rulegen';

function load(text: string): Netfilter {
  const nf = createNetfilter();
  for (const n of ['KUBE-CLUSTER-IP', 'KUBE-LOOP-BACK']) nf.ipsets.set(n, createIpSet(n, 'hash:ip,port') as never);
  const r = iptablesRestore(nf, text);
  if (r.exitCode !== 0) throw new Error(`${r.stderr}\n${text}`);
  return nf;
}


function strip(nf: Netfilter): unknown {
  return [...nf.tables.values()].map((t) => [...t.chains.values()].map((c) => ({ ...c, version: 0 })));
}

describe('round trip', () => {
  it('print(parse(x)) === x for canonical iptables-save text', () => {
    fc.assert(fc.property(natRuleset, (text) => {
      const printed = iptablesSave(load(text), { now: 0 }).split('\n').filter((l) => !l.startsWith('#')).join('\n');
      expect(printed).toBe(text);
    }), { numRuns: 300 });
  });

  it('parse(print(y)) is y', () => {
    fc.assert(fc.property(fc.array(ruleSpec, { maxLength: 12 }), (specs) => {
      const text = HEAD + specs.map((s) => (s.includes('-j DNAT') ? `-A KUBE-SERVICES${s}\n` : `-A POSTROUTING${s}\n`)).join('') + 'COMMIT\n';
      const y = load(text);
      const again = load(iptablesSave(y, { now: 0 }));
      expect(strip(again)).toEqual(strip(y));
    }), { numRuns: 200 });
  });
});
