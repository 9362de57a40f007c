/**
 * One lab session: the cluster, the learner's shell and the event log that can rebuild both.
 * The worker (src/lab/worker.ts) hosts one and only passes messages; tests drive the same
 * class. Every input goes through here and is logged with its engine time, so replaying the
 * log on a fresh runtime reaches the same state (see SessionClock for why time replays).
 */
import { createCluster, formatKubectlError, type ApplyResult, type Cluster, type Trace } from '../engine';
import { createSession, terminalText, type ExternalEditor, type RealTime, type RunOptions, type Session, type TerminalSize } from '../shell';
import { SessionClock } from './clock';
import { Completer } from './complete';
import { LOG_VERSION, MAX_TABS, type SessionEvent, type SessionLog } from './log';
import { truncateOutput } from './output';
import { Timeline } from './timeline';

export interface RuntimeSetup {
  slug: string;
  seed: number;
  manifests: { text: string; source: string }[];
}

/** What one logged input showed in the terminal (the scrollback after a replay, the export). */
export type TranscriptEntry =
  | { kind: 'line'; prompt: string; line: string; output: string; exitCode: number; changed: boolean; tab?: number }
  | { kind: 'write'; path: string; changed: true };

/** How a live line runs: its terminal tab, where its output streams, its Ctrl-C, real time, the terminal's size. */
export interface LiveRun {
  tab?: number;
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  time?: RealTime;
  terminal?: () => TerminalSize;
}

/** A line's connections travel with its result; a lookup through the search list makes many, keep the last few. */
export const TRACES_PER_COMMAND = 8;

export interface RunOutcome {
  output: string;
  prompt: string;
  exitCode: number;
  nested: boolean;
  /** The connections this line made (its last TRACES_PER_COMMAND), never another tab's. */
  traces: Trace[];
}

/** One terminal tab: its shell, its completion, and the Traces of the line running in it. */
interface Tab {
  session: Session;
  completer: Completer;
  traces: TraceSink;
}

/** Where a tab's connections go: the running live line's list (a replay keeps none). */
interface TraceSink {
  line: Trace[] | undefined;
}

/** The learner's home on the workstation; `~/x` in a write means this. */
export const HOME = '/home/user';

/** Cluster calls that change what the API server holds (dry runs excepted). */
const WRITES = new Set(['apply', 'create', 'update', 'patch', 'delete', 'setAppState', 'rolloutUndo', 'rolloutRestart']);

/**
 * Lines that change the shell's own state without touching files or the cluster: kubeconfig
 * edits (`kubectl config set-context --current --namespace=x`) and the environment.
 */
const SHELL_STATE = /(^|[;&|]\s*)(kubectl\s+config\s+(set|use|unset|delete|rename)|export\s|unset\s|alias\s|unalias\s|source\s|\.\s)/;

export class LabRuntime {
  readonly clock: SessionClock;
  readonly cluster: Cluster;
  readonly session: Session;
  readonly completer: Completer;
  /** Tab 0 is `session`; more tabs share its file systems and kubeconfig. */
  readonly #tabs: Tab[] = [];
  /** Lines running now (live tabs run at once), for the log: a save taken meanwhile stops them there. */
  readonly #running = new Set<Extract<SessionEvent, { kind: 'line' }>>();
  /** Errors from the setup manifests, as kubectl would print them. */
  readonly notice: string;
  readonly #setup: RuntimeSetup;
  readonly #start: number;
  readonly #events: SessionEvent[] = [];
  readonly #transcript: TranscriptEntry[] = [];
  /** Successful API writes by the learner's commands (the cluster proxy counts them). */
  #writes = 0;
  /** The page's editor (live); absent in tests and the CLI, where `kubectl edit` fails as without $EDITOR. */
  readonly #editor: ExternalEditor | undefined;
  /** Each tab's running line: the editor's answers are recorded into it (live) or read from it (replay). */
  readonly #editing = new Map<Session, { edits: (string | null)[]; replay: boolean }>();

