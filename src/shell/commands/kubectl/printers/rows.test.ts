import { describe, expect, it } from 'vitest';
import type { KubeObject } from '../../../../engine';
import { endpointSliceRow, formatEndpoints, nodeRow, podRow, serviceRow } from './rows';

const NOW = Date.parse('2026-01-01T01:00:00Z');
const meta = (name: string) => ({ name, namespace: 'default', uid: 'u', resourceVersion: '1', creationTimestamp: '2026-01-01T00:00:00Z' });

describe('printPod rows', () => {
  it('shows the waiting reason and the last restart, like printPod', () => {
    const pod = {
      apiVersion: 'v1', kind: 'Pod', metadata: meta('crash'),
      spec: { containers: [{ name: 'app', image: 'busybox' }] },
      status: {
        phase: 'Running',
        containerStatuses: [{
          name: 'app', image: 'busybox', imageID: '', ready: false, restartCount: 4,
          state: { waiting: { reason: 'CrashLoopBackOff' } },
          lastState: { terminated: { exitCode: 1, reason: 'Error', finishedAt: '2026-01-01T00:58:30Z' } },
        }],
      },
    } as unknown as KubeObject;
    expect(podRow(pod, NOW, true)).toEqual(['crash', '0/1', 'CrashLoopBackOff', '4 (90s ago)', '60m', '<none>', '<none>', '<none>', '<none>']);
  });
  it('says Terminating once a deletionTimestamp is set', () => {
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: { ...meta('bye'), deletionTimestamp: '2026-01-01T01:00:30Z' }, spec: { containers: [{ name: 'a', image: 'x' }] }, status: { phase: 'Running' } } as unknown as KubeObject;
    expect(podRow(pod, NOW, false)[2]).toBe('Terminating');
  });
});

describe('printService rows', () => {
  const svc = (spec: object, status: object = {}) => ({ apiVersion: 'v1', kind: 'Service', metadata: meta('s'), spec, status }) as unknown as KubeObject;
  it('LoadBalancer without ingress is <pending>', () => {
    expect(serviceRow(svc({ type: 'LoadBalancer', clusterIP: '10.96.1.1', clusterIPs: ['10.96.1.1'], ports: [{ port: 80, nodePort: 31000, protocol: 'TCP' }] }), NOW, false))
      .toEqual(['s', 'LoadBalancer', '10.96.1.1', '<pending>', '80:31000/TCP', '60m']);
  });
  it('clips long ingress lists to 16 characters unless wide', () => {
    const s = svc({ type: 'LoadBalancer', clusterIPs: ['10.96.1.1'], ports: [] }, { loadBalancer: { ingress: [{ ip: '172.18.255.200' }, { ip: '172.18.255.201' }] } });
    expect(serviceRow(s, NOW, false)[3]).toBe('172.18.255.200...'.slice(0, 13) + '...');
    expect(serviceRow(s, NOW, true)[3]).toBe('172.18.255.200,172.18.255.201');
  });
  it('ExternalName shows the name and <none> ports', () => {
    expect(serviceRow(svc({ type: 'ExternalName', externalName: 'db.example.com' }), NOW, false)).toEqual(['s', 'ExternalName', '<none>', 'db.example.com', '<none>', '60m']);
  });
});

describe('endpoints formatting', () => {
  it('formatEndpoints lists three then "+ N more..."', () => {
    const ep = { subsets: [{ addresses: [{ ip: '10.0.0.1' }, { ip: '10.0.0.2' }], ports: [{ port: 53 }, { port: 9153 }] }] } as never;
    expect(formatEndpoints(ep)).toBe('10.0.0.1:53,10.0.0.2:53,10.0.0.1:9153 + 1 more...');
    expect(formatEndpoints({ subsets: [] } as never)).toBe('<none>');
  });
  it('an empty EndpointSlice prints <unset>', () => {
    const s = { apiVersion: 'discovery.k8s.io/v1', kind: 'EndpointSlice', metadata: meta('x-abc'), addressType: 'IPv4', endpoints: null, ports: null } as unknown as KubeObject;
    expect(endpointSliceRow(s, NOW)).toEqual(['x-abc', 'IPv4', '<unset>', '<unset>', '60m']);
  });
});

describe('printNode rows', () => {
  it('adds SchedulingDisabled to a cordoned node and sorts roles', () => {
    const n = {
      apiVersion: 'v1', kind: 'Node', metadata: { ...meta('n1'), labels: { 'node-role.kubernetes.io/worker': '', 'node-role.kubernetes.io/control-plane': '' } },
      spec: { unschedulable: true },
      status: { conditions: [{ type: 'Ready', status: 'True' }], nodeInfo: { kubeletVersion: 'v1.37.0' } },
    } as unknown as KubeObject;
    expect(nodeRow(n, NOW, false)).toEqual(['n1', 'Ready,SchedulingDisabled', 'control-plane,worker', '60m', 'v1.37.0']);
  });
});
