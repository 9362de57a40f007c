import { describe, expect, it } from 'vitest';
import { sessionMarkdown } from './export';

describe('sessionMarkdown', () => {
  it('writes the lab, the date, the tasks with their check summaries and each command with its output', () => {
    const md = sessionMarkdown({
      title: 'kube-proxy, first look',
      url: 'https://clusterpath.dev/labs/kube-proxy-first-look/',
      date: new Date(Date.UTC(2026, 10, 27, 17, 30, 5, 120)),
      tasks: [
        { title: 'Give the Service endpoints', done: true, summaries: [{ ok: true, summary: 'service/web {.spec.selector.app} is "web"' }] },
        { title: 'Find the KUBE-SVC chain', done: false, summaries: [{ ok: false, summary: 'no rule on worker matches' }] },
      ],
      transcript: [
        { kind: 'line', prompt: 'user@workstation:~$ ', line: 'kubectl get svc web', output: 'NAME   TYPE\nweb    ClusterIP\n', exitCode: 0, changed: false },
        { kind: 'write', path: '/home/user/web.yaml', changed: true },
        { kind: 'line', prompt: 'root@worker:~# ', line: 'echo ```', output: '```\n', exitCode: 0, changed: false },
        { kind: 'line', prompt: 'user@workstation:~$ ', line: 'cat <<EOF\nhi\nEOF', output: 'hi\n', exitCode: 0, changed: false },
        { kind: 'line', prompt: 'user@workstation:~$ ', line: 'kubectl get nope', output: 'error: the server doesn\'t have a resource type "nope"\n', exitCode: 1, changed: false },
      ],
    });
    expect(md).toBe(
      [
        '# kube-proxy, first look: my session',
        '',
        'Lab: <https://clusterpath.dev/labs/kube-proxy-first-look/>  ',
        'Exported: 2026-11-27T17:30:05Z',
        '',
        '## Tasks (1 of 2 done)',
        '',
        '- [x] Give the Service endpoints',
        '  - passes: service/web {.spec.selector.app} is "web"',
        '- [ ] Find the KUBE-SVC chain',
        '  - fails: no rule on worker matches',
        '',
        '## Commands',
        '',
        '1. `kubectl get svc web`',
        '',
        '```console',
        'user@workstation:~$ kubectl get svc web',
        'NAME   TYPE',
        'web    ClusterIP',
        '```',
        '',
        'Saved `/home/user/web.yaml` in the editor.',
        '',
        '2. ```` echo ``` ````',
        '',
        '````console',
        'root@worker:~# echo ```',
        '```',
        '````',
        '',
        '3. `cat <<EOF` (and more lines)',
        '',
        '```console',
        'user@workstation:~$ cat <<EOF',
        '> hi',
        '> EOF',
        'hi',
        '```',
        '',
        '4. `kubectl get nope` — exit status 1',
        '',
        '```console',
        'user@workstation:~$ kubectl get nope',
        'error: the server doesn\'t have a resource type "nope"',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('says so when nothing was run', () => {
    const md = sessionMarkdown({ title: 'T', url: 'u', date: new Date(0), tasks: [], transcript: [] });
    expect(md).toContain('## Commands\n\nNo commands were run.\n');
  });
});
