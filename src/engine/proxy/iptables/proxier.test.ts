/**
 * Ports of pkg/proxy/iptables/proxier_test.go (kubernetes v1.31+). Expected dumps are
 * upstream's, verbatim; like upstream's assertIPTablesRulesEqual we pass our output
 * through sortIPTablesRules first (upstream iterates a Go map, so its tests sort chains
 * and KUBE-SERVICES/KUBE-NODEPORTS rules by service name before comparing).
 * newFakeProxier mirrors upstream's NewFakeProxier: node "test-node" at 192.168.0.2, pod
 * CIDR 10.0.0.0/8 for local-traffic detection, mark 0x4000, localhostNodePorts on, the
 * nfacct counters present and no --random-fully.
 */
import { describe, expect, it } from 'vitest';
import { servicePortEndpointChainName } from '../hash';
import { computeProbability } from './proxier';
import { chainRules, epPort, expectRules, FakeProxier, makeTestEndpointSlice, makeTestService, parseDump, tcpPort, testNodeName } from './testing';

describe('TestOverallIPTablesRules', () => {
  it('creates a variety of services and generates exactly upstream’s rules', () => {
    const fp = new FakeProxier();
    fp.services(
      makeTestService('ns1', 'svc1', (s) => {
        s.spec.clusterIP = '172.30.0.41';
        s.spec.ports = [tcpPort('p80', 80)];
      }),
      makeTestService('ns2', 'svc2', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.externalTrafficPolicy = 'Local';
        s.spec.clusterIP = '172.30.0.42';
        s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
        s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } };
        s.spec.externalIPs = ['192.168.99.22'];
        s.spec.healthCheckNodePort = 30000;
      }),
      makeTestService('ns3', 'svc3', (s) => {
        s.spec.type = 'NodePort';
        s.spec.clusterIP = '172.30.0.43';
        s.spec.ports = [tcpPort('p80', 80, { nodePort: 3003 })];
      }),
      makeTestService('ns4', 'svc4', (s) => {
        s.spec.type = 'NodePort';
        s.spec.clusterIP = '172.30.0.44';
        s.spec.externalIPs = ['192.168.99.33'];
        s.spec.ports = [tcpPort('p80', 80, { targetPort: 80 })];
      }),
      makeTestService('ns5', 'svc5', (s) => {
        s.spec.type = 'LoadBalancer';
        s.spec.externalTrafficPolicy = 'Cluster';
        s.spec.clusterIP = '172.30.0.45';
        s.spec.ports = [tcpPort('p80', 80, { nodePort: 3002 })];
        s.status = { loadBalancer: { ingress: [{ ip: '5.6.7.8' }] } };
        s.spec.healthCheckNodePort = 30000;
        // Extra whitespace must not break anything (backward compatibility).
        s.spec.loadBalancerSourceRanges = [' 203.0.113.0/25'];
        s.spec.sessionAffinity = 'ClientIP';
        s.spec.sessionAffinityConfig = { clientIP: { timeoutSeconds: 10800 } };
      }),
      makeTestService('ns6', 'svc6', (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.clusterIP = '172.30.0.46';
        s.spec.ports = [tcpPort('p80', 80, { targetPort: 80 })];
      }),
    );
    fp.slices(
      makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.1'], conditions: {} }];
        e.ports = [epPort('p80', 80)];
      }),
      // No NodeName: considered non-local, so ignored for the Local policy.
      makeTestEndpointSlice('ns2', 'svc2', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.2'], conditions: {} }];
        e.ports = [epPort('p80', 80)];
      }),
      makeTestEndpointSlice('ns3', 'svc3', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.3'], conditions: {} }];
        e.ports = [epPort('p80', 80)];
      }),
      makeTestEndpointSlice('ns4', 'svc4', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.4'], conditions: {} }, { addresses: ['10.180.0.5'], conditions: {}, nodeName: testNodeName }];
        e.ports = [epPort('p80', 80)];
      }),
      makeTestEndpointSlice('ns5', 'svc5', 1, (e) => {
        e.endpoints = [{ addresses: ['10.180.0.3'], conditions: {} }];
        e.ports = [epPort('p80', 80)];
      }),
    );
    const out = fp.sync();
    expectRules(`
		*filter
		:KUBE-NODEPORTS - [0:0]
		:KUBE-SERVICES - [0:0]
		:KUBE-EXTERNAL-SERVICES - [0:0]
		:KUBE-FIREWALL - [0:0]
		:KUBE-FORWARD - [0:0]
		:KUBE-PROXY-FIREWALL - [0:0]
		-A KUBE-NODEPORTS -m comment --comment "ns2/svc2:p80 health check node port" -m tcp -p tcp --dport 30000 -j ACCEPT
		-A KUBE-SERVICES -m comment --comment "ns6/svc6:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.46 --dport 80 -j REJECT
		-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j DROP
		-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
		-A KUBE-EXTERNAL-SERVICES -m comment --comment "ns2/svc2:p80 has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 3001 -j DROP
		-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
		-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
		-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
		-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
		-A KUBE-PROXY-FIREWALL -m comment --comment "ns5/svc5:p80 traffic not accepted by KUBE-FW-NUKIZ6OKUXPJNT4C" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j DROP
		COMMIT
		*nat
		:KUBE-NODEPORTS - [0:0]
		:KUBE-SERVICES - [0:0]
		:KUBE-EXT-4SW47YFZTEDKD3PK - [0:0]
		:KUBE-EXT-GNZBNJ2PO5MGZ6GT - [0:0]
		:KUBE-EXT-NUKIZ6OKUXPJNT4C - [0:0]
		:KUBE-EXT-X27LE4BHSL4DOUIK - [0:0]
		:KUBE-FW-NUKIZ6OKUXPJNT4C - [0:0]
		:KUBE-MARK-MASQ - [0:0]
		:KUBE-POSTROUTING - [0:0]
		:KUBE-SEP-C6EBXVWJJZMIWKLZ - [0:0]
		:KUBE-SEP-I77PXRDZVX7PMWMN - [0:0]
		:KUBE-SEP-OYPFS5VJICHGATKP - [0:0]
		:KUBE-SEP-RS4RBKLTHTF2IUXJ - [0:0]
		:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
		:KUBE-SEP-UKSFD7AGPMPPLUHC - [0:0]
		:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
		:KUBE-SVC-GNZBNJ2PO5MGZ6GT - [0:0]
		:KUBE-SVC-NUKIZ6OKUXPJNT4C - [0:0]
		:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
		:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
		-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
		-A KUBE-NODEPORTS -m comment --comment ns2/svc2:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
		-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3003 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-X27LE4BHSL4DOUIK
		-A KUBE-NODEPORTS -m comment --comment ns3/svc3:p80 -m tcp -p tcp --dport 3003 -j KUBE-EXT-X27LE4BHSL4DOUIK
		-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3002 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-NUKIZ6OKUXPJNT4C
		-A KUBE-NODEPORTS -m comment --comment ns5/svc5:p80 -m tcp -p tcp --dport 3002 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
		-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
		-A KUBE-SERVICES -m comment --comment "ns2/svc2:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-EXT-GNZBNJ2PO5MGZ6GT
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 external IP" -m tcp -p tcp -d 192.168.99.33 --dport 80 -j KUBE-EXT-4SW47YFZTEDKD3PK
		-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 -j KUBE-SVC-NUKIZ6OKUXPJNT4C
		-A KUBE-SERVICES -m comment --comment "ns5/svc5:p80 loadbalancer IP" -m tcp -p tcp -d 5.6.7.8 --dport 80 -j KUBE-FW-NUKIZ6OKUXPJNT4C
		-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
		-A KUBE-EXT-4SW47YFZTEDKD3PK -m comment --comment "masquerade traffic for ns4/svc4:p80 external destinations" -j KUBE-MARK-MASQ
		-A KUBE-EXT-4SW47YFZTEDKD3PK -j KUBE-SVC-4SW47YFZTEDKD3PK
		-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "pod traffic for ns2/svc2:p80 external destinations" -s 10.0.0.0/8 -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
		-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "masquerade LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ
		-A KUBE-EXT-GNZBNJ2PO5MGZ6GT -m comment --comment "route LOCAL traffic for ns2/svc2:p80 external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-GNZBNJ2PO5MGZ6GT
		-A KUBE-EXT-NUKIZ6OKUXPJNT4C -m comment --comment "masquerade traffic for ns5/svc5:p80 external destinations" -j KUBE-MARK-MASQ
		-A KUBE-EXT-NUKIZ6OKUXPJNT4C -j KUBE-SVC-NUKIZ6OKUXPJNT4C
		-A KUBE-EXT-X27LE4BHSL4DOUIK -m comment --comment "masquerade traffic for ns3/svc3:p80 external destinations" -j KUBE-MARK-MASQ
		-A KUBE-EXT-X27LE4BHSL4DOUIK -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-NUKIZ6OKUXPJNT4C
		-A KUBE-FW-NUKIZ6OKUXPJNT4C -m comment --comment "other traffic to ns5/svc5:p80 will be dropped by KUBE-PROXY-FIREWALL"
		-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
		-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
		-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
		-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE
		-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -s 10.180.0.5 -j KUBE-MARK-MASQ
		-A KUBE-SEP-C6EBXVWJJZMIWKLZ -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.5:80
		-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
		-A KUBE-SEP-I77PXRDZVX7PMWMN -m comment --comment ns5/svc5:p80 -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --set -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
		-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -s 10.180.0.3 -j KUBE-MARK-MASQ
		-A KUBE-SEP-OYPFS5VJICHGATKP -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.3:80
		-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -s 10.180.0.2 -j KUBE-MARK-MASQ
		-A KUBE-SEP-RS4RBKLTHTF2IUXJ -m comment --comment ns2/svc2:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.2:80
		-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
		-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -s 10.180.0.4 -j KUBE-MARK-MASQ
		-A KUBE-SEP-UKSFD7AGPMPPLUHC -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.4:80
		-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.4:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-UKSFD7AGPMPPLUHC
		-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.180.0.5:80" -j KUBE-SEP-C6EBXVWJJZMIWKLZ
		-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-GNZBNJ2PO5MGZ6GT -m comment --comment "ns2/svc2:p80 -> 10.180.0.2:80" -j KUBE-SEP-RS4RBKLTHTF2IUXJ
		-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 cluster IP" -m tcp -p tcp -d 172.30.0.45 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -m recent --name KUBE-SEP-I77PXRDZVX7PMWMN --rcheck --seconds 10800 --reap -j KUBE-SEP-I77PXRDZVX7PMWMN
		-A KUBE-SVC-NUKIZ6OKUXPJNT4C -m comment --comment "ns5/svc5:p80 -> 10.180.0.3:80" -j KUBE-SEP-I77PXRDZVX7PMWMN
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.180.0.3:80" -j KUBE-SEP-OYPFS5VJICHGATKP
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
		COMMIT
		`, out);
    expect(fp.last.fullSync).toBe(true);
  });
});

