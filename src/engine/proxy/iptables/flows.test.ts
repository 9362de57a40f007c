/**
 * Packet-flow ports of upstream proxier_test.go (runPacketFlowTests): each row traces a
 * packet through the rules the proxier wrote (nat PREROUTING, then the kube-proxy filter
 * chains) and lists every endpoint it could reach, as upstream's tracer does.
 */
import { describe, it } from 'vitest';
import { noOpLocalDetector } from '../config';
import {
  epPort, FakeProxier, makeTestEndpointSlice, makeTestService, tcpPort, testExternalClient, testExternalClientBlocked, testNodeIP, testNodeIPAlt, testNodeName,
} from './testing';

describe('TestNoEndpointsReject', () => {
  it('rejects ClusterIP, externalIP, NodePort and LB traffic of a service without endpoints', () => {
    const fp = new FakeProxier();
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '172.30.0.41';
      s.spec.externalIPs = ['192.168.99.11'];
      s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    }));
    fp.sync();
    fp.flows([
      { name: 'pod to cluster IP with no endpoints', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: 'REJECT' },
      { name: 'external to external IP with no endpoints', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: 'REJECT' },
      { name: 'pod to NodePort with no endpoints', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
      { name: 'external to NodePort with no endpoints', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: 'REJECT' },
      { name: 'pod to LoadBalancer IP with no endpoints', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
      { name: 'external to LoadBalancer IP with no endpoints', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
    ]);
  });
});

describe('TestClusterIPGeneral', () => {
  it('routes ClusterIP traffic by port and protocol, with hairpin masquerade', () => {
    const fp = new FakeProxier();
    fp.services(
      makeTestService('ns1', 'svc1', (s) => {
        s.spec.clusterIP = '172.30.0.41';
        s.spec.ports = [tcpPort('http', 80)];
      }),
      makeTestService('ns2', 'svc2', (s) => {
        s.spec.clusterIP = '172.30.0.42';
        s.spec.ports = [
          tcpPort('http', 80),
          tcpPort('https', 443, { targetPort: 8443 }),
          { name: 'dns-udp', port: 53, protocol: 'UDP' },
          tcpPort('dns-tcp', 53, { targetPort: 5353 }),
          { name: 'dns-sctp', port: 53, protocol: 'SCTP' },
        ];
      }),
    );
    fp.slices(
      makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {}, nodeName: testNodeName }];
        e.ports = [epPort('http', 80)];
      }),
      makeTestEndpointSlice('ns2', 'svc2', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {}, nodeName: testNodeName }, { addresses: ['10.180.2.1'], conditions: {}, nodeName: 'node2' }];
        e.ports = [epPort('http', 80), epPort('https', 8443), epPort('dns-udp', 53, 'UDP'), epPort('dns-tcp', 5353), epPort('dns-sctp', 53, 'SCTP')];
      }),
    );
    fp.sync();
    fp.flows([
      { name: 'simple clusterIP', sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80' },
      { name: 'hairpin to cluster IP', sourceIP: '10.180.0.1', destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80', masq: true },
      { name: 'clusterIP with multiple endpoints', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80' },
      { name: 'clusterIP with TargetPort', sourceIP: '10.180.0.2', destIP: '172.30.0.42', destPort: 443, output: '10.180.0.1:8443, 10.180.2.1:8443' },
      { name: 'TCP on shared port', sourceIP: '10.180.0.2', protocol: 'TCP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:5353, 10.180.2.1:5353' },
      { name: 'UDP on shared port', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
      { name: 'SCTP on shared port', sourceIP: '10.180.0.2', protocol: 'SCTP', destIP: '172.30.0.42', destPort: 53, output: '10.180.0.1:53, 10.180.2.1:53' },
      { name: 'TCP-only port does not match UDP traffic', sourceIP: '10.180.0.2', protocol: 'UDP', destIP: '172.30.0.42', destPort: 80, output: '' },
      { name: "svc1 does not accept svc2's ports", sourceIP: '10.180.0.2', destIP: '172.30.0.41', destPort: 443, output: '' },
    ]);
  });
});

