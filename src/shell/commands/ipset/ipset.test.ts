// Expected texts captured from the real ipset v7.17 on a 6.x kernel (in `unshare -n`).
import { describe, expect, it } from 'vitest';
import { run, type IpsetHost, type IpSetLike } from './ipset';

function host(): IpsetHost & { refs: Map<string, number> } {
  const set = (name: string, type: string, members: string[], options: Record<string, string> = { family: 'inet', hashsize: '1024', maxelem: '65536' }): [string, IpSetLike] =>
    [name, { name, type, members: new Set(members), options }];
  const refs = new Map<string, number>([['KUBE-CLUSTER-IP', 2]]);
  return {
    refs,
    sets: new Map([
      set('KUBE-CLUSTER-IP', 'hash:ip,port', ['10.96.0.1,tcp:443', '10.96.0.10,udp:53', '10.96.0.10,tcp:9153', '10.96.0.10,tcp:53']),
      set('KUBE-NODE-PORT-TCP', 'bitmap:port', ['30080', '30001'], { range: '0-65535' }),
      set('KUBE-IPVS-IPS', 'hash:ip', ['10.96.0.10', '10.96.0.1']),
    ]),
    references: (n) => refs.get(n) ?? 0,
    initval: () => 0xd6c7629f,
  };
}

describe('ipset list', () => {
  it('prints the plain format with a blank line between sets', () => {
    expect(run(['list'], host()).stdout).toBe(`Name: KUBE-CLUSTER-IP
Type: hash:ip,port
Revision: 7
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xd6c7629f
Size in memory: 408
References: 2
Number of entries: 4
Members:
10.96.0.1,tcp:443
10.96.0.10,udp:53
10.96.0.10,tcp:9153
10.96.0.10,tcp:53

Name: KUBE-NODE-PORT-TCP
Type: bitmap:port
Revision: 3
Header: range 0-65535
Size in memory: 8264
References: 0
Number of entries: 2
Members:
30001
30080

Name: KUBE-IPVS-IPS
Type: hash:ip
Revision: 6
Header: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xd6c7629f
Size in memory: 296
References: 0
Number of entries: 2
Members:
10.96.0.10
10.96.0.1
`);
  });

  it('lists names with -n (before or after the command), headers with -t, save format', () => {
    const names = 'KUBE-CLUSTER-IP\nKUBE-NODE-PORT-TCP\nKUBE-IPVS-IPS\n';
    expect(run(['-n', 'list'], host()).stdout).toBe(names);
    expect(run(['list', '-n'], host()).stdout).toBe(names);
    expect(run(['-L', 'KUBE-IPVS-IPS', '-t'], host()).stdout).toBe('Name: KUBE-IPVS-IPS\nType: hash:ip\nRevision: 6\nHeader: family inet hashsize 1024 maxelem 65536 bucketsize 12 initval 0xd6c7629f\nSize in memory: 296\nReferences: 0\nNumber of entries: 2\n');
    expect(run(['save', 'KUBE-NODE-PORT-TCP'], host()).stdout).toBe('create KUBE-NODE-PORT-TCP bitmap:port range 0-65535\nadd KUBE-NODE-PORT-TCP 30001\nadd KUBE-NODE-PORT-TCP 30080\n');
  });

  it('answers errors like ipset 7.17', () => {
    const h = host();
    expect(run(['list', 'NOPE'], h)).toEqual({ stdout: '', stderr: 'ipset v7.17: The set with the given name does not exist\n', exitCode: 1 });
    expect(run(['foo'], h)).toEqual({ stdout: '', stderr: "ipset v7.17: No command specified: unknown argument foo\nTry `ipset help' for more information.\n", exitCode: 1 });
    expect(run([], h)).toEqual({ stdout: '', stderr: "ipset v7.17: No command specified.\nTry `ipset help' for more information.\n", exitCode: 1 });
    expect(run(['list', 'KUBE-CLUSTER-IP', 'KUBE-IPVS-IPS'], h)).toEqual({ stdout: '', stderr: "ipset v7.17: Unknown argument KUBE-IPVS-IPS\nTry `ipset help' for more information.\n", exitCode: 2 });
    expect(run(['destroy', 'KUBE-CLUSTER-IP'], h)).toEqual({ stdout: '', stderr: 'ipset v7.17: Set cannot be destroyed: it is in use by a kernel component\n', exitCode: 1 });
    expect(run(['add', 'KUBE-NODE-PORT-TCP', '70000'], h).stderr).toBe("ipset v7.17: Syntax error: '70000' is out of range 0-65535\nSyntax error: 'tcp' is invalid as number\ncannot parse '70000' as a tcp port\n");
  });
});

describe('ipset test/add/del', () => {
  it('tests membership with the normalised element', () => {
    const h = host();
    expect(run(['test', 'KUBE-CLUSTER-IP', '10.96.0.1,443'], h)).toEqual({ stdout: '', stderr: 'Warning: 10.96.0.1,tcp:443 is in set KUBE-CLUSTER-IP.\n', exitCode: 0 });
    expect(run(['test', 'KUBE-CLUSTER-IP', '10.96.0.2,tcp:443'], h)).toEqual({ stdout: '', stderr: '10.96.0.2,tcp:443 is NOT in set KUBE-CLUSTER-IP.\n', exitCode: 1 });
    expect(run(['test', 'KUBE-CLUSTER-IP', '10.96.0.2'], h).stderr).toBe('ipset v7.17: Syntax error: Second element is missing from 10.96.0.2.\n');
    expect(run(['test', 'KUBE-IPVS-IPS', '10.96.0.1,tcp:3'], h).stderr).toBe('ipset v7.17: Syntax error: Elem separator in 10.96.0.1,tcp:3, but settype hash:ip supports none.\n');
    expect(run(['test', 'KUBE-CLUSTER-IP', '1.2.3.4,foo:1'], h).stderr).toBe("ipset v7.17: Syntax error: cannot parse 'foo' as a protocol\n");
  });

  it('adds and deletes, refusing duplicates and missing elements', () => {
    const h = host();
    expect(run(['add', 'KUBE-CLUSTER-IP', '10.96.0.1,tcp:443'], h)).toEqual({ stdout: '', stderr: "ipset v7.17: Element cannot be added to the set: it's already added\n", exitCode: 1 });
    expect(run(['-exist', 'add', 'KUBE-CLUSTER-IP', '10.96.0.1,tcp:443'], h).exitCode).toBe(0);
    expect(run(['del', 'KUBE-CLUSTER-IP', '10.96.0.9,tcp:443'], h)).toEqual({ stdout: '', stderr: "ipset v7.17: Element cannot be deleted from the set: it's not added\n", exitCode: 1 });
    expect(run(['add', 'KUBE-CLUSTER-IP', '10.96.0.9,udp:53'], h).exitCode).toBe(0);
    expect(run(['del', 'KUBE-CLUSTER-IP', '10.96.0.1,tcp:443'], h).exitCode).toBe(0);
    expect([...h.sets.get('KUBE-CLUSTER-IP')!.members]).toEqual(['10.96.0.10,udp:53', '10.96.0.10,tcp:9153', '10.96.0.10,tcp:53', '10.96.0.9,udp:53']);
  });
});
