// The node tools as a learner reaches them (ssh NODE …): never a thrown exception for any argv,
// and the behaviour of the iptables* wrappers that does not depend on the engine's front ends.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../engine';
import { createSession } from '../../index';
import { IPTABLES_HELP, IPTABLES_RESTORE_HELP } from './help';

const WORDS = [
  'iptables', 'iptables-save', 'iptables-restore', 'ipvsadm', 'ipset', 'conntrack', 'ip',
  '-t', 'nat', 'filter', 'mangle', '-L', '-S', '-n', '-v', '-x', '--line-numbers', '-A', '-I', '-D', '-R', '-N', '-X', '-F', '-Z', '-P',
  '-C', 'KUBE-SERVICES', 'INPUT', 'FOO', '-j', 'DROP', 'ACCEPT', 'RETURN', '-p', 'tcp', 'udp', '--dport', '80', '-m', 'comment',
  '--comment', 'x', '-s', '10.0.0.1', '-d', '10.96.0.10/32', '!', '-w', '-c', '--test', '--noflush', '-Ln', '--stats', '--rate',
  '--timeout', '-t', '10.96.0.10:53', '-u', '-a', '-r', '10.244.1.2:53', '-m', '-A', 'list', 'test', 'add', 'del', 'KUBE-CLUSTER-IP',
  '10.96.0.1,tcp:443', '-q', '--orig-dst', 'addr', 'a', 'route', 'r', 'get', 'link', 'show', 'dev', 'eth0', '-br', '-4', 'help', '',
];

describe('node tools', () => {
  it('print the real help texts (iptables -h on stdout, iptables-restore -h on stderr)', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    await s.run('ssh worker');
    expect(await s.run('iptables -h')).toEqual({ stdout: IPTABLES_HELP, stderr: '', exitCode: 0 });
    expect(await s.run('iptables-restore -h')).toEqual({ stdout: '', stderr: IPTABLES_RESTORE_HELP, exitCode: 0 });
    expect(await s.run('iptables-restore nope.rules')).toEqual({ stdout: '', stderr: "Can't open nope.rules: No such file or directory\n", exitCode: 1 });
  });

  it('exist on nodes only; netshoot pods get iproute2 ip but not the netfilter tools', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    expect((await s.run('ipvsadm -Ln')).stderr).toBe('bash: ipvsadm: command not found\n');
    expect((await s.run('ssh worker ipvsadm -Ln')).stdout).toMatch(/^IP Virtual Server version 1.2.1 \(size=4096\)\n/);
  });

  it('iptables-restore --test changes nothing; without it the rules land', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    await s.run('ssh worker');
    await s.run("printf '*filter\\n:BAR - [0:0]\\n-A BAR -j ACCEPT\\nCOMMIT\\n' > bar.rules");
    expect((await s.run('iptables-restore --test bar.rules')).exitCode).toBe(0);
    expect((await s.run('iptables -S BAR')).exitCode).toBe(1);
    expect((await s.run('iptables-restore -n < bar.rules')).exitCode).toBe(0);
    expect((await s.run('iptables -S BAR')).stdout).toBe('-N BAR\n-A BAR -j ACCEPT\n');
  });

  it('never throw, whatever the arguments', async () => {
    const s = createSession({ cluster: createCluster({ seed: 3 }) });
    await s.run('ssh worker');
    const line = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 9 }).map((w) => w.join(' '));
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        const r = await s.run(l);
        expect(Number.isInteger(r.exitCode)).toBe(true);
      }),
      { numRuns: 300 },
    );
    expect(s.bugs).toEqual([]);
  }, 120_000);
});