const FILTER_BASE = `
		*filter
		:KUBE-NODEPORTS - [0:0]
		:KUBE-SERVICES - [0:0]
		:KUBE-EXTERNAL-SERVICES - [0:0]
		:KUBE-FIREWALL - [0:0]
		:KUBE-FORWARD - [0:0]
		:KUBE-PROXY-FIREWALL - [0:0]`;
const FILTER_TAIL = `
		-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
		-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
		-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
		-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
		COMMIT`;
const NAT_TOP = `
		*nat
		:KUBE-NODEPORTS - [0:0]
		:KUBE-SERVICES - [0:0]
		:KUBE-MARK-MASQ - [0:0]
		:KUBE-POSTROUTING - [0:0]`;
const NAT_FIXED = `
		-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
		-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
		-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
		-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE`;
const NODEPORTS_LAST = `
		-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS`;

describe('TestSyncProxyRulesRepeated (partial syncs)', () => {
  it('rewrites only the chains of changed services and deletes stale ones', () => {
    const fp = new FakeProxier();
    const svc2 = makeTestService('ns2', 'svc2', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '172.30.0.42';
      s.spec.ports = [tcpPort('p8080', 8080)];
    });
    fp.services(
      makeTestService('ns1', 'svc1', (s) => {
        s.spec.type = 'ClusterIP';
        s.spec.clusterIP = '172.30.0.41';
        s.spec.ports = [tcpPort('p80', 80)];
      }),
      svc2,
    );
    fp.slices(
      makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
        e.endpoints = [{ addresses: ['10.0.1.1'], conditions: {} }];
        e.ports = [epPort('p80', 80)];
      }),
      makeTestEndpointSlice('ns2', 'svc2', 1, (e) => {
        e.endpoints = [{ addresses: ['10.0.2.1'], conditions: {} }];
        e.ports = [epPort('p8080', 8080)];
      }),
    );
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]
		:KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]
		:KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]
		:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 -j KUBE-SVC-2VJB64SDSIJUP5T6` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
		-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -s 10.0.2.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-UHEGFW77JX3KXTOV -m comment --comment ns2/svc2:p8080 -m tcp -p tcp -j DNAT --to-destination 10.0.2.1:8080
		-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-2VJB64SDSIJUP5T6 -m comment --comment "ns2/svc2:p8080 -> 10.0.2.1:8080" -j KUBE-SEP-UHEGFW77JX3KXTOV
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO
		COMMIT
		`, fp.sync());
    expect(fp.last.fullSync).toBe(true);

    // Add a new service and its endpoints: only its SVC and SEP chains are written.
    fp.services(makeTestService('ns3', 'svc3', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '172.30.0.43';
      s.spec.ports = [tcpPort('p80', 80)];
    }));
    const eps3 = makeTestEndpointSlice('ns3', 'svc3', 1, (e) => {
      e.endpoints = [{ addresses: ['10.0.3.1'], conditions: {} }];
      e.ports = [epPort('p80', 80)];
    });
    fp.slices(eps3);
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]
		:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns2/svc2:p8080 cluster IP" -m tcp -p tcp -d 172.30.0.42 --dport 8080 -j KUBE-SVC-2VJB64SDSIJUP5T6
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -s 10.0.3.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-BSWRHOQ77KEXZLNL -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.1:80
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.1:80" -j KUBE-SEP-BSWRHOQ77KEXZLNL
		COMMIT
		`, fp.sync());
    expect(fp.last.fullSync).toBe(false);

    // Delete a service (the others are not rewritten).
    fp.proxier.onServiceDelete(svc2);
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-UHEGFW77JX3KXTOV - [0:0]
		:KUBE-SVC-2VJB64SDSIJUP5T6 - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK` + NODEPORTS_LAST + NAT_FIXED + `
		-X KUBE-SEP-UHEGFW77JX3KXTOV
		-X KUBE-SVC-2VJB64SDSIJUP5T6
		COMMIT
		`, fp.sync());

    // Add a service, sync, then add its endpoints.
    const svc4 = makeTestService('ns4', 'svc4', (s) => {
      s.spec.type = 'ClusterIP';
      s.spec.clusterIP = '172.30.0.44';
      s.spec.ports = [tcpPort('p80', 80)];
    });
    fp.services(svc4);
    expectRules(FILTER_BASE + `
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 has no endpoints" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j REJECT` + FILTER_TAIL + NAT_TOP + `
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK` + NODEPORTS_LAST + NAT_FIXED + `
		COMMIT
		`, fp.sync());

    fp.slices(makeTestEndpointSlice('ns4', 'svc4', 1, (e) => {
      e.endpoints = [{ addresses: ['10.0.4.1'], conditions: {} }];
      e.ports = [epPort('p80', 80)];
    }));
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]
		:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -s 10.0.4.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-AYCN5HPXMIRJNJXU -m comment --comment ns4/svc4:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.4.1:80
		-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-4SW47YFZTEDKD3PK -m comment --comment "ns4/svc4:p80 -> 10.0.4.1:80" -j KUBE-SEP-AYCN5HPXMIRJNJXU
		COMMIT
		`, fp.sync());

    // Change an endpoint of an existing service: its SVC and SEP chains are rewritten,
    // and the old SEP chain is deleted.
    const eps3update = JSON.parse(JSON.stringify(eps3)) as typeof eps3;
    eps3update.endpoints![0]!.addresses[0] = '10.0.3.2';
    fp.proxier.onEndpointSliceUpdate(eps3, eps3update);
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-BSWRHOQ77KEXZLNL - [0:0]
		:KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
		:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -j KUBE-SEP-DKCFIS26GWF2WLWC
		-X KUBE-SEP-BSWRHOQ77KEXZLNL
		COMMIT
		`, fp.sync());

    // Add an endpoint to a service.
    const eps3update2 = JSON.parse(JSON.stringify(eps3update)) as typeof eps3update;
    eps3update2.endpoints!.push({ addresses: ['10.0.3.3'], conditions: {} });
    fp.proxier.onEndpointSliceUpdate(eps3update, eps3update2);
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
		:KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]
		:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80
		-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -s 10.0.3.3 -j KUBE-MARK-MASQ
		-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.3:80
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DKCFIS26GWF2WLWC
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.3:80" -j KUBE-SEP-JVVZVJ7BSEPPRNBS
		COMMIT
		`, fp.sync());

    // Sync with no new changes: no SVC or SEP chains rewritten.
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK
		-A KUBE-SERVICES -m comment --comment "ns4/svc4:p80 cluster IP" -m tcp -p tcp -d 172.30.0.44 --dport 80 -j KUBE-SVC-4SW47YFZTEDKD3PK` + NODEPORTS_LAST + NAT_FIXED + `
		COMMIT
		`, fp.sync());

    // A failed partial restore (upstream forces one with a dangling jump) makes the
    // next sync a full one, which deletes svc4's chains still on the node.
    fp.proxier.onServiceDelete(svc4);
    fp.sync(false);
    fp.proxier.reportRestoreFailure();
    expectRules(FILTER_BASE + FILTER_TAIL + NAT_TOP + `
		:KUBE-SEP-AYCN5HPXMIRJNJXU - [0:0]
		:KUBE-SEP-DKCFIS26GWF2WLWC - [0:0]
		:KUBE-SEP-JVVZVJ7BSEPPRNBS - [0:0]
		:KUBE-SEP-SNQ3ZNILQDEJNDQO - [0:0]
		:KUBE-SVC-4SW47YFZTEDKD3PK - [0:0]
		:KUBE-SVC-X27LE4BHSL4DOUIK - [0:0]
		:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 -j KUBE-SVC-X27LE4BHSL4DOUIK` + NODEPORTS_LAST + NAT_FIXED + `
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -s 10.0.3.2 -j KUBE-MARK-MASQ
		-A KUBE-SEP-DKCFIS26GWF2WLWC -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.2:80
		-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -s 10.0.3.3 -j KUBE-MARK-MASQ
		-A KUBE-SEP-JVVZVJ7BSEPPRNBS -m comment --comment ns3/svc3:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.3.3:80
		-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -s 10.0.1.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-SNQ3ZNILQDEJNDQO -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.1.1:80
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 cluster IP" -m tcp -p tcp -d 172.30.0.43 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.2:80" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-DKCFIS26GWF2WLWC
		-A KUBE-SVC-X27LE4BHSL4DOUIK -m comment --comment "ns3/svc3:p80 -> 10.0.3.3:80" -j KUBE-SEP-JVVZVJ7BSEPPRNBS
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.0.1.1:80" -j KUBE-SEP-SNQ3ZNILQDEJNDQO
		-X KUBE-SEP-AYCN5HPXMIRJNJXU
		-X KUBE-SVC-4SW47YFZTEDKD3PK
		COMMIT
		`, fp.sync());
    expect(fp.last.fullSync).toBe(true);
  });

  it('without an injected view of the node, it remembers the chains it created', () => {
    const fp = new FakeProxier({ existingNatChains: undefined });
    const eps = makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.0.1.1'], conditions: {} }];
      e.ports = [epPort('p80', 80)];
    });
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.clusterIP = '172.30.0.41';
      s.spec.ports = [tcpPort('p80', 80)];
    }));
    fp.slices(eps);
    fp.sync();
    fp.proxier.onEndpointSliceDelete(eps);
    fp.sync();
    expect(fp.last.deletedChains).toEqual(['KUBE-SEP-SNQ3ZNILQDEJNDQO', 'KUBE-SVC-XPGD46QRK7WJZT7O']);
    expect(fp.ipt.chains('nat').filter((c) => c.startsWith('KUBE-S'))).toEqual(['KUBE-SERVICES']);
  });

  it('does a full resync once an hour (proxyutil.FullSyncPeriod)', () => {
    let now = 0;
    const fp = new FakeProxier({ now: () => now });
    fp.sync();
    now = 30 * 60_000;
    fp.sync();
    expect(fp.last.fullSync).toBe(false);
    expect(fp.last.ensureRules).toEqual([]);
    now = 61 * 60_000;
    fp.sync();
    expect(fp.last.fullSync).toBe(true);
    expect(fp.last.ensureRules.length).toBe(14);
  });
});

