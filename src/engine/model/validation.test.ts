// Validation messages as the API server words them (pkg/apis/core/validation,
// pkg/apis/apps/validation, apimachinery/pkg/util/validation), printed by kubectl.
import { describe, expect, it } from 'vitest';
import { createCluster, formatKubectlError } from '../index';

const c = createCluster();
const err = (yaml: string): string => {
  const [r] = c.apply(yaml);
  if (!r || r.ok) throw new Error('expected a failure');
  return formatKubectlError(r.error);
};
const got = (name: string): unknown => {
  const r = c.get('svc', 'default', name);
  if (!r.ok) throw new Error(`no Service ${name}`);
  return r.value;
};
const svc = (spec: string, name = 'web') => `apiVersion: v1\nkind: Service\nmetadata: {name: ${name}}\nspec:\n${spec}`;
const deploy = (strategy: string) => `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  strategy: ${strategy}\n  selector: {matchLabels: {a: b}}\n  template:\n    metadata: {labels: {a: b}}\n    spec: {containers: [{name: c, image: nginx}]}\n`;

describe('validation messages', () => {
  it('Service names are DNS-1035 labels', () => {
    expect(err(svc('  ports: [{port: 80}]\n', '1web'))).toBe(
      `The Service "1web" is invalid: metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    );
  });
  it('ports are required, in range, and named when there are several', () => {
    expect(err(svc('  selector: {a: b}\n'))).toBe('The Service "web" is invalid: spec.ports: Required value');
    expect(err(svc('  ports: [{port: 0, targetPort: 80}]\n'))).toBe('The Service "web" is invalid: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive');
    expect(err(svc('  ports: [{port: 80}, {port: 81}]\n'))).toBe('The Service "web" is invalid: \n* spec.ports[0].name: Required value\n* spec.ports[1].name: Required value');
  });
  it('nodePort is forbidden on a ClusterIP Service; unsupported types list the supported ones', () => {
    expect(err(svc('  ports: [{port: 80, nodePort: 30080}]\n'))).toBe("The Service \"web\" is invalid: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    expect(err(svc('  type: Nodeport\n  ports: [{port: 80}]\n'))).toBe('The Service "web" is invalid: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"');
  });
  it('externalTrafficPolicy only on externally-accessible Services; healthCheckNodePort only on LoadBalancer + Local', () => {
    expect(err(svc('  externalTrafficPolicy: Local\n  ports: [{port: 80}]\n'))).toBe('The Service "web" is invalid: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services');
    expect(err(svc('  type: NodePort\n  healthCheckNodePort: 30999\n  ports: [{port: 80}]\n'))).toBe("The Service \"web\" is invalid: spec.healthCheckNodePort: Invalid value: 30999: may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'");
  });
  it('external IPs make a ClusterIP Service externally accessible: its policy defaults to Cluster', () => {
    const [r] = c.apply(svc('  externalIPs: [192.0.2.10]\n  ports: [{port: 80}]\n', 'ext'));
    expect(r?.ok).toBe(true);
    expect((got('ext') as { spec: { externalTrafficPolicy?: string } }).spec.externalTrafficPolicy).toBe('Cluster');
  });
  it('changing type drops the fields only the old type used, when the update left them alone (dropTypeDependentFields)', () => {
    expect(c.apply(svc('  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {app: lb}\n  ports: [{port: 80}]\n', 'lb'))[0]?.ok).toBe(true);
    const before = got('lb') as unknown as { spec: Record<string, unknown> };
    expect(before.spec.healthCheckNodePort).toEqual(expect.any(Number));
    // The whole old object with only `type` changed, as `kubectl patch -p '{"spec":{"type":"ClusterIP"}}'` sends it.
    const next = JSON.parse(JSON.stringify(before)) as { spec: Record<string, unknown> };
    next.spec.type = 'ClusterIP';
    const [r] = c.apply(JSON.stringify(next));
    expect(r?.ok).toBe(true);
    const after = (got('lb') as unknown as { spec: Record<string, unknown> & { ports: { nodePort?: number }[] } }).spec;
    expect([after.type, after.externalTrafficPolicy, after.healthCheckNodePort, after.allocateLoadBalancerNodePorts, after.ports[0]!.nodePort]).toEqual(['ClusterIP', undefined, undefined, undefined, undefined]);
  });
  it('maxUnavailable and maxSurge may not both be 0; Recreate takes no rollingUpdate', () => {
    expect(err(deploy('{rollingUpdate: {maxSurge: 0, maxUnavailable: 0}}'))).toBe('The Deployment "d" is invalid: spec.strategy.rollingUpdate.maxUnavailable: Invalid value: 0: may not be 0 when `maxSurge` is 0');
    expect(err(deploy('{type: Recreate, rollingUpdate: {maxSurge: 1}}'))).toBe("The Deployment \"d\" is invalid: spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'");
  });
  it('a Deployment only accepts restartPolicy Always', () => {
    expect(err(deploy('{}').replace('{containers:', '{restartPolicy: Never, containers:'))).toBe('The Deployment "d" is invalid: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"');
  });
  it('containers need a name and an image', () => {
    expect(err('apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c}]\n')).toBe('The Pod "p" is invalid: spec.containers[0].image: Required value');
  });
});
