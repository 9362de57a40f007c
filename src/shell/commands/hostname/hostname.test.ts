import { describe, expect, it } from 'vitest';
import { createCluster, type Pod } from '../../../engine';
import { createSession } from '../../index';

const POD = `apiVersion: v1
kind: Pod
metadata: {name: named}
spec:
  hostname: db-0
  containers: [{name: c, image: busybox, command: [sleep, '3600']}]
`;

describe('hostname in a pod', () => {
  const cluster = createCluster({ manifests: POD });
  cluster.tick(30_000);
  const s = createSession({ cluster });
  const pods = cluster.list<Pod>('Pod', { namespace: 'kube-system' });
  const pod = (prefix: string) => (pods.ok ? pods.value.find((p) => p.metadata.name.startsWith(prefix))! : undefined)!;

  it('is spec.hostname when the pod sets it (not the pod name)', async () => {
    expect((await s.run('kubectl exec named -- hostname')).stdout).toBe('db-0\n');
  });

  it("is the node's name in a hostNetwork pod (the node's UTS namespace)", async () => {
    const kindnet = pod('kindnet-');
    expect(kindnet.spec.hostNetwork).toBe(true);
    expect((await s.run(`kubectl -n kube-system exec ${kindnet.metadata.name} -- hostname`)).stdout).toBe(`${kindnet.spec.nodeName}\n`);
  });

  it('does not exist in a distroless image: the runtime cannot find the binary', async () => {
    const r = await s.run(`kubectl -n kube-system exec ${pod('coredns-').metadata.name} -- hostname`);
    expect(r.exitCode).toBe(1);
    expect(r.stderr).toMatch(/OCI runtime exec failed: exec failed: unable to start container process: exec: "hostname": executable file not found in \$PATH: unknown\n$/);
  });
});