describe('TestLoadBalancer', () => {
  it('applies loadBalancerSourceRanges to LB IPs but not NodePorts', () => {
    const fp = new FakeProxier();
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }, { ip: '5.6.7.8' }] } };
      s.spec.loadBalancerSourceRanges = ['192.168.0.0/24', ' 203.0.113.0/25'];
    }));
    fp.slices(makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {} }];
      e.ports = [epPort('p80', 80)];
    }));
    fp.sync();
    const ep = '10.180.0.1:80';
    fp.flows([
      { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: ep },
      { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: ep, masq: true },
      { name: 'nodePort bypasses LoadBalancerSourceRanges', sourceIP: testExternalClientBlocked, destIP: testNodeIP, destPort: 3001, output: ep, masq: true },
      { name: 'accepted external to LB1', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
      { name: 'accepted external to LB2', sourceIP: testExternalClient, destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
      { name: 'blocked external to LB1', sourceIP: testExternalClientBlocked, destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
      { name: 'blocked external to LB2', sourceIP: testExternalClientBlocked, destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
      { name: 'pod to LB1 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: 'DROP' },
      { name: 'pod to LB2 (blocked by LoadBalancerSourceRanges)', sourceIP: '10.0.0.2', destIP: '5.6.7.8', destPort: 80, output: 'DROP' },
      { name: 'node to LB1 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
      { name: 'node to LB2 (allowed by LoadBalancerSourceRanges)', sourceIP: testNodeIP, destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
      { name: 'same node to LB1, SNATted to LB1 (implicitly allowed)', sourceIP: '1.2.3.4', destIP: '1.2.3.4', destPort: 80, output: ep, masq: true },
      { name: 'same node to LB2, SNATted to LB2 (implicitly allowed)', sourceIP: '5.6.7.8', destIP: '5.6.7.8', destPort: 80, output: ep, masq: true },
    ]);
  });
});

describe('TestNodePorts (IPv4 cases)', () => {
  it.each([
    { name: 'localhost-nodeports enabled', localhostNodePorts: true, nodePortAddresses: null, allowAlt: true, firewall: true },
    { name: 'localhost-nodeports disabled', localhostNodePorts: false, nodePortAddresses: null, allowAlt: true, firewall: false },
    { name: 'disabled, localhost in nodeport-addresses', localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '127.0.0.1/32'], allowAlt: false, firewall: false },
    { name: 'multiple nodeport-addresses', localhostNodePorts: false, nodePortAddresses: ['192.168.0.0/24', '192.168.1.0/24', '2001:db8::/64'], allowAlt: true, firewall: false },
  ])('$name', (tc) => {
    const fp = new FakeProxier({ localhostNodePorts: tc.localhostNodePorts, nodePortAddresses: tc.nodePortAddresses });
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'NodePort';
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
    }));
    fp.slices(makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {} }, { addresses: ['10.180.2.1'], conditions: {}, nodeName: testNodeName }];
      e.ports = [epPort('p80', 80)];
    }));
    const out = fp.sync();
    const both = '10.180.0.1:80, 10.180.2.1:80';
    fp.flows([
      { name: 'pod to cluster IP', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      { name: 'external to nodePort', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
      { name: 'node to nodePort', sourceIP: testNodeIP, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
      tc.localhostNodePorts
        ? { name: 'localhost to nodePort gets masqueraded', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: both, masq: true }
        : { name: 'localhost to nodePort is ignored', sourceIP: '127.0.0.1', destIP: '127.0.0.1', destPort: 3001, output: '' },
      tc.allowAlt
        ? { name: 'external to nodePort on secondary IP', sourceIP: testExternalClient, destIP: testNodeIPAlt, destPort: 3001, output: both, masq: true }
        : { name: 'secondary nodeIP ignores NodePorts', sourceIP: testExternalClient, destIP: testNodeIPAlt, destPort: 3001, output: '' },
    ]);
    const firewall = out.includes('-A KUBE-FIREWALL ');
    if (firewall !== tc.firewall) throw new Error(`KUBE-FIREWALL rule present: ${firewall}`);
  });
});

describe('TestHealthCheckNodePort', () => {
  it('accepts the health check node port until the service goes away', () => {
    const fp = new FakeProxier({ nodePortAddresses: ['127.0.0.0/8'] });
    const svc = makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '172.30.0.42';
      s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
      s.spec.healthCheckNodePort = 30000;
      s.spec.externalTrafficPolicy = 'Local';
    });
    fp.services(svc);
    fp.sync();
    fp.flows([{ name: 'firewall accepts HealthCheckNodePort', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: 'ACCEPT' }]);
    fp.proxier.onServiceDelete(svc);
    fp.sync();
    fp.flows([{ name: 'HealthCheckNodePort no longer has any rule', sourceIP: '1.2.3.4', destIP: testNodeIP, destPort: 30000, output: '' }]);
  });
});

