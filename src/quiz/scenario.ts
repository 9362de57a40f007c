import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseAllDocuments, stringify } from 'yaml';
import { createCluster } from '../engine';
import { createSession, groupLines, terminalText } from '../shell';
import type { PredictScenario } from './bank';
import { matchingChoices, truthOf } from './predict';
import { SCENARIO_FILE, type Question } from './schema';

/**
 * Build-time (and test-time) half of predict-the-output questions: run a question's
 * scenario through the same engine and shell as `clusterpath run` and the lab terminal, and
 * work out the truth. Uses node:fs and the whole engine, so it is not part of index.ts:
 * the quiz pages must never ship the engine (only bank-build.ts and tests import this).
 */

export type PredictSource = Extract<Question, { type: 'predict' }>;

/** An author's mistake or an engine answer the question does not allow; names the question. */
export class PredictError extends Error {}

export interface Solved {
  scenario: PredictScenario;
  /** The terminal's prompt when the command was typed (after `ssh worker`: the node's). */
  shellPrompt: string;
  /** What the terminal showed for the command, both streams, as `clusterpath run` prints it. */
  output: string;
  exitCode: number;
  /** What the learner must say: the extracted value, or the whole output. */
  truth: string;
  /** choose: the index of the one choice equal to the truth. */
  answer?: number;
}

interface Manifest {
  text: string;
  source: string;
}

/** The manifests a scenario boots with: its cluster settings first, then files and inline YAML. */
export function scenarioManifests(q: PredictSource, contentDir: string): Manifest[] {
  const out: Manifest[] = [];
  const { cluster, kubeProxy } = q.scenario;
  if (cluster && Object.keys(cluster).length) {
    out.push({ source: 'cluster.yaml', text: stringify({ apiVersion: 'clusterpath.dev/v1alpha1', kind: 'ClusterConfig', ...cluster }) });
  }
  if (kubeProxy && Object.keys(kubeProxy).length) {
    out.push({ source: 'kube-proxy.yaml', text: stringify({ apiVersion: 'kubeproxy.config.k8s.io/v1alpha1', kind: 'KubeProxyConfiguration', ...kubeProxy }) });
  }
  q.scenario.manifests.forEach((m, i) => {
    if (!SCENARIO_FILE.test(m)) {
      out.push({ source: `manifest-${i + 1}.yaml`, text: m });
      return;
    }
    try {
      out.push({ source: m, text: readFileSync(join(contentDir, m), 'utf8') });
    } catch {
      throw new PredictError(`${q.id}: scenario.manifests[${i}]: cannot read content/quiz/${m}`);
    }
  });
  return out;
}

/** What the learner is told about the cluster: the objects applied and the settings. */
function summarize(q: PredictSource, manifests: Manifest[]): PredictScenario {
  const objects: string[] = [];
  const yaml: string[] = [];
  for (const m of manifests) {
    for (const doc of parseAllDocuments(m.text)) {
      const o = doc.toJS() as { kind?: string; metadata?: { name?: string; namespace?: string } } | null;
      if (!o?.kind || o.kind === 'ClusterConfig' || o.kind === 'KubeProxyConfiguration') continue;
      const ns = o.metadata?.namespace && o.metadata.namespace !== 'default' ? ` (namespace ${o.metadata.namespace})` : '';
      objects.push(`${o.kind} ${o.metadata?.name ?? ''}${ns}`.trim());
    }
    yaml.push(m.text.trim());
  }
  const kp = q.scenario.kubeProxy;
  const settings = [
    'kind-like cluster: control-plane, worker, worker2',
    `kube-proxy mode ${kp?.mode ?? 'iptables'}${kp?.ipvs?.scheduler ? `, IPVS scheduler ${kp.ipvs.scheduler}` : ''}`,
    `CNI ${q.scenario.cluster?.cni ?? 'kindnet'}`,
  ];
  return { objects, settings, manifests: yaml.join('\n---\n') + '\n', setup: [...q.scenario.setup] };
}

/** Boots the scenario's cluster, runs the setup lines (output dropped), then the command. */
export async function runScenario(q: PredictSource, contentDir: string): Promise<Omit<Solved, 'truth' | 'answer'>> {
  const manifests = scenarioManifests(q, contentDir);
  const cluster = createCluster({ seed: q.scenario.seed ?? 1, manifests });
  const failed = cluster.setupResults.find((r) => !r.ok);
  if (failed && !failed.ok) throw new PredictError(`${q.id}: the scenario's manifests do not apply: ${failed.error.message}`);
  const session = createSession({ cluster, interactive: false });
  for (const line of groupLines(q.scenario.setup)) await session.run(line);
  const shellPrompt = session.prompt();
  const r = await session.run(q.scenario.command);
  if (session.bugs.length) throw new PredictError(`${q.id}: the engine threw while running the scenario: ${session.bugs[0]}`);
  return { scenario: summarize(q, manifests), shellPrompt, output: terminalText(r), exitCode: r.exitCode };
}

/**
 * Runs the scenario and checks the question against the engine's answer. Throws a
 * PredictError naming the question when the extract finds nothing, when not exactly one
 * choice equals the truth, or when the author's declared answer is not the engine's.
 */
export async function solvePredict(q: PredictSource, contentDir: string): Promise<Solved> {
  const run = await runScenario(q, contentDir);
  const shown = `\n--- ${run.shellPrompt}${q.scenario.command}\n${run.output}---`;
  const truth = truthOf(run.output, q.extract);
  if (truth === null) throw new PredictError(`${q.id}: extract /${q.extract}/ matches nothing in the output:${shown}`);
  if (!q.choices) {
    if (typeof q.answer === 'string' && q.answer !== truth) throw new PredictError(`${q.id}: answer is "${q.answer}" but the engine says "${truth}":${shown}`);
    return { ...run, truth };
  }
  const hits = matchingChoices(q.choices, truth);
  if (hits.length !== 1) {
    const which = hits.length === 0 ? 'no choice equals' : `choices ${hits.join(', ')} all equal`;
    throw new PredictError(`${q.id}: ${which} the engine's truth "${truth}":${shown}`);
  }
  if (typeof q.answer === 'number' && q.answer !== hits[0]) throw new PredictError(`${q.id}: answer is choice ${q.answer} but the engine's truth is choice ${hits[0]} ("${truth}")`);
  return { ...run, truth, answer: hits[0]! };
}
