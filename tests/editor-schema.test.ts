// The editor's JSON Schema (src/editor/schema.ts) made from the engine's OpenAPI slice, checked
// with a real JSON Schema validator (ajv, draft-07) against manifests: what the API server
// accepts passes, the mistakes it rejects for a wrong type, a missing required field or a value
// outside an enum are caught, and the kind decides which schema applies.
import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import { parseAllDocuments } from 'yaml';
import { describe, expect, it } from 'vitest';
import { RESOURCES, schemaFor } from '../src/engine';
import { kubernetesJsonSchema } from '../src/editor';

const schema = kubernetesJsonSchema({ kinds: RESOURCES, schemaFor });
const validate = new Ajv({ allErrors: true, strict: false }).compile(schema);

function errors(yamlText: string): string[] {
  const doc = parseAllDocuments(yamlText)[0]!.toJS();
  return validate(doc) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

const SERVICE = `apiVersion: v1
kind: Service
metadata:
  name: web
  labels: {app: web}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
`;

describe('the editor schema', () => {
  it('accepts the lab manifests and every kind they use', () => {
    const dir = new URL('../labs/kube-proxy-first-look/manifests/', import.meta.url);
    for (const file of ['web.yaml', 'client.yaml']) {
      for (const doc of parseAllDocuments(readFileSync(new URL(file, dir), 'utf8'))) {
        expect(validate(doc.toJS()), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true);
      }
    }
    expect(errors(SERVICE)).toEqual([]);
  });

  it('a port must be an integer; targetPort may be a number or a name (IntOrString)', () => {
    expect(errors(SERVICE.replace('port: 80', 'port: eighty'))).toContain('/spec/ports/0/port must be integer');
    expect(errors(SERVICE.replace('targetPort: http', 'targetPort: 8080'))).toEqual([]);
  });

  it('required fields and enums are upstream’s', () => {
    // ServicePort.port is required; Service.spec.type is one of four.
    expect(errors(SERVICE.replace('    port: 80\n', ''))).toContain("/spec/ports/0 must have required property 'port'");
    expect(errors(SERVICE.replace('type: NodePort', 'type: Nodeport'))).toContain('/spec/type must be equal to one of the allowed values');
    // Label values are strings: `app: 1` is rejected as the API server's decoder does.
    expect(errors(SERVICE.replace('labels: {app: web}', 'labels: {app: 1}'))).toContain('/metadata/labels/app must be string');
  });

  it('the kind picks the schema, and the apiVersion must be the one it is served under', () => {
    expect(errors(SERVICE.replace('apiVersion: v1', 'apiVersion: apps/v1'))).toContain('/apiVersion must be equal to one of the allowed values');
    const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: two
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - image: nginx
`;
    const got = errors(deployment);
    expect(got).toContain('/spec/replicas must be integer');
    expect(got).toContain("/spec/template/spec/containers/0 must have required property 'name'");
    expect(errors('apiVersion: v1\nkind: Servcie\nmetadata: {name: x}\n')).toContain('/kind must be equal to one of the allowed values');
  });

  it('kinds the slice does not describe still check their metadata; a List checks its items', () => {
    expect(errors('apiVersion: v1\nkind: Namespace\nmetadata: {name: x, labels: {a: 1}}\n')).toContain('/metadata/labels/a must be string');
    const list = `apiVersion: v1\nkind: List\nitems:\n- ${SERVICE.replace('port: 80', 'port: eighty').replace(/\n/g, '\n  ').trimEnd()}\n`;
    expect(errors(list)).toContain('/items/0/spec/ports/0/port must be integer');
  });

  it('every described type is reachable and every $ref resolves', () => {
    const text = JSON.stringify(schema);
    const defs = (schema['definitions'] ?? {}) as Record<string, unknown>;
    for (const m of text.matchAll(/"\$ref":"#\/definitions\/([^"]+)"/g)) expect(defs).toHaveProperty(m[1]!);
    for (const t of ['Service', 'ServiceSpec', 'ServicePort', 'NetworkPolicyPeer', 'Probe', 'ObjectMeta']) expect(defs).toHaveProperty(t);
  });
});