function etpService(policy: 'Local' | 'Cluster') {
  return makeTestService('ns1', 'svc1', (s) => {
    s.spec.type = 'LoadBalancer';
    s.spec.externalTrafficPolicy = policy;
    s.spec.clusterIP = '172.30.0.41';
    s.spec.externalIPs = ['192.168.99.11'];
    s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001, targetPort: 80 })];
    if (policy === 'Local') s.spec.healthCheckNodePort = 30000;
    s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
  });
}
const etpSlice = () =>
  makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
    e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {} }, { addresses: ['10.180.2.1'], conditions: {}, nodeName: testNodeName }];
    e.ports = [epPort('p80', 80)];
  });

describe('TestExternalTrafficPolicyLocal', () => {
  it('keeps the client IP and only local endpoints for external traffic', () => {
    const fp = new FakeProxier();
    fp.services(etpService('Local'));
    fp.slices(etpSlice());
    fp.sync();
    const both = '10.180.0.1:80, 10.180.2.1:80';
    const local = '10.180.2.1:80';
    fp.flows([
      { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      { name: 'pod to external IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both },
      { name: 'external to external IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: local },
      { name: 'pod to LB IP hits only both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both },
      { name: 'external to LB IP hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: local },
      { name: 'pod to NodePort hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both },
      { name: 'external to NodePort hits only local endpoint, unmasqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: local },
    ]);
  });
});

describe('TestExternalTrafficPolicyCluster', () => {
  it('masquerades external traffic and uses every endpoint', () => {
    const fp = new FakeProxier();
    fp.services(etpService('Cluster'));
    fp.slices(etpSlice());
    fp.sync();
    const both = '10.180.0.1:80, 10.180.2.1:80';
    fp.flows([
      { name: 'pod to cluster IP hits both endpoints, unmasqueraded', sourceIP: '10.0.0.2', destIP: '172.30.0.41', destPort: 80, output: both },
      { name: 'pod to external IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
      { name: 'external to external IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '192.168.99.11', destPort: 80, output: both, masq: true },
      { name: 'pod to LB IP hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
      { name: 'external to LB IP hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: both, masq: true },
      { name: 'pod to NodePort hits both endpoints, masqueraded', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: both, masq: true },
      { name: 'external to NodePort hits both endpoints, masqueraded', sourceIP: testExternalClient, destIP: testNodeIP, destPort: 3001, output: both, masq: true },
    ]);
  });
});

describe('TestInternalTrafficPolicy', () => {
  it.each([
    { name: 'cluster', itp: 'Cluster' as const, eps: [['10.0.1.1', testNodeName], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']], output: '10.0.1.1:80, 10.0.1.2:80, 10.0.1.3:80' },
    { name: 'local, one local endpoint', itp: 'Local' as const, eps: [['10.0.1.1', testNodeName], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']], output: '10.0.1.1:80' },
    { name: 'local, multiple local endpoints', itp: 'Local' as const, eps: [['10.0.1.1', testNodeName], ['10.0.1.2', testNodeName], ['10.0.1.3', 'node2']], output: '10.0.1.1:80, 10.0.1.2:80' },
    { name: 'local, no local endpoints', itp: 'Local' as const, eps: [['10.0.1.1', 'node0'], ['10.0.1.2', 'node1'], ['10.0.1.3', 'node2']], output: 'DROP' },
  ])('internalTrafficPolicy $name', (tc) => {
    const fp = new FakeProxier();
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.1.1';
      s.spec.selector = { foo: 'bar' };
      s.spec.ports = [{ port: 80, protocol: 'TCP' }];
      s.spec.internalTrafficPolicy = tc.itp;
    }));
    const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.ports = [{ name: '', port: 80, protocol: 'TCP' }];
      e.endpoints = tc.eps.map(([ip, node]) => ({ addresses: [ip!], conditions: { ready: true }, nodeName: node! }));
    });
    fp.slices(slice);
    fp.sync();
    fp.flows([{ name: 'pod to ClusterIP', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: tc.output }]);
    fp.proxier.onEndpointSliceDelete(slice);
    fp.sync();
    fp.flows([{ name: 'endpoints deleted', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: 'REJECT' }]);
  });
});

type Cond = [ip: string, ready: boolean, serving: boolean, terminating: boolean, node: string];
const terminatingCases: { name: string; eps: Cond[]; local: [string, string]; cluster: [string, string] }[] = [
  {
    name: 'ready endpoints exist',
    eps: [['10.0.1.1', true, true, false, testNodeName], ['10.0.1.2', true, true, false, testNodeName], ['10.0.1.3', false, true, true, testNodeName], ['10.0.1.4', false, false, true, testNodeName], ['10.0.1.5', true, true, false, 'node-1']],
    local: ['10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', '10.0.1.1:80, 10.0.1.2:80'],
    cluster: ['10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80', '10.0.1.1:80, 10.0.1.2:80, 10.0.1.5:80'],
  },
  {
    name: 'only terminating endpoints exist locally',
    eps: [['10.0.1.2', false, true, true, testNodeName], ['10.0.1.3', false, true, true, testNodeName], ['10.0.1.4', false, false, true, testNodeName], ['10.0.1.5', true, true, false, 'node-1']],
    local: ['10.0.1.5:80', '10.0.1.2:80, 10.0.1.3:80'],
    cluster: ['10.0.1.5:80', '10.0.1.5:80'],
  },
  {
    name: 'terminating endpoints on remote node',
    eps: [['10.0.1.5', false, true, true, 'node-1']],
    local: ['10.0.1.5:80', 'DROP'],
    cluster: ['10.0.1.5:80', '10.0.1.5:80'],
  },
  {
    name: 'no usable endpoints on any node',
    eps: [['10.0.1.5', false, false, true, testNodeName], ['10.0.1.5', false, false, true, 'node-1']],
    local: ['REJECT', 'REJECT'],
    cluster: ['REJECT', 'REJECT'],
  },
];

describe.each(['Local', 'Cluster'] as const)('TestTerminatingEndpointsTrafficPolicy%s', (policy) => {
  it.each(terminatingCases)('$name', (tc) => {
    const fp = new FakeProxier();
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.1.1';
      s.spec.type = 'LoadBalancer';
      s.spec.externalTrafficPolicy = policy;
      s.spec.ports = [{ name: '', targetPort: 80, port: 80, protocol: 'TCP' }];
      s.spec.healthCheckNodePort = 30000;
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
    }));
    const slice = makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.ports = [{ name: '', port: 80, protocol: 'TCP' }];
      e.endpoints = tc.eps.map(([ip, ready, serving, terminating, node]) => ({ addresses: [ip], conditions: { ready, serving, terminating }, nodeName: node }));
    });
    fp.slices(slice);
    fp.sync();
    const [toCluster, toLB] = policy === 'Local' ? tc.local : tc.cluster;
    fp.flows([
      { name: 'pod to clusterIP', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: toCluster },
      { name: 'external to LB', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: toLB, masq: policy === 'Cluster' && toLB !== 'REJECT' },
    ]);
    fp.proxier.onEndpointSliceDelete(slice);
    fp.sync();
    fp.flows([
      { name: 'pod to clusterIP after endpoints deleted', sourceIP: '10.0.0.2', destIP: '172.30.1.1', destPort: 80, output: 'REJECT' },
      { name: 'external to LB after endpoints deleted', sourceIP: testExternalClient, destIP: '1.2.3.4', destPort: 80, output: 'REJECT' },
    ]);
  });
});

describe('TestInternalExternalMasquerade (no LocalTrafficDetector)', () => {
  it('without a detector, ClusterIP traffic is never masqueraded and pods get only local endpoints via eTP:Local', () => {
    const fp = new FakeProxier({ localDetector: noOpLocalDetector });
    fp.services(etpService('Local'));
    fp.slices(etpSlice());
    fp.sync();
    fp.flows([
      { name: 'node to ClusterIP', sourceIP: testNodeIP, destIP: '172.30.0.41', destPort: 80, output: '10.180.0.1:80, 10.180.2.1:80' },
      { name: 'pod to NodePort with eTP:Local', sourceIP: '10.0.0.2', destIP: testNodeIP, destPort: 3001, output: '10.180.2.1:80' },
    ]);
  });
});