describe('TestBadIPs', () => {
  it('rewrites sloppy IPs and CIDRs to canonical ones', () => {
    const fp = new FakeProxier();
    fp.services(makeTestService('ns1', 'svc1', (s) => {
      s.spec.type = 'LoadBalancer';
      s.spec.clusterIP = '172.30.0.041';
      s.spec.ports = [tcpPort('p80', 80, { nodePort: 3001 })];
      s.status = { loadBalancer: { ingress: [{ ip: '1.2.3.004' }] } };
      s.spec.externalIPs = ['192.168.099.022'];
      s.spec.loadBalancerSourceRanges = ['203.0.113.000/025'];
    }));
    fp.slices(makeTestEndpointSlice('ns1', 'svc1', 1, (e) => {
      e.endpoints = [{ addresses: ['10.180.00.001'], conditions: {} }];
      e.ports = [epPort('p80', 80)];
    }));
    expectRules(FILTER_BASE + FILTER_TAIL.replace('\n\t\tCOMMIT', '') + `
		-A KUBE-PROXY-FIREWALL -m comment --comment "ns1/svc1:p80 traffic not accepted by KUBE-FW-XPGD46QRK7WJZT7O" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j DROP
		COMMIT
		*nat
		:KUBE-NODEPORTS - [0:0]
		:KUBE-SERVICES - [0:0]
		:KUBE-EXT-XPGD46QRK7WJZT7O - [0:0]
		:KUBE-FW-XPGD46QRK7WJZT7O - [0:0]
		:KUBE-MARK-MASQ - [0:0]
		:KUBE-POSTROUTING - [0:0]
		:KUBE-SEP-SXIVWICOYRO3J4NJ - [0:0]
		:KUBE-SVC-XPGD46QRK7WJZT7O - [0:0]
		-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp -d 127.0.0.0/8 --dport 3001 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-XPGD46QRK7WJZT7O
		-A KUBE-NODEPORTS -m comment --comment ns1/svc1:p80 -m tcp -p tcp --dport 3001 -j KUBE-EXT-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 external IP" -m tcp -p tcp -d 192.168.99.22 --dport 80 -j KUBE-EXT-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "ns1/svc1:p80 loadbalancer IP" -m tcp -p tcp -d 1.2.3.4 --dport 80 -j KUBE-FW-XPGD46QRK7WJZT7O
		-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
		-A KUBE-EXT-XPGD46QRK7WJZT7O -m comment --comment "masquerade traffic for ns1/svc1:p80 external destinations" -j KUBE-MARK-MASQ
		-A KUBE-EXT-XPGD46QRK7WJZT7O -j KUBE-SVC-XPGD46QRK7WJZT7O
		-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-XPGD46QRK7WJZT7O
		-A KUBE-FW-XPGD46QRK7WJZT7O -m comment --comment "other traffic to ns1/svc1:p80 will be dropped by KUBE-PROXY-FIREWALL"` + NAT_FIXED + `
		-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -s 10.180.0.1 -j KUBE-MARK-MASQ
		-A KUBE-SEP-SXIVWICOYRO3J4NJ -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.180.0.1:80
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 cluster IP" -m tcp -p tcp -d 172.30.0.41 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ
		-A KUBE-SVC-XPGD46QRK7WJZT7O -m comment --comment "ns1/svc1:p80 -> 10.180.0.1:80" -j KUBE-SEP-SXIVWICOYRO3J4NJ
		COMMIT
		`, fp.sync());
  });
});

