// Texts checked against the real conntrack v1.4.7 (in `unshare -n`).
import { describe, expect, it } from 'vitest';
import { createCluster } from '../../../engine';
import { run } from './conntrack';

const ip = (s: string) => s.split('.').reduce((a, o) => a * 256 + Number(o), 0);

function table() {
  const h = createCluster({ seed: 1 }).node('worker');
  if (!h.ok) throw new Error(h.error.message);
  const ct = h.value.conntrack;
  ct.flush();
  // A pod's DNS query to kube-dns, DNATed to a CoreDNS pod, answered.
  const dns = ct.create({ proto: 17, src: ip('10.244.1.5'), dst: ip('10.96.0.10'), sport: 40000, dport: 53 });
  dns.reply = { proto: 17, src: ip('10.244.1.2'), dst: ip('10.244.1.5'), sport: 53, dport: 40000 };
  dns.dnat = true;
  ct.confirm(dns);
  ct.seen(dns, 'original');
  ct.seen(dns, 'reply');
  // A TCP connection to the API server's ClusterIP, unanswered so far.
  const api = ct.create({ proto: 6, src: ip('10.244.1.5'), dst: ip('10.96.0.1'), sport: 50000, dport: 443 });
  api.reply = { proto: 6, src: ip('172.18.0.2'), dst: ip('10.244.1.5'), sport: 6443, dport: 50000 };
  api.dnat = true;
  ct.confirm(api);
  ct.seen(api, 'original');
  return ct;
}

describe('conntrack', () => {
  it('lists entries on stdout and the summary on stderr; filters by protocol, address and port', () => {
    const ct = table();
    const all = run(['-L'], ct);
    expect(all.exitCode).toBe(0);
    expect(all.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 2 flow entries have been shown.\n');
    expect(all.stdout.split('\n')).toHaveLength(3);
    const udp = run(['-L', '-p', 'udp', '--dport', '53'], ct);
    // (the timer column is the engine's conntrack timeout; the rest is the line format)
    expect(udp.stdout.replace(/^(udp {6}17) \d+ /, '$1 N ')).toBe('udp      17 N src=10.244.1.5 dst=10.96.0.10 sport=40000 dport=53 src=10.244.1.2 dst=10.244.1.5 sport=53 dport=40000 mark=0 use=1\n');
    expect(run(['-L', '-d', '10.96.0.1'], ct).stdout).toContain('tcp      6 119 SYN_SENT src=10.244.1.5 dst=10.96.0.1 sport=50000 dport=443 [UNREPLIED] src=172.18.0.2 dst=10.244.1.5 sport=6443 dport=50000 mark=0 use=1\n');
    expect(run(['-L', '--orig-dst', '10.96.0.99'], ct)).toEqual({ stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been shown.\n', exitCode: 0 });
    expect(run(['-L', '-g', '10.244.1.2'], ct).stdout).toContain('dport=53');
    expect(run(['-C'], ct)).toEqual({ stdout: '2\n', stderr: '', exitCode: 0 });
  });

  it('deletes matching entries (exit 1 when none) and flushes', () => {
    const ct = table();
    expect(run(['-D', '-p', 'tcp', '--dport', '80'], ct)).toEqual({ stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): 0 flow entries have been deleted.\n', exitCode: 1 });
    const d = run(['-D', '-p', 'udp'], ct);
    expect(d.exitCode).toBe(0);
    expect(d.stderr).toBe('conntrack v1.4.7 (conntrack-tools): 1 flow entries have been deleted.\n');
    expect(run(['-C'], ct).stdout).toBe('1\n');
    expect(run(['-F'], ct)).toEqual({ stdout: '', stderr: 'conntrack v1.4.7 (conntrack-tools): connection tracking table has been emptied.\n', exitCode: 0 });
    expect(run(['-C'], ct).stdout).toBe('0\n');
  });

  it('answers parameter problems with exit 2', () => {
    const ct = table();
    const tryLine = "Try `conntrack -h' or 'conntrack --help' for more information.\n";
    expect(run(['-L', '--dport', '80'], ct)).toEqual({ stdout: '', stderr: "conntrack v1.4.7 (conntrack-tools): unknown option `--dport'\n" + tryLine, exitCode: 2 });
    expect(run(['-L', '-s', 'foo'], ct).stderr).toBe("conntrack v1.4.7 (conntrack-tools): Invalid IP address `foo'\n" + tryLine);
    expect(run(['-L', '-p', 'foo'], ct).stderr).toBe("conntrack v1.4.7 (conntrack-tools): `foo' unsupported protocol\n" + tryLine);
    expect(run(['-L', '-L'], ct).stderr).toBe('conntrack v1.4.7 (conntrack-tools): Invalid commands combination\n' + tryLine);
    expect(run(['-X'], ct).stderr).toBe("conntrack v1.4.7 (conntrack-tools): unknown option `-X'\n" + tryLine);
    expect(run([], ct).stdout).toMatch(/^Command line interface for the connection tracking system. Version 1.4.7\n/);
  });
});
