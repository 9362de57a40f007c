/**
 * The lab terminal island: an xterm.js terminal on the page, the lab's cluster in a Web
 * Worker. The terminal draws and takes keys at once; lines typed before the cluster is up wait
 * in the worker's queue. Mounted with `client:only` (xterm.js needs the DOM).
 *
 * It also owns the session: the worker's event log is saved per lab (debounced) and replayed
 * on the next visit, with the replayed commands back in the scrollback; Undo, Reset, Copy link
 * and Export all work on that log (src/lab/log.ts). Heavy or rare parts load on first use.
 *
 * On a lab page, two terminal tabs (a watch in one, curl in the other): each its own xterm and
 * shell session on the one cluster in the one worker; the second is made when first opened.
 * In screen-reader mode, output is also announced in a polite live region (role=log).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { startLab, type LabClient } from '../../lab/client';
import { emptyLog, type LabSave, type SessionLog } from '../../lab/log';
import { openSession } from '../../lab/open';
import { readHistory, writeSave, type SaveStorage } from '../../lab/persist';
import type { LabSetup, SessionView } from '../../lab/protocol';
import { encodeShare, sharePayload } from '../../lab/share';
import { spokenText, stylePrompt, type ShellBackend } from '../../terminal';
import { mountTerminal, type MountedTerminal } from '../../terminal/xterm';
import { hintsOpen, solutionShown, taskStates } from './lab-state';
import { compareModes, labChanges, shownTab, tabTraces } from '../trace/trace-state';
import { TerminalTabs } from './TerminalTabs';
import { applyTarget, labWorkspace, TERMINAL_TABS, type TabState, type Typed } from './workspace';
import './terminal.css';

interface Props {
  /** The lab's slug (or a lesson block's id): history and the saved session are kept per slug. */
  slug: string;
  /** The setup manifests (read at build time). */
  manifests: LabSetup['manifests'];
  seed?: number;
  /**
   * On a lab page: its title (for the export) and tasks (the worker checks them). With it the
   * session is saved and resumed, and Undo, Reset, Copy link and Export are offered; without
   * it (a lesson's live block) this is a plain terminal.
   */
  lab?: { title: string; tasks: LabSetup['tasks'] };
  // For embedding (lesson live blocks): a title for the bar, and a handle to type commands.
  /** The bar's title; "Terminal" by default. */
  label?: string;
  /** Called once the terminal takes keys, with a way to type a line into it and run it. */
  onTerminal?: (t: { type(line: string): void; focus(): void }) => void;
}

type Status = 'starting' | 'ready' | 'busy' | 'stopped';
type Confirm = 'reset' | 'share-link' | undefined;

const FIRST_PROMPT = 'user@workstation:~$ ';
/** The live region announces at most this much of the latest output (a screen reader reads it all). */
const ANNOUNCE_CHARS = 2000;
const SR_KEY = 'clusterpath:terminal:screen-reader';
/** Saves wait this long after the last change, so a burst of commands is one write. */
const SAVE_DEBOUNCE_MS = 300;

