// The worker's completion answers, from a real cluster and session (as in the browser).
import { describe, expect, it } from 'vitest';
import { createCluster } from '../engine';
import { createSession } from '../shell';
import { Completer } from './complete';

describe('Completer', async () => {
  const cluster = createCluster({ seed: 1 });
  const session = createSession({ cluster, interactive: true });
  const c = new Completer(session, cluster);

  it('lists commands, kubectl verbs (from kubectl --help) and flags (from VERB --help)', async () => {
    expect(await c.answer({ kind: 'commands' })).toEqual(expect.arrayContaining(['kubectl', 'ssh', 'grep', 'cd']));
    expect(await c.answer({ kind: 'kubectl-verbs' })).toEqual(expect.arrayContaining(['get', 'describe', 'apply', 'logs', 'exec']));
    expect(await c.answer({ kind: 'kubectl-flags', verb: 'get' })).toEqual(expect.arrayContaining(['-A', '--all-namespaces', '-o', '--output', '-n', '--namespace']));
  });

  it('names objects in the context namespace, a given one, or all', async () => {
    expect(await c.answer({ kind: 'resources' })).toEqual(expect.arrayContaining(['pods', 'services', 'deployments']));
    expect(await c.answer({ kind: 'names', resource: 'pods' })).toEqual([]);
    const system = await c.answer({ kind: 'names', resource: 'pods', namespace: 'kube-system' });
    expect(system.some((n) => n.startsWith('coredns-'))).toBe(true);
    expect(await c.answer({ kind: 'names', resource: 'svc', namespace: '*' })).toEqual(['kube-dns', 'kubernetes']);
    expect(await c.answer({ kind: 'names', resource: 'pods; rm -rf /' })).toEqual([]);
    expect(await c.answer({ kind: 'nodes' })).toEqual(['control-plane', 'worker', 'worker2']);
  });

  it('completes paths through compgen, with ~/ and a / after directories', async () => {
    await session.run('mkdir -p ~/manifests && touch ~/web.yaml');
    expect(await c.answer({ kind: 'files', prefix: '' })).toEqual(['manifests/', 'web.yaml']);
    expect(await c.answer({ kind: 'files', prefix: '~/w' })).toEqual(['~/web.yaml']);
    expect(await c.answer({ kind: 'files', prefix: "it's" })).toEqual([]);
  });
});
