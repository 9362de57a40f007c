/**
 * The lab terminal island: an xterm.js terminal on the page, the lab's cluster in a Web
 * Worker. The terminal draws and takes keys at once; lines typed before the cluster is up wait
 * in the worker's queue. Mounted with `client:only` (xterm.js needs the DOM).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { startLab, type LabClient } from '../../lab/client';
import type { ShellBackend } from '../../terminal';
import { mountTerminal, type MountedTerminal } from '../../terminal/xterm';
import { labWorkspace } from './workspace';

interface Props {
  /** The lab's slug: history is kept per lab. */
  slug: string;
  /** The lab's setup manifests (read at build time). */
  manifests: { text: string; source: string }[];
  seed?: number;
  // For embedding (lesson live blocks): a title for the bar, and a handle to type commands.
  /** The bar's title; "Terminal" by default. */
  label?: string;
  /** Called once the terminal takes keys, with a way to type a line into it and run it. */
  onTerminal?: (t: { type(line: string): void; focus(): void }) => void;
}

type Status = 'starting' | 'ready' | 'stopped';

const FIRST_PROMPT = 'user@workstation:~$ ';
const SR_KEY = 'clusterpath:terminal:screen-reader';

export default function Terminal({ slug, manifests, seed = 1, label = 'Terminal', onTerminal }: Props) {
  const host = useRef<HTMLDivElement>(null);
  const mounted = useRef<MountedTerminal>();
  const client = useRef<LabClient>();
  const [status, setStatus] = useState<Status>('starting');
  const [crash, setCrash] = useState('');
  const [screenReader, setScreenReader] = useState(() => readFlag(SR_KEY));

  const boot = () => {
    client.current?.terminate();
    setStatus('starting');
    const started = performance.now();
    client.current = startLab({
      setup: { manifests, seed },
      onReady: ({ notice }) => {
        setStatus('ready');
        if (notice) mounted.current?.shell.notice(notice);
        // For the browser tests and `npm run bench:web`: navigation → cluster ready.
        performance.mark('clusterpath:cluster-ready', { detail: { bootMs: Math.round(performance.now() - started) } });
      },
      // `kubectl edit` opens its file in the page's editor (src/components/lab/Editor.tsx).
      onEdit: (file) => labWorkspace.edit(file),
      onCrash: (message) => {
        setStatus('stopped');
        setCrash(message);
        mounted.current?.shell.notice(`\x1b[31mThe cluster stopped: ${message}\x1b[0m\nPress "Restart cluster" to start it again.\n`);
      },
    });
  };

  useEffect(() => {
    boot();
    // The terminal talks to whichever worker is current (a restart replaces it).
    const backend: ShellBackend = {
      run: (line) => client.current!.run(line),
      interrupt: () => client.current?.interrupt(),
      complete: (q) => client.current!.complete(q),
    };
    let disposed = false;
    let detachWorkspace = () => {};
    void mountTerminal(host.current!, {
      backend,
      prompt: FIRST_PROMPT,
      historyKey: `clusterpath:history:${slug}`,
      banner: 'Starting cluster…\n',
      screenReader,
      onCommand: (line) => labWorkspace.commandDone(line),
    }).then((m) => {
      if (disposed) return m.dispose();
      mounted.current = m;
      // The editor's Apply types into this terminal; its files go through this worker.
      detachWorkspace = labWorkspace.attachTerminal({
        client: () => client.current,
        // Ctrl-E Ctrl-U first: a half-typed line must not become part of the applied command.
        type: (line) => {
          m.term.input('\x05\x15', false);
          m.shell.type(line);
        },
        focus: () => m.focus(),
      });
      host.current?.setAttribute('data-accepting', 'true');
      performance.mark('clusterpath:terminal-accepting');
      onTerminal?.({ type: (line) => m.shell.type(line), focus: () => m.focus() });
    });
    return () => {
      disposed = true;
      detachWorkspace();
      mounted.current?.dispose();
      client.current?.terminate();
    };
  }, []);

  const restart = () => {
    setCrash('');
    boot();
    mounted.current?.shell.reset(FIRST_PROMPT);
    mounted.current?.shell.notice('Starting cluster…\n');
    mounted.current?.focus();
  };

  const toggleScreenReader = () => {
    const on = !screenReader;
    setScreenReader(on);
    writeFlag(SR_KEY, on);
    mounted.current?.setScreenReader(on);
    mounted.current?.focus();
  };

  return (
    <div class="lab-terminal" data-status={status}>
      <div class="lab-terminal-bar">
        <span class="lab-terminal-title">{label}</span>
        <span class="lab-terminal-status" role="status">
          {status === 'starting' ? 'Starting cluster…' : status === 'ready' ? 'Cluster running' : 'Cluster stopped'}
        </span>
        <span class="lab-terminal-actions">
          {status === 'stopped' && (
            <button type="button" class="lab-terminal-button" onClick={restart}>
              Restart cluster
            </button>
          )}
          <button type="button" class="lab-terminal-button" aria-pressed={screenReader} onClick={toggleScreenReader}>
            Screen reader mode
          </button>
        </span>
      </div>
      {crash && <p class="lab-terminal-crash" role="alert">The cluster stopped ({crash}). Restart it to go on; the lab starts again from its setup.</p>}
      <div class="lab-terminal-screen" ref={host} onClick={() => mounted.current?.focus()} />
    </div>
  );
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
