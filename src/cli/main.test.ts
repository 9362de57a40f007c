import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main, scriptLines } from './main';

async function cli(...argv: string[]) {
  let out = '';
  let err = '';
  const code = await main(argv, { out: (s) => void (out += s), err: (s) => void (err += s) });
  return { out, err, code };
}

describe('clusterpath run', () => {
  it('runs -c lines at the first prompt; exit status is the last line\'s', async () => {
    const r = await cli('run', '-c', 'kubectl get ns default -o name', '-c', 'kubectl get pdos');
    expect(r.out).toBe('namespace/default\n');
    expect(r.err).toBe('error: the server doesn\'t have a resource type "pdos"\n');
    expect(r.code).toBe(1);
  });

  it('--echo prints the prompt and the line before its output', async () => {
    const r = await cli('run', '--echo', '-c', 'ssh worker', '-c', 'hostname', '-c', 'exit');
    expect(r.out).toBe('user@workstation:~$ ssh worker\nroot@worker:~# hostname\nworker\nroot@worker:~# exit\nlogout\n');
    expect(r.err).toBe('Connection to worker closed.\n');
    expect(r.code).toBe(0);
  });

  it('applies -f files first and reads --script lines', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cp-'));
    writeFileSync(join(dir, 'cm.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cfg\ndata:\n  a: "1"\n');
    writeFileSync(join(dir, 'lines.sh'), '# a comment\nkubectl get cm cfg \\\n  -o jsonpath={.data.a}\n');
    const r = await cli('run', '-f', dir, '--script', join(dir, 'lines.sh'));
    expect(r.out).toBe('1');
    expect(r.code).toBe(0);
  });

  it('keeps the same output for the same seed', async () => {
    const a = await cli('run', '--seed', '7', '-c', 'kubectl get pods -A -o name');
    const b = await cli('run', '--seed', '7', '-c', 'kubectl get pods -A -o name');
    expect(a.out).toBe(b.out);
  });

  it('refuses unknown options', async () => {
    expect((await cli('run', '--bogus')).code).toBe(2);
  });

  it('-h/--help after a subcommand prints the usage and succeeds', async () => {
    for (const argv of [['run', '--help'], ['run', '-h'], ['lab', 'verify', '--help']]) {
      const r = await cli(...argv);
      expect(r.out).toMatch(/^Usage:\n  clusterpath run /);
      expect([r.err, r.code]).toEqual(['', 0]);
    }
  });

  it('--trace prints each connection of a line after its output', async () => {
    const r = await cli('run', '--trace', '-c', 'ssh worker curl -s -m 1 10.96.0.1:443');
    expect(r.err).toMatch(/^trace: TCP node worker \(172\.18\.0\.3\) -> 10\.96\.0\.1:443$/m);
    expect(r.err).toMatch(/-j KUBE-SVC-NPX46M4PTMTKRN6Y/);
    expect(r.err).toMatch(/outcome: connected/);
  });

  it('--lab starts from the lab setup, and names an unknown lab', async () => {
    const r = await cli('run', '--lab', 'kube-proxy-first-look', '-c', 'kubectl get svc web -o jsonpath={.spec.selector.app}');
    expect(r).toMatchObject({ code: 0, out: 'wbe' });
    const bad = await cli('run', '--lab', 'no-such-lab');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/^clusterpath: no lab "no-such-lab" \(labs: .*kube-proxy-first-look.*\)\n$/);
  });
});

describe('scriptLines', () => {
  it('skips comments and blank lines and joins continuations', () => {
    expect(scriptLines('# c\n\nkubectl get \\\npods\necho hi\n')).toEqual(['kubectl get pods', 'echo hi']);
  });
});