  /** Boots the lab's cluster at engine time `start`; `real` is a monotonic ms source. */
  constructor(setup: RuntimeSetup, start: number, real: () => number, editor?: ExternalEditor) {
    this.#editor = editor;
    this.#setup = setup;
    this.#start = start;
    this.clock = new SessionClock(start, real);
    const cluster = createCluster({ seed: setup.seed, clock: this.clock, manifests: setup.manifests });
    this.cluster = cluster;
    this.notice = cluster.setupResults
      .filter((r): r is Extract<ApplyResult, { ok: false }> => !r.ok)
      .map((r) => formatKubectlError(r.error, { verb: 'creating', ...(r.name ? { name: r.name } : {}), ...(r.namespace ? { namespace: r.namespace } : {}) }) + '\n')
      .join('');
    const first = this.#newTab();
    this.session = first.session;
    this.completer = first.completer;
    this.#tabs.push(first);
  }

  /** The shell of terminal tab `tab` (0 is the first), made on first use. */
  tab(tab: number): { session: Session; completer: Completer } {
    return this.#tab(tab);
  }

  #tab(tab: number): Tab {
    if (!Number.isInteger(tab) || tab < 0 || tab >= MAX_TABS) throw new RangeError(`no terminal tab ${tab}`);
    while (this.#tabs.length <= tab) this.#tabs.push(this.#newTab(this.session));
    return this.#tabs[tab]!;
  }

  /** A tab's shell; `share`: the first tab's, whose files and kubeconfig it shares. */
  #newTab(share?: Session): Tab {
    const traces: TraceSink = { line: undefined };
    const self: { session?: Session } = {};
    self.session = createSession({
      cluster: this.#tabCluster(this.cluster, traces),
      interactive: true,
      ...(share ? { share } : {}),
      ...(this.#editor ? { editor: (f: { path: string; text: string }) => this.#edit(self.session!, f) } : {}),
    });
    return { session: self.session, completer: new Completer(self.session, this.cluster), traces };
  }

  /** Where each open tab's shell is (the page draws their prompts). */
  tabViews(): { prompt: string; nested: boolean }[] {
    return this.#tabs.map(({ session }) => ({ prompt: session.prompt(), nested: session.place.kind !== 'workstation' }));
  }

  /** The log so far: enough to rebuild this session anywhere. */
  log(): SessionLog {
    // A line still running (`ping`, `kubectl get -w`) is logged as interrupted now: a reload ends it.
    const events = this.#events.map((e) => (e.kind === 'line' && this.#running.has(e) ? { ...e, ran: Math.max(0, this.clock.liveTarget() - e.at) } : e));
    return { v: LOG_VERSION, slug: this.#setup.slug, seed: this.#setup.seed, start: this.#start, events };
  }

  transcript(): readonly TranscriptEntry[] {
    return this.#transcript;
  }

  get nested(): boolean {
    return this.session.place.kind !== 'workstation';
  }

  /** Live: the cluster catches up with real time (due timers fire at their due times). */
  catchUp(): void {
    const target = this.clock.liveTarget();
    this.cluster.tick(Math.max(0, target - this.clock.now()));
  }

  /** Runs one line as typed, logging it at the current engine time. */
  async run(line: string, live: LiveRun = {}): Promise<RunOutcome> {
    this.catchUp();
    const tab = live.tab ?? 0;
    this.tab(tab);
    return this.#run(
      { at: this.clock.now(), kind: 'line', line, ...(tab ? { tab } : {}) },
      {
        endless: true,
        ...(live.onOutput ? { onOutput: live.onOutput } : {}),
        ...(live.signal ? { signal: live.signal } : {}),
        ...(live.time ? { time: live.time } : {}),
        ...(live.terminal ? { terminal: live.terminal } : {}),
      },
    );
  }

  /**
   * The one way a file gets into the learner's file system from outside the shell (the
   * editor): written into the workstation's files and logged, so undo, resume and share see it.
   * Saving the text the file already has (the editor's Apply saves before it applies, so
   * Ctrl+S then Apply saves twice) changes nothing and logs nothing: one save, one event.
   */
  async writeLearnerFile(path: string, text: string): Promise<string> {
    this.catchUp();
    const abs = learnerPath(path);
    if ((await this.readFile(abs)) === text) return abs;
    await this.#write({ at: this.clock.now(), kind: 'write', path: abs, text });
    return abs;
  }

  /** Reads a workstation file (the checks' `file` type, the editor); undefined if absent. */
  async readFile(path: string): Promise<string | undefined> {
    try {
      return await this.session.fs.readFile(learnerPath(path));
    } catch {
      return undefined;
    }
  }

