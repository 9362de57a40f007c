import { describe, expect, it } from 'vitest';
import { questionSchema } from './schema';
import { PredictError, solvePredict, type PredictSource } from './scenario';

// A Service with a fixed ClusterIP, so the expected values below come from the manifest itself.
const svc = `apiVersion: v1
kind: Service
metadata:
  name: db
spec:
  clusterIP: 10.96.50.50
  ports:
  - port: 5432
`;

const question = (extra: Record<string, unknown>): PredictSource =>
  questionSchema.parse({
    id: 'p-db', topic: 'services', level: 'basic', type: 'predict', prompt: 'What ClusterIP does db get?', explanation: 'The one it asked for.',
    scenario: { manifests: [svc], command: 'kubectl get svc db -o jsonpath={.spec.clusterIP}' },
    ...extra,
  }) as PredictSource;

describe('solvePredict', () => {
  it('runs the scenario and finds the one right choice', async () => {
    const s = await solvePredict(question({ choices: ['10.96.0.10', '10.96.50.50'] }), '.');
    expect(s).toMatchObject({ output: '10.96.50.50', exitCode: 0, truth: '10.96.50.50', answer: 1, shellPrompt: 'user@workstation:~$ ' });
    expect(s.scenario.objects).toEqual(['Service db']);
    expect(s.scenario.settings).toContain('kube-proxy mode iptables');
  });

  it('extracts a typed value and checks the declared answer', async () => {
    const q = question({ extract: '^10\\.96\\.(\\d+)', answer: '50' });
    expect((await solvePredict(q, '.')).truth).toBe('50');
    await expect(solvePredict(question({ extract: '^10\\.96\\.(\\d+)', answer: '51' }), '.')).rejects.toThrow('p-db: answer is "51" but the engine says "50"');
  });

  it('fails naming the question when no choice, or more than one, is the truth', async () => {
    await expect(solvePredict(question({ choices: ['10.96.0.10', '10.96.0.11'] }), '.')).rejects.toThrow(/^p-db: no choice equals the engine's truth "10\.96\.50\.50"/);
    await expect(solvePredict(question({ choices: ['10.96.50.50', '10.96.50.50 '] }), '.')).rejects.toThrow(/^p-db: choices 0, 1 all equal/);
    await expect(solvePredict(question({ choices: ['10.96.0.10', '10.96.50.50'], answer: 0 }), '.')).rejects.toThrow("p-db: answer is choice 0 but the engine's truth is choice 1");
    await expect(solvePredict(question({ extract: 'nothing (here)' }), '.')).rejects.toBeInstanceOf(PredictError);
  });

  it('fails when a manifest does not apply or a file is missing', async () => {
    const bad = question({ choices: ['a', 'b'] });
    bad.scenario.manifests = ['apiVersion: v1\nkind: Service\nmetadata:\n  name: Bad_Name\n'];
    await expect(solvePredict(bad, '.')).rejects.toThrow(/^p-db: the scenario's manifests do not apply: /);
    const missing = question({ choices: ['a', 'b'] });
    missing.scenario.manifests = ['scenarios/nope.yaml'];
    await expect(solvePredict(missing, '.')).rejects.toThrow('p-db: scenario.manifests[0]: cannot read content/quiz/scenarios/nope.yaml');
  });

  it('applies the cluster and kube-proxy settings and runs setup lines first', async () => {
    const q = question({ extract: '^TCP\\s+\\S+\\s+(\\S+)', answer: 'wlc' });
    q.scenario.kubeProxy = { mode: 'ipvs', ipvs: { scheduler: 'wlc' } };
    q.scenario.setup = ['ssh worker'];
    q.scenario.command = 'ipvsadm -Ln -t 10.96.50.50:5432';
    const s = await solvePredict(q, '.');
    expect(s.shellPrompt).toBe('root@worker:~# ');
    expect(s.scenario.settings).toContain('kube-proxy mode ipvs, IPVS scheduler wlc');
  });
});
