import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createCluster } from '../engine';
import { createSession, terminalText } from './index';

describe('session contexts', () => {
  it('shows the workstation prompt, enters a node with ssh and returns with exit', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    expect(s.prompt()).toBe('user@workstation:~$ ');
    await s.run('cd /tmp');
    expect(s.prompt()).toBe('user@workstation:/tmp$ ');
    expect((await s.run('ssh worker')).exitCode).toBe(0);
    expect(s.prompt()).toBe('root@worker:~# ');
    expect(s.place).toEqual({ kind: 'node', node: 'worker' });
    const out = await s.run('exit');
    expect(terminalText(out)).toBe('logout\nConnection to worker closed.\n');
    expect(s.prompt()).toBe('user@workstation:/tmp$ ');
  });

  it('keeps exported variables and files between lines, like a terminal', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), files: { '/home/user/note.txt': 'hi\n' } });
    await s.run('export NS=kube-system');
    expect((await s.run('kubectl get deploy -n $NS -o name')).stdout).toBe('deployment.apps/coredns\n');
    expect((await s.run('cat note.txt')).stdout).toBe('hi\n');
  });

  it('keeps $? from one prompt line to the next, and the status a nested shell exited with', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    await s.run('false');
    expect((await s.run('echo $?')).stdout).toBe('1\n');
    expect((await s.run('echo $?')).stdout).toBe('0\n'); // the echo's own status
    await s.run('kubectl get pod nope');
    expect((await s.run('echo $?')).stdout).toBe('1\n');
    await s.run('ssh worker');
    expect((await s.run('echo $?')).stdout).toBe('0\n');
    await s.run('exit 4');
    expect((await s.run('echo $?')).stdout).toBe('4\n');
  });

  it('kubectl run -it --rm runs a one-shot command in the new pod on the terminal, then deletes the pod', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }), interactive: true });
    const r = await s.run("kubectl run t --rm -it --restart=Never --image=busybox:1.36 -- sh -c 'hostname; echo oops >&2; exit 2'");
    expect(terminalText(r)).toBe(
      'All commands and output from this session will be recorded in container logs, including credentials and sensitive information passed through the command prompt.\n' +
        "If you don't see a command prompt, try pressing enter.\n" +
        "t\noops\nSession ended, resume using 'kubectl attach t -c t -n default -i -t' command\n" +
        'pod "t" deleted from default namespace\npod default/t terminated (Error)\n',
    );
    expect(r.exitCode).toBe(2);
  });

  it('answers unknown commands like bash', async () => {
    const s = createSession({ cluster: createCluster({ seed: 1 }) });
    expect(await s.run('frobnicate --now')).toEqual({ stdout: '', stderr: 'bash: frobnicate: command not found\n', exitCode: 127 });
  });

  it('enters a pod shell with the image prompt (busybox: "/ # ")', async () => {
    const cluster = createCluster({
      seed: 1,
      manifests: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: box\nspec:\n  containers:\n  - name: box\n    image: busybox:1.36\n    command: ["sleep", "3600"]\n',
    });
    cluster.tick(30_000);
    const s = createSession({ cluster });
    const r = await s.run('kubectl exec -it box -- sh');
    expect(r).toEqual({ stdout: '', stderr: '', exitCode: 0 });
    expect(s.prompt()).toBe('/ # ');
    expect((await s.run('hostname')).stdout).toBe('box\n');
    await s.run('exit');
    expect(s.prompt()).toBe('user@workstation:~$ ');
  });
});

/** Words a learner might type, so random lines reach deep into kubectl's code paths. */
const WORDS = [
  'kubectl', 'get', 'describe', 'apply', 'create', 'delete', 'label', 'annotate', 'scale', 'exec', 'config', 'version',
  'api-resources', 'cluster-info', 'pods', 'po', 'svc', 'deploy', 'rs', 'ep', 'endpointslices', 'ns', 'no', 'netpol', 'cm',
  'all', 'web', 'kube-dns', 'coredns', '-n', 'kube-system', '-A', '-o', 'wide', 'yaml', 'json', 'name', 'jsonpath={.items[*]}',
  'custom-columns=N:.metadata.name', '-l', 'app=web', '--show-labels', '--sort-by=.metadata.name', '-f', '-', '--', 'sh',
  '-it', 'ssh', 'worker', 'exit', 'deployment', 'service', 'clusterip', '--tcp=80', '--image=nginx', '--replicas=2', 'x=y',
  'x-', '--overwrite', '--all', '--dry-run=client', '|', 'grep', 'wc', '-l', ';', '&&', "'", '"', '$(', ')', '{', '}',
];

// The network and node tools, with the kinds of arguments they take (names, addresses, ports,
// servers, options of dig/nslookup/curl/nc/ping/ip/iptables/ipvsadm/nft), on the workstation
// and on a node.
const NET_WORDS = [
  'nslookup', 'dig', 'host', 'curl', 'wget', 'nc', 'ping', 'ip', 'iptables', 'iptables-save', 'ipvsadm', 'nft', 'conntrack', 'ipset',
  'web', 'nosuch', 'kube-dns.kube-system', '10.96.0.10', '10.96.0.1', '127.0.0.1', '::1', '@nosuch', '@10.96.0.10', '-t', 'A', 'SRV', 'PTR',
  '-type=srv', '-timeout=1', '-port=53', '-x', '+short', '+search', '+time=1', '-p', '80', '443', '-w', '1', '-z', '-v', '-c', '1',
  '-m', '-s', '-I', '-k', 'http://web', 'https://10.96.0.1', ':80', '-L', '-S', '-n', '-t', 'nat', '-Ln', 'list', 'ruleset', 'table',
  'route', 'addr', 'link', 'show', '-o', '-qO-', '-T', '-L', 'KUBE-SERVICES', '--list-sets', '',
];

describe('property: the shell never throws', () => {
  it('the network and node tools answer any arguments without an internal error', async () => {
    const s = createSession({ cluster: createCluster({ seed: 3 }) });
    const tool = fc.constantFrom(...NET_WORDS.slice(0, 14));
    const line = fc
      .tuple(fc.constantFrom('', 'ssh worker '), tool, fc.array(fc.constantFrom(...NET_WORDS.slice(14)), { maxLength: 5 }))
      .map(([where, t, args]) => `${where}${t} ${args.join(' ')}`);
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        const r = await s.run(l);
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(r.stderr + r.stdout).not.toMatch(/internal error/);
      }),
      { numRuns: 300 },
    );
    expect(s.bugs).toEqual([]);
  }, 120_000);

  it('returns an exit code for any line, and no command throws', async () => {
    const s = createSession({ cluster: createCluster({ seed: 2 }) });
    const line = fc.oneof(
      fc.string({ maxLength: 40 }),
      fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 8 }).map((w) => w.join(' ')),
    );
    await fc.assert(
      fc.asyncProperty(line, async (l) => {
        const r = await s.run(l);
        expect(Number.isInteger(r.exitCode)).toBe(true);
        expect(typeof r.stdout).toBe('string');
        expect(typeof r.stderr).toBe('string');
      }),
      { numRuns: 300 },
    );
    expect(s.bugs).toEqual([]);
  }, 120_000);
});
