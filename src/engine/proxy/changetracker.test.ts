/** Ports of the service/endpoint map tests in upstream proxier_test.go and endpointslicecache_test.go. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { EndpointsChangeTracker, localReadyEndpoints, sortedUnique, updateEndpointsMap } from './endpointschangetracker';
import { healthCheckNodePorts, ServiceChangeTracker, sortedServicePortKeys, updateServicePortMap } from './servicechangetracker';
import { makeTestEndpointSlice, makeTestService } from './iptables/testing';
import type { EndpointInfo, EndpointsMap, ServicePortInfo, ServicePortMap } from './types';
import type { ServicePort } from '../model/types';

const port = (name: string, protocol: 'TCP' | 'UDP' | 'SCTP', p: number, nodePort: number): ServicePort => ({ name, protocol, port: p, nodePort });

describe('ServiceChangeTracker (TestBuildServiceMap*)', () => {
  it('TestBuildServiceMapAddRemove', () => {
    const t = new ServiceChangeTracker();
    const map: ServicePortMap = new Map();
    const services = [
      makeTestService('somewhere-else', 'cluster-ip', (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.clusterIP = '172.30.55.4';
        s.spec.ports = [port('something', 'UDP', 1234, 4321), port('somethingelse', 'UDP', 1235, 5321), port('sctpport', 'SCTP', 1236, 6321)];
      }),
      makeTestService('somewhere-else', 'node-port', (s) => {
        s.spec.type = 'NodePort';
        s.spec.clusterIP = '172.30.55.10';
        s.spec.ports = [port('blahblah', 'UDP', 345, 678), port('moreblahblah', 'TCP', 344, 677), port('muchmoreblah', 'SCTP', 343, 676)];
      }),
      makeTestService('somewhere', 'load-balancer', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.clusterIP = '172.30.55.11';
        s.spec.ports = [port('foobar', 'UDP', 8675, 30061), port('baz', 'UDP', 8676, 30062)];
        s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
      }),
      makeTestService('somewhere', 'only-local-load-balancer', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.clusterIP = '172.30.55.12';
        s.spec.ports = [port('foobar2', 'UDP', 8677, 30063), port('baz', 'UDP', 8678, 30064)];
        s.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } };
        s.spec.externalTrafficPolicy = 'Local';
        s.spec.healthCheckNodePort = 345;
      }),
    ];
    for (const s of services) t.update(null, s);
    updateServicePortMap(map, t);
    expect(map.size).toBe(10);
    expect([...healthCheckNodePorts(map)]).toEqual([['somewhere/only-local-load-balancer', 345]]);
    const oneService = makeTestService('somewhere-else', 'cluster-ip', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '172.30.55.4';
      s.spec.ports = [port('somethingelse', 'UDP', 1235, 5321)];
    });
    t.update(services[0], oneService);
    t.update(services[1], null);
    t.update(services[2], null);
    t.update(services[3], null);
    const r = updateServicePortMap(map, t);
    expect(map.size).toBe(1);
    expect(healthCheckNodePorts(map).size).toBe(0);
    expect(r.deletedUDPClusterIPs.has('172.30.55.4')).toBe(true);
  });

  it('TestBuildServiceMapServiceHeadless / ExternalName are ignored', () => {
    const t = new ServiceChangeTracker();
    t.update(null, makeTestService('somewhere-else', 'headless', (s) => {
      s.spec.clusterIP = 'None';
      s.spec.ports = [port('rpc', 'UDP', 1234, 0)];
    }));
    t.update(null, makeTestService('somewhere-else', 'external-name', (s) => {
      s.spec.type = 'ExternalName';
      s.spec.clusterIP = '172.30.55.4';
      s.spec.externalName = 'foo2.bar.com';
      s.spec.ports = [port('blah', 'UDP', 1235, 5321)];
    }));
    const map: ServicePortMap = new Map();
    updateServicePortMap(map, t);
    expect(map.size).toBe(0);
  });

  it('a no-op update leaves nothing pending; ClientIP timeout defaults to 10800', () => {
    const t = new ServiceChangeTracker();
    const svc = makeTestService('ns', 's', (s) => {
      s.spec.clusterIP = '10.96.0.5';
      s.spec.ports = [{ port: 80 }];
      s.spec.sessionAffinity = 'ClientIP';
    });
    t.update(null, svc);
    const map: ServicePortMap = new Map();
    updateServicePortMap(map, t);
    expect(t.update(svc, JSON.parse(JSON.stringify(svc)))).toBe(false);
    const info = map.get('ns/s/TCP')!;
    expect([info.nameString, info.stickyMaxAgeSeconds, info.protocol]).toEqual(['ns/s', 10800, 'TCP']);
  });
});

describe('EndpointsChangeTracker (TestUpdateEndpointsMap)', () => {
  it('merges slices, dedups with local winning, sorts by ip:port string', () => {
    const t = new EndpointsChangeTracker('test-node');
    const map: EndpointsMap = new Map();
    t.endpointSliceUpdate(makeTestEndpointSlice('ns1', 'ep1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.1.1.1'], conditions: {} }, { addresses: ['10.1.1.11'], conditions: {} }];
      e.ports = [{ name: 'p11', port: 11, protocol: 'UDP' }];
    }), false);
    t.endpointSliceUpdate(makeTestEndpointSlice('ns1', 'ep1', 2, (e) => {
      e.endpoints = [{ addresses: ['10.1.1.1'], conditions: {}, nodeName: 'test-node' }];
      e.ports = [{ name: 'p11', port: 11, protocol: 'UDP' }];
    }), false);
    const r = updateEndpointsMap(map, t);
    expect([...r.updatedServices]).toEqual(['ns1/ep1']);
    expect(map.get('ns1/ep1:p11/UDP')!.map((e) => [e.endpoint, e.isLocal])).toEqual([['10.1.1.11:11', false], ['10.1.1.1:11', true]]);
    expect([...localReadyEndpoints(map)]).toEqual([['ns1/ep1', 1]]);
  });

  it('renumbering a UDP port needs a conntrack cleanup; an identical update is not a change', () => {
    const t = new EndpointsChangeTracker('test-node');
    const map: EndpointsMap = new Map();
    const mk = (p: number) => makeTestEndpointSlice('ns1', 'ep1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.1.1.1'], conditions: {} }];
      e.ports = [{ name: 'p11', port: p, protocol: 'UDP' }];
    });
    t.endpointSliceUpdate(mk(11), false);
    updateEndpointsMap(map, t);
    t.endpointSliceUpdate(mk(11), false);
    expect(updateEndpointsMap(map, t).updatedServices.size).toBe(0);
    t.endpointSliceUpdate(mk(22), false);
    const r = updateEndpointsMap(map, t);
    expect(r.conntrackCleanupRequired).toBe(true);
    expect(map.get('ns1/ep1:p11/UDP')!.map((e) => e.endpoint)).toEqual(['10.1.1.1:22']);
    t.endpointSliceUpdate(mk(22), true);
    updateEndpointsMap(map, t);
    expect(map.size).toBe(0);
  });

  it('nil conditions mean ready and serving (EndpointSlice API defaults)', () => {
    const t = new EndpointsChangeTracker('n');
    const map: EndpointsMap = new Map();
    t.endpointSliceUpdate(makeTestEndpointSlice('a', 'b', 1, (e) => {
      e.endpoints = [{ addresses: ['10.0.0.1'], conditions: {} }, { addresses: ['10.0.0.2'], conditions: { ready: false, terminating: true } }];
      e.ports = [{ port: 80 }];
    }), false);
    updateEndpointsMap(map, t);
    expect(map.get('a/b/TCP')!.map((e) => [e.ready, e.serving, e.terminating])).toEqual([[true, true, false], [false, true, true]]);
  });
});

describe('sortedUnique', () => {
  /** The reference: a stable sort by endpoint, then the first copy unless a later one is local. */
  function reference(list: EndpointInfo[]): EndpointInfo[] {
    const sorted = [...list].sort((a, b) => (a.endpoint < b.endpoint ? -1 : a.endpoint > b.endpoint ? 1 : 0));
    const out: EndpointInfo[] = [];
    for (const ep of sorted) {
      if (out.length && out[out.length - 1]!.endpoint === ep.endpoint) {
        if (ep.isLocal) out[out.length - 1] = ep;
      } else out.push(ep);
    }
    return out;
  }
  const endpoint = fc.record({ ip: fc.constantFrom('10.0.0.1', '10.0.0.10', '10.0.0.2', '10.1.0.1', '9.0.0.1'), port: fc.constantFrom(80, 8080, 9), isLocal: fc.boolean(), id: fc.nat() });
  it('matches a stable sort and merge, on short lists (insertion sort) and long ones', () => {
    fc.assert(
      fc.property(fc.array(endpoint, { maxLength: 80 }), (raw) => {
        const list = raw.map((r) => ({ ip: r.ip, port: r.port, endpoint: `${r.ip}:${r.port}`, isLocal: r.isLocal, nodeName: String(r.id) }) as unknown as EndpointInfo);
        const want = reference(list);
        expect(sortedUnique([...list])).toEqual(want);
        // Identity too: which copy survived.
        expect(sortedUnique([...list]).every((ep, i) => ep === want[i])).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
});

describe('sortedServicePortKeys', () => {
  it('orders by port name string, then protocol (not by the key text)', () => {
    const map: ServicePortMap = new Map();
    const add = (namespace: string, name: string, port: string, protocol: 'TCP' | 'UDP') => {
      const nameString = `${namespace}/${name}${port === '' ? '' : ':' + port}`;
      map.set(`${nameString}/${protocol}`, { nameString, protocol } as unknown as ServicePortInfo);
    };
    add('ns', 'a-b', '', 'TCP');
    add('ns', 'a', 'p', 'UDP');
    add('ns', 'a', '', 'UDP');
    add('ns', 'a', '', 'TCP');
    add('ms', 'z', 'dns', 'UDP');
    // "ns/a" < "ns/a-b" < "ns/a:p" as name strings, though "ns/a-b/TCP" < "ns/a/TCP" as keys.
    expect(sortedServicePortKeys(map)).toEqual(['ms/z:dns/UDP', 'ns/a/TCP', 'ns/a/UDP', 'ns/a-b/TCP', 'ns/a:p/UDP']);
    expect(sortedServicePortKeys(new Map())).toEqual([]);
  });
});