describe('smaller upstream checks', () => {
  it('TestComputeProbability', () => {
    const expected: Record<number, string> = {
      1: '1.0000000000', 2: '0.5000000000', 10: '0.1000000000', 100: '0.0100000000', 1000: '0.0010000000',
      10000: '0.0001000000', 100000: '0.0000100000', 100001: '0.0000099999',
    };
    for (const [n, p] of Object.entries(expected)) expect(computeProbability(Number(n))).toBe(p);
    let prev = 0;
    let monotonic = true;
    for (let i = 100000; i > 1; i--) {
      const cur = Number(computeProbability(i));
      if (cur <= prev) monotonic = false;
      prev = cur;
    }
    expect(monotonic).toBe(true);
    expect(computeProbability(3)).toBe('0.3333333333');
    expect(computeProbability(2048)).toBe('0.0004882812'); // Go rounds the exact tie to even
  });

  it.each([
    [false, false, '-A KUBE-FORWARD -m conntrack --ctstate INVALID -j DROP\n'],
    [true, false, '-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP\n'],
    [false, true, ''],
  ])('TestDropInvalidRule nfacct=%s tcpLiberal=%s', (nfacct, conntrackTCPLiberal, dropRule) => {
    const fp = new FakeProxier({ nfacct, conntrackTCPLiberal });
    expect(chainRules(fp.sync(), 'filter', 'KUBE-FORWARD')).toBe(
      dropRule +
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT\n' +
        '-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\n',
    );
  });

  it.each([false, true])('TestMasqueradeRule randomFully=%s', (hasRandomFully) => {
    const fp = new FakeProxier({ hasRandomFully });
    expect(chainRules(fp.sync(), 'nat', 'KUBE-POSTROUTING')).toBe(
      '-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN\n' +
        '-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000\n' +
        `-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE${hasRandomFully ? ' --random-fully' : ''}\n`,
    );
  });

  it('the real mark text is fmt %#08x of 1<<masqueradeBit', () => {
    const fp = new FakeProxier({ masqueradeMark: undefined, masqueradeBit: 14 });
    expect(chainRules(fp.sync(), 'nat', 'KUBE-MARK-MASQ')).toBe('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00004000\n');
    const fp2 = new FakeProxier({ masqueradeMark: undefined, masqueradeBit: 0 });
    expect(chainRules(fp2.sync(), 'nat', 'KUBE-MARK-MASQ')).toBe('-A KUBE-MARK-MASQ -j MARK --or-mark 0x00000001\n');
  });

  it('TestSyncProxyRulesLargeClusterMode: no per-endpoint comments above 1000 endpoints', () => {
    const fp = new FakeProxier({ masqueradeAll: true, syncPeriodMs: 30_000 });
    const svc = (ns: string, name: string, ip: string, port: string, p: number) =>
      makeTestService(ns, name, (s) => {
        s.spec.clusterIP = ip;
        s.spec.ports = [tcpPort(port, p)];
      });
    fp.services(svc('ns1', 'svc1', '172.30.0.41', 'p80', 80), svc('ns2', 'svc2', '172.30.0.42', 'p8080', 8080), svc('ns3', 'svc3', '172.30.0.43', 'p8081', 8081));
    const many = (ns: string, name: string, prefix: string, port: string, p: number) =>
      makeTestEndpointSlice(ns, name, 1, (e) => {
        e.endpoints = Array.from({ length: 1000 / 2 - 1 }, (_, i) => ({ addresses: [`${prefix}.${i % 256}.${Math.floor(i / 256)}`], conditions: {} }));
        e.ports = [epPort(port, p)];
      });
    fp.slices(many('ns1', 'svc1', '10.0', 'p80', 80), many('ns2', 'svc2', '10.1', 'p8080', 8080));
    const count = (data: string, match: string) => {
      const lines = data.split('\n').filter((l) => l.startsWith('-A KUBE-SEP-') && l.includes('-j DNAT'));
      return { first: lines.find((l) => l.includes(match)) ?? '', n: lines.length, comments: lines.filter((l) => l.includes('--comment')).length };
    };
    let r = count(fp.sync(), '10.0.0.0');
    expect(r.first).toBe('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m comment --comment ns1/svc1:p80 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
    expect([r.n, r.comments]).toEqual([998, 998]);
    fp.slices(makeTestEndpointSlice('ns3', 'svc3', 1, (e) => {
      e.endpoints = ['203.0.113.4', '203.0.113.8', '203.0.113.12'].map((ip) => ({ addresses: [ip], conditions: {} }));
      e.ports = [epPort('p8081', 8081)];
    }));
    r = count(fp.sync(), '203.0.113.4');
    expect(r.first).toBe('-A KUBE-SEP-RUVVH7YV3PHQBDOS -m tcp -p tcp -j DNAT --to-destination 203.0.113.4:8081');
    expect([r.n, r.comments]).toEqual([3, 0]);
    fp.proxier.forceFullSync();
    r = count(fp.sync(), '10.0.0.0');
    expect(r.first).toBe('-A KUBE-SEP-DKGQUZGBKLTPAR56 -m tcp -p tcp -j DNAT --to-destination 10.0.0.0:80');
    expect([r.n, r.comments]).toEqual([1001, 0]);
  });

  it('chain names of endpoints hash service port, protocol and endpoint', () => {
    expect(servicePortEndpointChainName('ns4/svc4:p80', 'tcp', '10.180.0.4:80')).toBe('KUBE-SEP-UKSFD7AGPMPPLUHC');
  });

  it('returns the jump rules upstream ensures, in order', () => {
    const fp = new FakeProxier();
    fp.sync();
    expect(fp.last.ensureRules.map((r) => `${r.table} ${r.rule}`)).toEqual([
      'filter -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      'filter -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
      'filter -A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS',
      'filter -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'filter -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'filter -A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD',
      'filter -A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      'filter -A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      'filter -A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL',
      'nat -A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'nat -A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES',
      'nat -A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING',
      'filter -A INPUT -j KUBE-FIREWALL',
      'filter -A OUTPUT -j KUBE-FIREWALL',
    ]);
    // Each is prepended, so on the node the last one ensured comes first.
    expect(fp.ipt.tables.get('filter')!.get('INPUT')!.map((r) => r.raw.split(' -j ')[1])).toEqual(['KUBE-FIREWALL', 'KUBE-PROXY-FIREWALL', 'KUBE-NODEPORTS', 'KUBE-EXTERNAL-SERVICES']);
    expect(parseDump(fp.last.restore).map((t) => t.name)).toEqual(['filter', 'nat']);
  });
});

describe('ClusterIP with three endpoints', () => {
  // No upstream test dumps a 3-endpoint service whole; this expected text is assembled
  // from the rule shapes of TestOverallIPTablesRules (svc4) with probabilities 1/3, 1/2.
  it('writes the 1/3, 1/2, rest probability ladder', () => {
    const fp = new FakeProxier();
    fp.services(makeTestService('default', 'web', (s) => {
      s.spec.clusterIP = '10.96.0.20';
      s.spec.ports = [tcpPort('http', 80, { targetPort: 8080 })];
    }));
    fp.slices(makeTestEndpointSlice('default', 'web', 1, (e) => {
      e.endpoints = ['10.244.1.2', '10.244.2.3', '10.244.1.3'].map((ip) => ({ addresses: [ip], conditions: { ready: true } }));
      e.ports = [epPort('http', 8080)];
    }));
    const out = fp.sync();
    const svc = fp.last.services[0]!;
    const [a, b, c] = svc.clusterEndpoints.map((e) => e.chain);
    expect(chainRules(out, 'nat', svc.chains.cluster!)).toBe(
      `-A ${svc.chains.cluster} -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.0.20 --dport 80 ! -s 10.0.0.0/8 -j KUBE-MARK-MASQ\n` +
        `-A ${svc.chains.cluster} -m comment --comment "default/web:http -> 10.244.1.2:8080" -m statistic --mode random --probability 0.3333333333 -j ${a}\n` +
        `-A ${svc.chains.cluster} -m comment --comment "default/web:http -> 10.244.1.3:8080" -m statistic --mode random --probability 0.5000000000 -j ${b}\n` +
        `-A ${svc.chains.cluster} -m comment --comment "default/web:http -> 10.244.2.3:8080" -j ${c}\n`,
    );
    expect(svc.clusterEndpoints.map((e) => [e.endpoint, e.probability])).toEqual([
      ['10.244.1.2:8080', '0.3333333333'], ['10.244.1.3:8080', '0.5000000000'], ['10.244.2.3:8080', null],
    ]);
    expect(chainRules(out, 'nat', a!)).toBe(
      `-A ${a} -m comment --comment default/web:http -s 10.244.1.2 -j KUBE-MARK-MASQ\n` +
        `-A ${a} -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.2:8080\n`,
    );
  });
});