export default function Terminal({ slug, manifests, seed = 1, lab, label = 'Terminal', onTerminal }: Props) {
  /** Lab pages have tabs; a lesson's live block is one plain terminal. */
  const tabLabels = lab ? TERMINAL_TABS : [label];
  const ID = lab ? 'lab-term' : `term-${slug.replace(/[^A-Za-z0-9_-]/g, '-')}`;
  const hosts = useRef<(HTMLDivElement | null)[]>([]);
  /** Each tab's terminal once mounted (index = tab). */
  const terms = useRef<(MountedTerminal | undefined)[]>([]);
  /** Scrollback and prompt for a tab not mounted yet (a restored session that used it). */
  const pendingTab = useRef<({ text: string; prompt: string; nested: boolean } | undefined)[]>([]);
  const [active, setActive] = useState(0);
  /** `active` for callbacks made once (the editor's port). */
  const activeRef = useRef(0);
  activeRef.current = active;
  const [opened, setOpened] = useState<number[]>([0]);
  /** A line the editor's Apply sent to a tab whose terminal was not mounted yet. */
  const typeOnMount = useRef<(string | undefined)[]>([]);
  const [announce, setAnnounce] = useState('');
  const spoken = useRef({ text: '', timer: 0 });
  const client = useRef<LabClient>();
  /** The worker's latest log (what a restart, a save or a link holds). */
  const log = useRef<SessionLog | undefined>();
  /** A session view that arrived before the terminal was mounted. */
  const pendingView = useRef<SessionView | undefined>();
  /** Answers the share-link question. */
  const answer = useRef<((useShared: boolean) => void) | undefined>();
  const [status, setStatus] = useState<Status>('starting');
  const [crash, setCrash] = useState('');
  const [notices, setNotices] = useState<string[]>([]);
  const [message, setMessage] = useState('');
  const [undo, setUndo] = useState<string | undefined>();
  const [confirm, setConfirm] = useState<Confirm>();
  const [link, setLink] = useState('');
  const [screenReader, setScreenReader] = useState(() => readFlag(SR_KEY));
  const store = useRef<SaveStorage | undefined>(localStore());
  const saveTimer = useRef(0);

  const addNotice = (text: string) => setNotices((n) => [...n, text]);

  const saveNow = () => {
    window.clearTimeout(saveTimer.current);
    if (!log.current || !lab) return;
    writeSave(store.current, { ...log.current, history: readHistory(store.current, slug), hints: hintsOpen.value, solution: solutionShown.value });
  };
  const saveSoon = () => {
    window.clearTimeout(saveTimer.current);
    saveTimer.current = window.setTimeout(saveNow, SAVE_DEBOUNCE_MS);
  };

  /** Shows a rebuilt session in every tab: the replayed commands and their output, then its prompt. */
  const show = (view: SessionView, clear: boolean) => {
    if (!terms.current[0]) {
      pendingView.current = view;
      return;
    }
    const texts = tabLabels.map(() => (clear ? '\x1b[2J\x1b[3J\x1b[H' : ''));
    for (const e of view.transcript) {
      // Exactly what the live terminal showed: output that ends mid-line has the next prompt on
      // its row (as bash shows it); an editor save printed nothing there, so it adds nothing here.
      if (e.kind === 'line') texts[e.tab ?? 0] += stylePrompt(e.prompt) + e.line.replace(/\n/g, '\n> ') + '\n' + e.output;
    }
    if (view.notice) texts[0] += view.notice;
    tabLabels.forEach((_, i) => {
      const where = view.tabs[i] ?? { prompt: FIRST_PROMPT, nested: false };
      const m = terms.current[i];
      if (!m) {
        pendingTab.current[i] = { text: texts[i] ?? '', ...where };
        return;
      }
      if (texts[i]) m.shell.notice(texts[i]!);
      // A rebuild (undo, reset) starts a fresh prompt; the first restore keeps what was typed meanwhile.
      if (clear) m.shell.reset(where.prompt, where.nested);
      else m.shell.setPrompt(where.prompt, where.nested);
    });
  };

  /** Screen-reader mode: the latest output, plain text, in a polite live region (debounced). */
  const speak = (text: string) => {
    if (!readFlag(SR_KEY)) return;
    const s = spoken.current;
    s.text = (s.text + spokenText(text)).slice(-ANNOUNCE_CHARS);
    window.clearTimeout(s.timer);
    s.timer = window.setTimeout(() => {
      setAnnounce(s.text.trim());
      s.text = '';
    }, 250);
  };

  /** Mounts tab `i`'s terminal in its panel; its backend talks to whichever worker is current. */
  const mountTab = (i: number, banner: string, onMounted?: (m: MountedTerminal) => void) => {
    const el = hosts.current[i];
    if (!el || terms.current[i]) return;
    const backend: ShellBackend = {
      run: async (line, onOutput) => {
        const term = terms.current[i]?.term;
        const r = await client.current!.run(line, i, onOutput, term ? { cols: term.cols, rows: term.rows } : undefined);
        // The packet-path panel shows, for the tab in view, its last command that made connections.
        if (lab && !r.incomplete && r.traces.length) {
          const all = [...tabTraces.value];
          all[i] = { line, traces: r.traces };
          tabTraces.value = all;
        }
        return r;
      },
      interrupt: () => client.current?.interrupt(i),
      complete: (q) => client.current!.complete(q, i),
    };
    void mountTerminal(el, {
      backend,
      prompt: FIRST_PROMPT,
      historyKey: i === 0 ? `clusterpath:history:${slug}` : `clusterpath:history:${slug}:${i + 1}`,
      banner,
      screenReader: readFlag(SR_KEY),
      onOutput: speak,
      ...(lab ? { onCommand: (line: string) => labWorkspace.commandDone(line) } : {}),
    }).then((m) => {
      if (!hosts.current[i]?.isConnected) return m.dispose();
      terms.current[i] = m;
      // A running full-screen command (watch) draws its next screen at the new size.
      m.term.onResize((size) => client.current?.resize(i, size));
      el.setAttribute('data-accepting', 'true');
      const pending = pendingTab.current[i];
      if (pending) {
        if (pending.text) m.shell.notice(pending.text);
        m.shell.setPrompt(pending.prompt, pending.nested);
        pendingTab.current[i] = undefined;
      }
      onMounted?.(m);
    });
  };

  /** A tab clicked before its terminal existed gets the focus once it mounts (arrow keys keep it on the tab). */
  const focusOnMount = useRef<number | undefined>();
  const selectTab = (i: number, focus: boolean) => {
    setActive(i);
    setOpened((o) => (o.includes(i) ? o : [...o, i]));
    if (!focus) return;
    if (terms.current[i]) window.setTimeout(() => terms.current[i]?.focus(), 0);
    else focusOnMount.current = i;
  };

  // A tab's panel exists once opened; its terminal mounts into it then.
  useEffect(() => {
    for (const i of opened) {
      if (i === 0) continue;
      mountTab(i, '', (m) => {
        if (focusOnMount.current === i) {
          m.focus();
          focusOnMount.current = undefined;
        }
        const line = typeOnMount.current[i];
        typeOnMount.current[i] = undefined;
        if (line !== undefined) typeInto(i, line);
      });
    }
  }, [opened]);

  // The packet-path panel follows the tab in view.
  useEffect(() => {
    if (lab) shownTab.value = { index: active, label: tabLabels[active]! };
  }, [active]);

  /** Types a line into tab `i` and runs it; a tab not mounted yet gets it once it is. */
  const typeInto = (i: number, line: string) => {
    const m = terms.current[i];
    if (!m) {
      typeOnMount.current[i] = line;
      return;
    }
    // Ctrl-E Ctrl-U first: a half-typed line must not become part of the typed command.
    m.term.input('\x05\x15', false);
    m.shell.type(line);
  };

  /** The editor's Apply: into the tab `applyTarget` picks (see there why), shown to the learner. */
  const typeForEditor = (line: string): Typed | undefined => {
    const states = tabLabels.map((_, i): TabState => {
      const sh = terms.current[i]?.shell;
      return sh?.busy ? 'running' : sh?.continuing ? 'continuing' : 'idle';
    });
    const shown = activeRef.current;
    const target = applyTarget(shown, states);
    if (!target) return undefined;
    if (target.tab !== shown) selectTab(target.tab, false);
    typeInto(target.tab, line);
    return { tab: tabLabels[target.tab]!, queued: target.queued, ...(target.tab !== shown ? { instead: tabLabels[shown]! } : {}) };
  };

  const boot = (restore: SessionLog | undefined) => {
    client.current?.terminate();
    setStatus('starting');
    const started = performance.now();
    client.current = startLab({
      setup: { slug, manifests, seed, tasks: lab?.tasks ?? [] },
      restore,
      onReady: (view) => {
        setStatus('ready');
        show(view, false);
        // For the browser tests and `npm run bench:web`: navigation → cluster ready.
        performance.mark('clusterpath:cluster-ready', { detail: { bootMs: Math.round(performance.now() - started) } });
      },
      onSession: (next, undoLine) => {
        log.current = next;
        setUndo(undoLine);
        saveSoon();
      },
      // `kubectl edit` opens its file in the page's editor (src/components/lab/Editor.tsx).
      onEdit: (file) => labWorkspace.edit(file),
      onTasks: (states) => {
        if (lab) taskStates.value = states;
        // Tasks are checked after every change, idle ones too (a pod turning ready): panels that show the cluster refresh.
        labChanges.value++;
      },
      onCrash: (message) => {
        setStatus('stopped');
        setCrash(message);
        terms.current[0]?.shell.notice(`\x1b[31mThe cluster stopped: ${message}\x1b[0m\nPress "Restart cluster" to start it again.\n`);
      },
    });
  };

  useEffect(() => {
    let disposed = false;
    let detachWorkspace = () => {};
    const start = (restore: LabSave | undefined) => {
      if (disposed) return;
      if (restore) {
        hintsOpen.value = restore.hints;
        solutionShown.value = restore.solution;
        log.current = restore;
      }
      boot(restore && { v: restore.v, slug: restore.slug, seed: restore.seed, start: restore.start, events: restore.events });
      mountTab(0, restore?.events.length ? 'Restoring your session…\n' : 'Starting cluster…\n', (m) => {
        if (disposed) return;
        performance.mark('clusterpath:terminal-accepting');
        onTerminal?.({ type: (line) => m.shell.type(line), focus: () => m.focus() });
        // On a lab page the editor's Apply types into a terminal tab; its files go through this worker.
        if (lab) {
          detachWorkspace = labWorkspace.attachTerminal({
            client: () => client.current,
            type: typeForEditor,
            focus: () => terms.current[activeRef.current]?.focus(),
          });
        }
        if (pendingView.current) {
          show(pendingView.current, false);
          pendingView.current = undefined;
        }
      });
    };

    if (!lab) {
      start(undefined);
      return () => {
        disposed = true;
        for (const m of terms.current) m?.dispose();
        terms.current = [];
        client.current?.terminate();
      };
    }
    compareModes.value = (service, node) => client.current!.compare(service, node);

    // A share link opened while this lab is already open changes only the fragment: load it.
    const onHash = () => {
      if (sharePayload(location.hash) !== undefined) location.reload();
    };
    window.addEventListener('hashchange', onHash);
    // A reload within the save's debounce must not lose the last command.
    window.addEventListener('pagehide', saveNow);

    const chosen = openSession({
      slug,
      storage: store.current,
      hash: location.hash,
      notice: addNotice,
      ask: async () => {
        setConfirm('share-link');
        const useShared = await new Promise<boolean>((resolve) => (answer.current = resolve));
        setConfirm(undefined);
        return useShared;
      },
    });
    if (chosen instanceof Promise) {
      // The link is read once; a reload then resumes from the save it became.
      history.replaceState(history.state, '', location.pathname + location.search);
      void chosen.then(start);
    } else start(chosen);

    return () => {
      disposed = true;
      detachWorkspace();
      window.removeEventListener('hashchange', onHash);
      window.removeEventListener('pagehide', saveNow);
      saveNow();
      for (const m of terms.current) m?.dispose();
      terms.current = [];
      client.current?.terminate();
    };
  }, []);

  const rebuild = async (what: 'undo' | 'reset') => {
    const c = client.current;
    setConfirm(undefined);
    if (what === 'reset' && status === 'stopped') {
      // The worker died (perhaps replaying this very log): start from the setup instead.
      setCrash('');
      log.current = emptyLog(slug, seed, Math.floor(Date.now()));
      saveNow();
      boot(undefined);
      for (const m of terms.current) m?.shell.notice('\x1b[2J\x1b[3J\x1b[H');
      terms.current[0]?.shell.notice('Starting cluster…\n');
      for (const m of terms.current) m?.shell.reset(FIRST_PROMPT);
      setMessage('The lab was reset to its setup.');
      terms.current[active]?.focus();
      return;
    }
    if (!c || status !== 'ready') return;
    setStatus('busy');
    setMessage(what === 'undo' ? 'Undoing the last change…' : 'Resetting the lab…');
    try {
      const view = what === 'undo' ? await c.undo() : await c.load(emptyLog(slug, seed, Math.floor(Date.now())));
      show(view, true);
      // The old connections belong to a session that no longer exists.
      tabTraces.value = [];
      setMessage(what === 'undo' ? 'The last change was undone.' : 'The lab was reset to its setup.');
      setStatus('ready');
    } catch {
      // The worker died; onCrash says so.
    }
    terms.current[active]?.focus();
  };

  const copyLink = async () => {
    if (!log.current) return;
    saveNow();
    const save: LabSave = { ...log.current, history: readHistory(store.current, slug), hints: hintsOpen.value, solution: solutionShown.value };
    const url = `${location.origin}${location.pathname}#s=${await encodeShare(save)}`;
    setLink(url);
    try {
      await navigator.clipboard.writeText(url);
      setMessage('Link copied. Anyone who opens it gets this lab in this state.');
    } catch {
      setMessage('Copy the link below; anyone who opens it gets this lab in this state.');
    }
  };

  const exportSession = async () => {
    const c = client.current;
    if (!c) return;
    const [{ sessionMarkdown }, transcript] = await Promise.all([import('../../lab/export'), c.transcript()]);
    const states = new Map((taskStates.value ?? []).map((s) => [s.id, s]));
    const md = sessionMarkdown({
      title: lab?.title ?? label,
      url: location.origin + location.pathname,
      date: new Date(),
      transcript,
      tasks: (lab?.tasks ?? []).map((t) => ({ title: t.title, done: states.get(t.id)?.done ?? false, summaries: states.get(t.id)?.checks ?? [] })),
    });
    download(`clusterpath-${slug}-${new Date().toISOString().slice(0, 10)}.md`, md, 'text/markdown');
    setMessage('The session was downloaded as Markdown.');
  };

  // Hints and the solution are part of the save.
  useEffect(() => hintsOpen.subscribe(() => log.current && saveSoon()), []);
  useEffect(() => solutionShown.subscribe(() => log.current && saveSoon()), []);

  const restart = () => {
    setCrash('');
    const l = log.current;
    boot(l && { v: l.v, slug: l.slug, seed: l.seed, start: l.start, events: l.events });
    for (const m of terms.current) m?.shell.reset(FIRST_PROMPT);
    terms.current[0]?.shell.notice(log.current?.events.length ? 'Restoring your session…\n' : 'Starting cluster…\n');
    terms.current[active]?.focus();
  };

  const toggleScreenReader = () => {
    const on = !screenReader;
    setScreenReader(on);
    writeFlag(SR_KEY, on);
    for (const m of terms.current) m?.setScreenReader(on);
    if (!on) setAnnounce('');
    terms.current[active]?.focus();
  };

  /**
   * Tab completes in a shell, so keyboard users need a way out (WCAG 2.1.2): Escape then Tab
   * leaves forwards, Shift-Tab (which bash does not use) always leaves backwards.
   */
  const escaped = useRef(false);
  const onKeyDownCapture = (e: KeyboardEvent) => {
    if (e.key === 'Escape') {
      escaped.current = true;
      return;
    }
    if (e.key === 'Tab' && (escaped.current || e.shiftKey)) {
      escaped.current = false;
      e.stopPropagation(); // xterm never sees it: the browser moves focus
      return;
    }
    if (e.key !== 'Shift') escaped.current = false;
  };

  const ready = status === 'ready';
  return (
    <div class="lab-terminal" data-status={status}>
      <div class="lab-terminal-bar">
        <span class="lab-terminal-title">{label}</span>
        <span class="lab-terminal-status" role="status">
          {status === 'starting' ? 'Starting cluster…' : status === 'busy' ? 'Rebuilding…' : status === 'ready' ? 'Cluster running' : 'Cluster stopped'}
        </span>
        <span class="lab-terminal-actions">
          {status === 'stopped' && (
            <button type="button" class="lab-terminal-button" onClick={restart}>
              Restart cluster
            </button>
          )}
          {lab && (
            <>
              <button type="button" class="lab-terminal-button" disabled={!ready || !undo} title={undo ? `Undo: ${undo.split('\n')[0]}` : 'Nothing to undo'} aria-describedby="lab-undo-what" onClick={() => void rebuild('undo')}>
                Undo
              </button>
              <button type="button" class="lab-terminal-button" disabled={!ready && status !== 'stopped'} aria-expanded={confirm === 'reset'} onClick={() => setConfirm(confirm === 'reset' ? undefined : 'reset')}>
                Reset…
              </button>
              <button type="button" class="lab-terminal-button" disabled={!ready} onClick={() => void copyLink()}>
                Copy link
              </button>
              <button type="button" class="lab-terminal-button" disabled={!ready} onClick={() => void exportSession()}>
                Export session
              </button>
            </>
          )}
          <button type="button" class="lab-terminal-button" aria-pressed={screenReader} onClick={toggleScreenReader}>
            Screen reader mode
          </button>
        </span>
      </div>
      {lab && (
        <span id="lab-undo-what" class="visually-hidden">
          {undo ? `Takes back: ${undo.split('\n')[0]}` : 'Nothing to undo yet'}
        </span>
      )}
      {confirm === 'reset' && (
        <div key="confirm-reset" class="lab-terminal-confirm" role="group" aria-labelledby="lab-reset-q">
          <p id="lab-reset-q">Reset the lab? Your commands, files and changes to the cluster are dropped and the cluster starts again from the lab’s setup.</p>
          <button type="button" class="lab-terminal-button danger" ref={(b) => b?.focus()} onClick={() => void rebuild('reset')}>
            Reset the lab
          </button>
          <button type="button" class="lab-terminal-button" onClick={() => setConfirm(undefined)}>
            Cancel
          </button>
        </div>
      )}
      {confirm === 'share-link' && (
        <div key="confirm-share" class="lab-terminal-confirm" role="group" aria-labelledby="lab-share-q">
          <p id="lab-share-q">This link holds a shared session of this lab, and you have your own saved progress here. Open the shared session? It replaces your saved progress.</p>
          <button type="button" class="lab-terminal-button" ref={(b) => b?.focus()} onClick={() => answer.current?.(true)}>
            Open the shared session
          </button>
          <button type="button" class="lab-terminal-button" onClick={() => answer.current?.(false)}>
            Keep my progress
          </button>
        </div>
      )}
      {notices.map((n, i) => (
        <p class="lab-terminal-notice" role="alert">
          {n}{' '}
          <button type="button" class="lab-terminal-button" onClick={() => setNotices((all) => all.filter((_, j) => j !== i))}>
            Dismiss
          </button>
        </p>
      ))}
      {crash && <p class="lab-terminal-crash" role="alert">The cluster stopped ({crash}). Restart it to go on; your session is replayed from its log.</p>}
      <p class="lab-terminal-message" role="status">
        {message}
      </p>
      {link && (
        <p class="lab-terminal-link">
          <label>
            Share link <input type="text" readOnly value={link} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
          </label>
        </p>
      )}
      {lab && <TerminalTabs labels={tabLabels} active={active} idPrefix={ID} panelIds={tabLabels.map((_, i) => (opened.includes(i) ? `${ID}-panel-${i}` : undefined))} onSelect={(i, via) => selectTab(i, via === 'click')} />}
      {/* Keyed: xterm lives in these elements, so Preact must never swap one for a sibling div. */}
      {opened.map((i) => (
        <div
          key={`screen-${i}`}
          id={`${ID}-panel-${i}`}
          {...(lab ? { role: 'tabpanel', 'aria-labelledby': `${ID}-tab-${i}` } : {})}
          hidden={i !== active}
          class="lab-terminal-screen"
          ref={(el) => {
            hosts.current[i] = el;
          }}
          onClick={() => terms.current[i]?.focus()}
          onKeyDownCapture={onKeyDownCapture}
        />
      ))}
      {/* role=log: a polite live region (implicit aria-live="polite") for the terminal's output. */}
      <div key="announce" class="visually-hidden" role="log" aria-label={`${label} output`} data-testid="terminal-announce">
        {screenReader ? announce : ''}
      </div>
      <p class="lab-terminal-help">
        <kbd>Tab</kbd> completes; <kbd>Esc</kbd> then <kbd>Tab</kbd> (or <kbd>Shift</kbd>+<kbd>Tab</kbd>) leaves the terminal.
      </p>
    </div>
  );
}

function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

function readFlag(key: string): boolean {
  try {
    return window.localStorage.getItem(key) === '1';
  } catch {
    return false;
  }
}

function writeFlag(key: string, on: boolean): void {
  try {
    window.localStorage.setItem(key, on ? '1' : '0');
  } catch {
    // Storage refused: the toggle still works for this page.
  }
}

/** localStorage, or nothing when the browser refuses it (private modes, sandboxed frames). */
function localStore(): SaveStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
