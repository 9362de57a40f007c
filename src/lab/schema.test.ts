import { describe, expect, it } from 'vitest';
import { checkSchema, labSchema } from './schema';

describe('lab checks', () => {
  it('an object check needs exactly one comparison', () => {
    const two = checkSchema.safeParse({ type: 'object', resource: 'service/web', jsonpath: '{.spec.type}', equals: 'ClusterIP', exists: true });
    expect(two.success).toBe(false);
    expect(two.error!.issues[0]!.message).toBe('give exactly one of equals, matches or exists');
    const one = checkSchema.safeParse({ type: 'object', resource: 'service/web', jsonpath: '{.spec.type}', equals: 'ClusterIP' });
    expect(one.success && one.data).toMatchObject({ namespace: 'default' });
  });

  it('a reach check expects allowed or denied', () => {
    expect(checkSchema.safeParse({ type: 'reach', from: 'client', to: 'http://web', expect: 'allowed' }).success).toBe(true);
    expect(checkSchema.safeParse({ type: 'reach', from: 'client', to: 'http://web', expect: 'maybe' }).success).toBe(false);
  });

  it('a pattern must compile, and says where it does not', () => {
    const r = checkSchema.safeParse({ type: 'rule', node: 'worker', matches: '^-A KUBE-SVC-(' });
    expect(r.error!.issues[0]).toMatchObject({ path: ['matches'], message: 'not a regular expression: Invalid regular expression: /^-A KUBE-SVC-(/: Unterminated group' });
    expect(checkSchema.safeParse({ type: 'rule', node: 'worker', matches: '^-A KUBE-SVC-', counters: true }).success).toBe(true);
  });

  it('a rule check reads iptables-save by default, or nft list ruleset without table or counters', () => {
    expect(checkSchema.parse({ type: 'rule', node: 'worker', matches: 'x' })).toMatchObject({ tool: 'iptables-save', counters: false });
    expect(checkSchema.safeParse({ type: 'rule', tool: 'nft', node: 'worker', matches: 'vmap @service-ips' }).success).toBe(true);
    const table = checkSchema.safeParse({ type: 'rule', tool: 'nft', node: 'worker', table: 'nat', matches: 'x' });
    expect(table.error!.issues[0]).toMatchObject({ path: ['table'], message: 'table and counters are for iptables-save; tool: nft matches lines of `nft list ruleset`' });
    expect(checkSchema.safeParse({ type: 'rule', tool: 'nft', node: 'worker', counters: true, matches: 'x' }).error!.issues[0]!.path).toEqual(['counters']);
    expect(checkSchema.safeParse({ type: 'rule', tool: 'nftables', node: 'worker', matches: 'x' }).success).toBe(false);
  });

  it('a resource is KIND/NAME', () => {
    const r = checkSchema.safeParse({ type: 'object', resource: 'web', jsonpath: '{.x}', exists: true });
    expect(r.error!.issues[0]!.message).toBe('expected KIND/NAME, e.g. service/web');
  });
});

describe('labSchema', () => {
  const lab = {
    title: 'A lab',
    summary: 'A summary long enough to pass.',
    level: 'basic',
    minutes: 10,
    tasks: [{ id: 't1', title: 'Task one', text: 'Do the thing.', checks: [{ type: 'file', path: '~/x', contains: 'y' }] }],
    solution: ['echo y > ~/x'],
  };
  it('fills defaults', () => {
    const r = labSchema.parse(lab);
    expect(r).toMatchObject({ lessons: [], setup: [], hints: [], cluster: {} });
  });
  it('refuses unknown fields (a typo is an error, not ignored)', () => {
    const r = labSchema.safeParse({ ...lab, hint: ['x'] });
    expect(r.error!.issues[0]!.message).toBe("Unrecognized key(s) in object: 'hint'");
  });
  it('refuses a setup file that is not YAML', () => {
    const r = labSchema.safeParse({ ...lab, setup: ['manifests/web.json'] });
    expect(r.error!.issues[0]).toMatchObject({ path: ['setup', 0], message: 'expected a .yaml file' });
  });
});
