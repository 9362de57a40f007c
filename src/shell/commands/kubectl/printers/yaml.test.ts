import { describe, expect, it } from 'vitest';
import { toYaml } from './yaml';

describe('toYaml (kubectl -o yaml style)', () => {
  it('sorts keys, keeps sequences flush and quotes like go-yaml', () => {
    const out = toYaml({
      kind: 'Service',
      apiVersion: 'v1',
      metadata: { name: 'web', creationTimestamp: '2026-01-01T00:00:00Z', labels: { on: 'true', port: '80', x: 'yes', y: 'a: b' }, annotations: { e: '' } },
      spec: { ports: [{ port: 80, targetPort: 'http' }] },
    });
    expect(out).toBe(
      [
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  annotations:',
        '    e: ""',
        '  creationTimestamp: "2026-01-01T00:00:00Z"',
        '  labels:',
        '    "on": "true"',
        '    port: "80"',
        '    x: "yes"',
        "    \"y\": 'a: b'",
        '  name: web',
        'spec:',
        '  ports:',
        '  - port: 80',
        '    targetPort: http',
        '',
      ].join('\n'),
    );
  });
});
