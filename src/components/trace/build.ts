/**
 * Build-time packet paths for lessons (EnginePacketPath.astro): boot the engine on a
 * scenario, run one command in a Pod exactly as a learner would type it, and keep the
 * Traces of its connections. An author's mistake (a Pod that does not exist, a command that
 * makes no connection) fails the build with what went wrong.
 */
import { createCluster, type Trace } from '../../engine';
import { createSession, terminalText } from '../../shell';

export interface BuildTraceOptions {
  /** The scenario: multi-document YAML (may hold a ClusterConfig / KubeProxyConfiguration). */
  manifests: { text: string; source: string }[];
  /** The source Pod, `name` or `namespace/name`. */
  from: string;
  /** The command as typed in the Pod's shell (`curl -s web`, `nslookup web`). */
  command: string;
  seed?: number;
  /** Keep only the last N connections (a lookup through the search list makes many). */
  last?: number;
}

/** Engine time the scenario gets before the command, so Pods are Running and Ready. */
const SETTLE_MS = 60_000;

export async function buildTraces(o: BuildTraceOptions): Promise<{ traces: Trace[]; output: string }> {
  const cluster = createCluster({ seed: o.seed ?? 1, manifests: o.manifests });
  const failed = cluster.setupResults.filter((r) => !r.ok);
  if (failed.length) throw new Error(`packet path: the scenario did not apply: ${failed.map((f) => (f.ok ? '' : f.error.message)).join('; ')}`);
  cluster.tick(SETTLE_MS);
  const [ns, pod] = o.from.includes('/') ? (o.from.split('/') as [string, string]) : ['default', o.from];
  const traces: Trace[] = [];
  cluster.onTrace((t) => void traces.push(t));
  const r = await createSession({ cluster }).run(`kubectl exec -n ${ns} ${pod} -- ${o.command}`);
  const output = terminalText(r);
  if (traces.length === 0) throw new Error(`packet path: \`${o.command}\` in ${ns}/${pod} made no connection; it printed:\n${output}`);
  return { traces: traces.slice(-(o.last ?? 8)), output };
}
