/**
 * NetworkPolicy evaluation: a pure function of (policies, pods, namespaces, nodes, CNI) and
 * one new flow, returning the verdict and why.
 *
 *   const index = buildNetpolIndex({ policies, pods, namespaces, nodes, cni: 'kindnet' });
 *   const v = evaluateFlow(index, {
 *     source: { pod: client },                      // or { node: 'worker' } or { ip: '203.0.113.7' }
 *     destination: { pod: server, ip: '10.244.2.7' }, // after DNAT: the pod IP, not the ClusterIP
 *     port: 8080, protocol: 'TCP',
 *   });
 *   v.allowed; v.deniedAt;                  // 'Egress' | 'Ingress' | null
 *   v.ingress.isolatedBy;                   // ['default-deny', 'allow-frontend']
 *   v.ingress.allowedBy?.path;              // 'spec.ingress[0]: from[1], ports[0]'
 *   v.message;                              // one line for a Trace
 *
 * Rebuild the index when policies, pods (labels, IPs), namespaces (labels) or nodes change;
 * it is cheap (a few ms for thousands of objects) and makes a verdict take microseconds.
 * The verdict is for the first packet of a flow: replies and the rest of an allowed flow
 * pass by conntrack. A denied TCP SYN is dropped, so the client times out.
 */
export type {
  CniName,
  NetpolInput,
  PodRef,
  FlowEndpoint,
  Flow,
  EndpointInfo,
  Direction,
  DirectionReason,
  DirectionVerdict,
  RuleMatch,
  Verdict,
} from './types';
export { NetpolIndex, buildNetpolIndex, CNI_PROFILES, NAMESPACE_NAME_LABEL, type CniProfile } from './policyindex';
export { evaluateFlow, evaluateFlowIndexed, evaluateDirection } from './evaluate';
export { effectivePolicyTypes, compilePolicy, type CompiledPolicy, type CompiledRule, type CompiledPeer, type CompiledPort } from './compile';
export { reachability, formatTruthTable, parseTruthTable, compareTruthTables, type TruthTable } from './truthtable';
export { e2eModel, e2eManifests, E2E_NAMESPACES, E2E_PODS, E2E_PORTS, E2E_PROTOCOLS, type E2EModel } from './e2emodel';