  /**
   * Applies logged events in order, each at its recorded time (the clock must not be live).
   * Lines of different tabs may have run at once (a watch in one, curl in the other): each
   * starts at its time, and their waits wake in engine-time order on a timeline, as live.
   */
  async replay(events: readonly SessionEvent[]): Promise<void> {
    const timeline = new Timeline(this.clock);
    let failed: unknown;
    for (const e of events) {
      await timeline.runUntil(e.at);
      if (failed) throw failed;
      this.cluster.tick(Math.max(0, e.at - this.clock.now()));
      if (e.kind === 'write') {
        await this.#write(e);
        continue;
      }
      this.tab(e.tab ?? 0);
      const run = this.#run(e, { replay: true, time: timeline, endless: e.ran !== undefined, ...(e.ran !== undefined ? { stopAt: e.at + e.ran } : {}) });
      timeline.track(run.catch((err: unknown) => (failed ??= err)));
    }
    await timeline.runUntil(Infinity);
    if (failed) throw failed;
  }

  /** Index of the last event that changed something (what Undo takes back), or -1. */
  lastChange(): number {
    for (let i = this.#transcript.length - 1; i >= 0; i--) if (this.#transcript[i]!.changed) return i;
    return -1;
  }

  /** `kubectl edit` asks the editor: live, the page's (answer recorded); in a replay, the log's. */
  async #edit(session: Session, file: { path: string; text: string }): Promise<string | null> {
    const cur = this.#editing.get(session);
    if (!cur) throw new Error('no editor');
    if (cur.replay) return cur.edits.shift() ?? null;
    const answer = await this.#editor!(file);
    cur.edits.push(answer);
    return answer;
  }

  async #run(e: Extract<SessionEvent, { kind: 'line' }>, opts: RunOptions & { replay?: boolean }): Promise<RunOutcome> {
    const { replay = false, ...runOpts } = opts;
    const tab = this.#tab(e.tab ?? 0);
    const session = tab.session;
    const prompt = session.prompt();
    // Logged when it starts (lines of two tabs overlap); the transcript entry keeps the same index.
    const ev: Extract<SessionEvent, { kind: 'line' }> = { ...e };
    const entry: Extract<TranscriptEntry, { kind: 'line' }> = { kind: 'line', prompt, line: e.line, output: '', exitCode: 0, changed: false, ...(e.tab ? { tab: e.tab } : {}) };
    this.#events.push(ev);
    this.#transcript.push(entry);
    this.#running.add(ev);
    const editing = { edits: replay ? [...(e.edits ?? [])] : [], replay };
    this.#editing.set(session, editing);
    // A tab runs one line at a time, so what its shell connects to from now on is this line's.
    const traces: Trace[] = [];
    tab.traces.line = replay ? undefined : traces;
    try {
      const before = await this.#fingerprint(session);
      const onNode = session.place.kind === 'node' || /(^|[;&|(]\s*)ssh\s/.test(e.line);
      const nodesBefore = onNode ? this.#nodesFingerprint() : '';
      let streamed = '';
      const onOutput = runOpts.onOutput;
      const r = await session.run(e.line, {
        ...runOpts,
        // A full-screen program's drawing reaches the terminal but not the transcript: its
        // alternate screen leaves nothing in the scrollback.
        onOutput: (text, screen) => {
          if (!screen) streamed += text;
          onOutput?.(text);
        },
      });
      if (r.interrupted && r.stoppedAt !== undefined) ev.ran = Math.max(0, r.stoppedAt - e.at);
      if (!replay && editing.edits.length > 0) ev.edits = editing.edits;
      const rest = terminalText(r);
      const after = await this.#fingerprint(session);
      entry.output = truncateOutput(streamed + rest);
      entry.exitCode = r.exitCode;
      entry.changed = before !== after || (onNode && nodesBefore !== this.#nodesFingerprint()) || SHELL_STATE.test(e.line);
      // The page already showed what streamed; the result carries the rest.
      return { output: truncateOutput(onOutput ? rest : streamed + rest), prompt: session.prompt(), exitCode: r.exitCode, nested: session.place.kind !== 'workstation', traces };
    } finally {
      this.#running.delete(ev);
      this.#editing.delete(session);
      tab.traces.line = undefined;
    }
  }

  async #write(e: Extract<SessionEvent, { kind: 'write' }>): Promise<void> {
    const fs = this.session.fs;
    const dir = e.path.slice(0, e.path.lastIndexOf('/')) || '/';
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(e.path, e.text);
    this.#events.push({ ...e });
    this.#transcript.push({ kind: 'write', path: e.path, changed: true });
  }

