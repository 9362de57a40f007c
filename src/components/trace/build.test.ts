import { describe, expect, it } from 'vitest';
import { buildTraces } from './build';
import { WEB } from './testing';

describe('buildTraces (lessons, build time)', () => {
  it('runs the command in the Pod and keeps its connections, DNS first', async () => {
    const { traces, output } = await buildTraces({ manifests: [{ text: WEB, source: 'web.yaml' }], from: 'client', command: 'curl -s -o /dev/null -w "%{http_code}" web' });
    expect(output).toBe('200');
    expect(traces.map((t) => t.note ?? `${t.protocol} ${t.to.host}`)).toEqual(['DNS query A web.default.svc.cluster.local.', 'DNS query AAAA web.default.svc.cluster.local.', 'TCP web']);
  });

  it('an author mistake fails the build with what happened', async () => {
    await expect(buildTraces({ manifests: [{ text: WEB, source: 'web.yaml' }], from: 'nope', command: 'curl web' })).rejects.toThrow(
      /^packet path: `curl web` in default\/nope made no connection; it printed:\nError from server \(NotFound\): pods "nope" not found/,
    );
    await expect(buildTraces({ manifests: [{ text: 'kind: Service\napiVersion: v1\nmetadata: {name: x}\nspec: {ports: [{port: 99999}]}\n', source: 'bad.yaml' }], from: 'client', command: 'true' })).rejects.toThrow(/^packet path: the scenario did not apply: /);
  });
});