  /**
   * What a later command could see change, cheaply: API writes, the prompt (place and
   * directory) and the workstation's files. Connections (conntrack, counters, access logs)
   * and time passing do not count: Undo takes back the learner's last change, not a curl.
   */
  async #fingerprint(session: Session): Promise<string> {
    const fs = session.fs;
    const files = await Promise.all(
      fs.getAllPaths().sort().map(async (p) => {
        try {
          const s = await fs.stat(p);
          return s.isFile ? `${p}:${s.size}:${s.mtime.getTime()}` : p;
        } catch {
          return p;
        }
      }),
    );
    return `${this.#writes}|${session.prompt()}|${files.join(',')}`;
  }

  /** Every node's chains (name, version, rule count), ipsets and IPVS services. */
  #nodesFingerprint(): string {
    const parts: string[] = [];
    for (const n of this.cluster.config.nodes) {
      const h = this.cluster.node(n.name);
      if (!h.ok) continue;
      const nf = h.value.netfilter;
      for (const [t, table] of nf.tables) for (const [c, chain] of table.chains) parts.push(`${n.name}/${t}/${c}:${chain.version}:${chain.rules.length}:${chain.policy ?? ''}`);
      for (const [name, set] of nf.ipsets) parts.push(`${n.name}/set/${name}:${[...set.members].join(' ')}`);
      const ipvs = h.value.ipvs;
      for (const s of ipvs.sortedServices()) {
        const dests = ipvs.sortedDests(s).map((d) => `${d.address}:${d.port}/${d.weight}`);
        parts.push(`${n.name}/ipvs/${s.protocol}/${s.address}:${s.port}/${s.scheduler}:${dests.join(',')}`);
      }
    }
    return parts.join('\n');
  }

  /**
   * The cluster as one tab's shell sees it: successful writes are counted (see #fingerprint),
   * and each connection's Trace goes to the line running in this tab. The engine hands every
   * Trace back to its caller (`connect`'s result, the resolver's queries), so attribution needs
   * no "current tab" state: lines of two tabs interleave at their waits, but a connection is
   * made inside one synchronous call that this tab's shell made.
   */
  #tabCluster(cluster: Cluster, sink: TraceSink): Cluster {
    const keep = (t: Trace) => {
      const line = sink.line;
      if (!line) return;
      line.push(t);
      if (line.length > TRACES_PER_COMMAND) line.shift();
    };
    const connect: Cluster['connect'] = (req) => {
      const r = cluster.connect(req);
      keep(r.trace);
      return r;
    };
    const resolver: Cluster['resolver'] = (from, conf) => {
      const env = cluster.resolver(from, conf);
      // Each query is a connection too (the DNS A and AAAA before curl's TCP).
      const exchange: typeof env.exchange = (query, server) => {
        const seen = env.traces.length;
        const answer = env.exchange(query, server);
        for (const t of env.traces.slice(seen)) keep(t);
        return answer;
      };
      return { ...env, exchange };
    };
    return new Proxy(cluster, {
      get: (target, prop, receiver) => {
        if (prop === 'connect') return connect;
        if (prop === 'resolver') return resolver;
        const v = Reflect.get(target, prop, receiver) as unknown;
        if (typeof prop !== 'string' || !WRITES.has(prop) || typeof v !== 'function') return v;
        return (...args: unknown[]) => {
          const out = (v as (...a: unknown[]) => unknown).apply(target, args);
          if (succeeded(prop, out, args)) this.#writes++;
          return out;
        };
      },
    });
  }
}

/** Whether a write call changed the API's state (a dry run or a failure did not). */
function succeeded(method: string, out: unknown, args: unknown[]): boolean {
  const opts = args[args.length - 1] as { dryRun?: unknown } | undefined;
  if (opts && typeof opts === 'object' && opts.dryRun) return false;
  if (method === 'apply') return Array.isArray(out) && out.some((r: ApplyResult) => r.ok && r.outcome !== 'unchanged');
  return typeof out === 'object' && out !== null && (out as { ok?: boolean }).ok === true;
}

/** `~/web.yaml`, `web.yaml` or `/home/user/web.yaml` → an absolute path on the workstation. */
export function learnerPath(path: string): string {
  const p = path.trim();
  const abs = p.startsWith('/') ? p : p.startsWith('~/') ? `${HOME}/${p.slice(2)}` : `${HOME}/${p}`;
  const out: string[] = [];
  for (const part of abs.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}
