/**
 * The open editor (loaded by Editor.tsx on first open): Monaco with YAML for the files in the
 * learner's home (~) on the lab's workstation, the very files `cat ~/web.yaml` reads. Save
 * writes the file through the lab worker; Apply saves and types `kubectl apply -f ~/FILE` into
 * the terminal tab in view (or another, see applyTarget in workspace.ts); after every command
 * the open file is read again, so a change made in the terminal shows here (kept as undoable,
 * or offered when the buffer has unsaved edits).
 * `kubectl edit` opens its temp file here: Save hands the text back to kubectl, Cancel
 * closes it unsaved, as quitting $EDITOR without writing does.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { loadMonaco, SCHEMA_URL, type EditorTheme, type YamlEditor } from '../../editor';
import { labWorkspace, type EditRequest } from './workspace';

export interface EditorPanelProps {
  visible: boolean;
  onClose(): void;
  /** The panel takes `kubectl edit` files while mounted (undefined on unmount). */
  register(edit: EditRequest | undefined): void;
}

const HOME = '/home/user';
const FILE_NAME = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;
const DEFAULT_FILE = 'manifest.yaml';

interface PendingEdit {
  path: string;
  resolve: (text: string | null) => void;
  /** The learner's file to go back to afterwards. */
  returnTo: string | null;
}

const siteTheme = (): EditorTheme => (document.documentElement.dataset['theme'] === 'dark' ? 'dark' : 'light');

export default function EditorPanel({ visible, onClose, register }: EditorPanelProps) {
  const host = useRef<HTMLDivElement>(null);
  const saveButton = useRef<HTMLButtonElement>(null);
  const newInput = useRef<HTMLInputElement>(null);
  const ed = useRef<YamlEditor>();
  /** Each file's text as last read from or written to disk (null: not on disk yet). */
  const disk = useRef(new Map<string, string | null>());
  const pendingEdit = useRef<PendingEdit | null>(null);
  const currentRef = useRef<string | null>(null);
  /** Work waiting for Monaco to be up (a `kubectl edit` that opened the editor). */
  const whenReady = useRef<(() => void)[]>([]);

  const [ready, setReady] = useState(false);
  const [failure, setFailure] = useState('');
  const [files, setFiles] = useState<string[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [dirty, setDirty] = useState(false);
  const [diskChanged, setDiskChanged] = useState(false);
  const [problems, setProblems] = useState(0);
  const [status, setStatus] = useState('');
  const [editing, setEditing] = useState<string | null>(null);
  const [naming, setNaming] = useState(false);
  const [nameError, setNameError] = useState('');

  const client = () => labWorkspace.terminal?.client();
  const pathOf = (name: string) => `${HOME}/${name}`;
  const isDirty = (name: string | null) => name !== null && !!ed.current && ed.current.valueOf(pathOf(name)) !== (disk.current.get(name) ?? '');

  const refreshFiles = async () => {
    const c = client();
    if (c) setFiles(await c.listFiles().catch(() => []));
  };

  /** Shows ~/NAME: an unsaved buffer is kept; otherwise what is on disk now. */
  const openFile = async (name: string) => {
    const e = ed.current;
    if (!e) return;
    const path = pathOf(name);
    if (!(e.has(path) && isDirty(name))) {
      const text = (await client()?.readFile(name).catch(() => null)) ?? null;
      disk.current.set(name, text);
      e.open(path, text ?? '');
    } else e.open(path);
    currentRef.current = name;
    setCurrent(name);
    setDirty(isDirty(name));
    setDiskChanged(false);
  };

  /** The first YAML file in ~ (or a new manifest.yaml when there is none). */
  const openFirstFile = async () => {
    const names = (await client()?.listFiles().catch(() => [])) ?? [];
    setFiles(names);
    if (!pendingEdit.current) await openFile(names.find((n) => /\.ya?ml$/.test(n)) ?? names[0] ?? DEFAULT_FILE);
  };

  const save = async (): Promise<boolean> => {
    const e = ed.current;
    if (!e) return false;
    if (pendingEdit.current) {
      finishEdit(e.getValue());
      return true;
    }
    const name = currentRef.current;
    const c = client();
    if (!name || !c) {
      setStatus('The cluster is not running: nothing was saved.');
      return false;
    }
    const text = e.getValue();
    try {
      await c.writeFile(name, text);
    } catch (err) {
      setStatus(`Could not save ~/${name}: ${err instanceof Error ? err.message : String(err)}`);
      return false;
    }
    disk.current.set(name, text);
    setDirty(isDirty(name));
    setDiskChanged(false);
    setStatus(`Saved ~/${name}`);
    void refreshFiles();
    return true;
  };

  const apply = async () => {
    const name = currentRef.current;
    if (!name || pendingEdit.current) return;
    if (!(await save())) return;
    const terminal = labWorkspace.terminal;
    if (!terminal) {
      setStatus('The terminal is not ready yet: run kubectl apply there once it is.');
      return;
    }
    const line = `kubectl apply -f ~/${name}`;
    const typed = terminal.type(line);
    if (!typed) setStatus(`Saved ~/${name}. Every terminal tab is in the middle of a command (at its > prompt): finish it or press Ctrl-C, then Apply again.`);
    else if (typed.queued) setStatus(`Saved ~/${name}. Every terminal tab is running a command: ${line} runs in ${typed.tab} when its command ends (Ctrl-C there ends it).`);
    else if (typed.instead) setStatus(`Saved ~/${name}. ${typed.instead} is running a command, so ${line} ran in ${typed.tab}.`);
    else setStatus(`Saved ~/${name} and ran ${line} in ${typed.tab}`);
  };

  /** Ends a `kubectl edit`: its text (null = closed unsaved), then back to the learner's file. */
  const finishEdit = (text: string | null) => {
    const p = pendingEdit.current;
    if (!p) return;
    pendingEdit.current = null;
    setEditing(null);
    // Back to the learner's file; if kubectl edit opened the editor, to the first file in ~.
    if (p.returnTo) void openFile(p.returnTo);
    else void openFirstFile();
    setStatus(text === null ? 'kubectl edit: closed without saving' : 'kubectl edit: saved; see the terminal');
    p.resolve(text);
  };

  const editRequest: EditRequest = (file) =>
    new Promise((resolve) => {
      // A request while another is open (`kubectl edit` in both terminal tabs) cancels the first:
      // that tab's kubectl says "Edit cancelled, no changes made."; each answer goes to the tab that asked.
      const returnTo = pendingEdit.current?.returnTo ?? currentRef.current;
      if (pendingEdit.current) finishEdit(null);
      pendingEdit.current = { path: file.path, resolve, returnTo };
      const open = () => {
        ed.current!.open(file.path, file.text);
        setEditing(file.path);
        setStatus(`kubectl edit: ${file.path}. Save applies your changes; Cancel closes without saving.`);
        ed.current!.focus();
      };
      if (ed.current) open();
      else whenReady.current.push(open);
    });

  // Monaco, its workers and the schema: fetched now, on first open.
  useEffect(() => {
    let disposed = false;
    const started = performance.now();
    Promise.all([loadMonaco(), fetch(SCHEMA_URL).then((r) => (r.ok ? r.json() : Promise.reject(new Error(`${SCHEMA_URL}: HTTP ${r.status}`))))])
      .then(async ([m, schema]) => {
        if (disposed || !host.current) return;
        ed.current = m.createYamlEditor(host.current, {
          schema,
          schemaUrl: new URL(SCHEMA_URL, location.href).href,
          theme: siteTheme(),
          ariaLabel: 'YAML editor',
          onSave: () => void save(),
          onEscape: () => saveButton.current?.focus(),
          onChange: () => setDirty(isDirty(currentRef.current)),
          onMarkers: (n) => setProblems(n),
        });
        // The buffer as text, for the browser tests (the terminal exposes `terminalText` the same way).
        Object.defineProperty(host.current, 'editorText', { configurable: true, value: () => ed.current?.getValue() ?? '' });
        setReady(true);
        performance.mark('clusterpath:editor-ready', { detail: { ms: Math.round(performance.now() - started) } });
        for (const f of whenReady.current.splice(0)) f();
        if (pendingEdit.current) return;
        await openFirstFile();
        if (!pendingEdit.current) ed.current.focus();
      })
      .catch((e: unknown) => setFailure(`The editor could not load: ${e instanceof Error ? e.message : String(e)}`));
    register(editRequest);
    return () => {
      disposed = true;
      register(undefined);
      if (pendingEdit.current) finishEdit(null);
      ed.current?.dispose();
    };
  }, []);

  // Follow the site's theme toggle.
  useEffect(() => {
    const obs = new MutationObserver(() => ed.current?.setTheme(siteTheme()));
    obs.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
    return () => obs.disconnect();
  }, []);

  // After each command: the file may have changed on disk (`sed -i`, `> web.yaml`), or new ones appeared.
  useEffect(
    () =>
      labWorkspace.onCommandDone(() => {
        void refreshFiles();
        const name = currentRef.current;
        const c = client();
        if (!name || !c || !ed.current || pendingEdit.current) return;
        void c
          .readFile(name)
          .catch(() => null)
          .then((text) => {
            if (text === null || text === disk.current.get(name) || currentRef.current !== name) return;
            if (!isDirty(name)) {
              disk.current.set(name, text);
              ed.current?.replace(text);
              setDirty(false);
              setStatus(`~/${name} changed on disk: reloaded (Ctrl+Z undoes it)`);
            } else {
              setDiskChanged(true);
              setStatus(`~/${name} changed on disk. Reload it, or Save to keep your version.`);
            }
          });
      }),
    [],
  );

  const reload = async () => {
    const name = currentRef.current;
    const text = name ? await client()?.readFile(name).catch(() => null) : null;
    if (!name || text === null || text === undefined) return;
    disk.current.set(name, text);
    ed.current?.replace(text);
    setDirty(false);
    setDiskChanged(false);
    setStatus(`Reloaded ~/${name}`);
  };

  const createFile = (e: Event) => {
    e.preventDefault();
    const name = newInput.current?.value.trim() ?? '';
    if (!FILE_NAME.test(name)) {
      setNameError('Use letters, digits, dots, dashes or underscores, e.g. service.yaml');
      return;
    }
    setNaming(false);
    setNameError('');
    void openFile(name).then(() => {
      setStatus(files.includes(name) ? `Opened ~/${name}` : `New file ~/${name}: Save to create it`);
      ed.current?.focus();
    });
  };

  const close = () => {
    if (pendingEdit.current) finishEdit(null);
    onClose();
  };

  const onKeyDown = (e: KeyboardEvent) => {
    if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !e.defaultPrevented) {
      e.preventDefault();
      void save();
    }
  };

  const options = current && !files.includes(current) ? [...files, current].sort() : files;
  return (
    <section class="lab-editor-panel" hidden={!visible} aria-label="YAML editor" onKeyDown={onKeyDown} data-ready={ready ? 'true' : 'false'} data-problems={problems}>
      <div class="lab-editor-bar">
        {editing ? (
          <span class="lab-editor-file">
            kubectl edit <code>{editing}</code>
          </span>
        ) : (
          <label class="lab-editor-file">
            File <span class="lab-editor-home">~/</span>
            <select value={current ?? ''} disabled={!ready} onChange={(e) => void openFile((e.target as HTMLSelectElement).value)}>
              {options.map((f) => (
                <option key={f} value={f}>
                  {f}
                </option>
              ))}
            </select>
            {dirty && <span class="lab-editor-dirty">unsaved</span>}
          </label>
        )}
        <span class="lab-editor-actions">
          {!editing && (
            <button type="button" class="lab-editor-button" disabled={!ready} aria-expanded={naming} onClick={() => {
              setNaming(!naming);
              requestAnimationFrame(() => newInput.current?.focus());
            }}>
              New file
            </button>
          )}
          <button type="button" class="lab-editor-button" ref={saveButton} disabled={!ready} onClick={() => void save()} aria-keyshortcuts="Control+S Meta+S">
            Save
          </button>
          {editing ? (
            <button type="button" class="lab-editor-button" onClick={() => finishEdit(null)}>
              Cancel
            </button>
          ) : (
            <button type="button" class="lab-editor-button lab-editor-primary" disabled={!ready} onClick={() => void apply()}>
              Apply
            </button>
          )}
          {diskChanged && !editing && (
            <button type="button" class="lab-editor-button" onClick={() => void reload()}>
              Reload
            </button>
          )}
          <button type="button" class="lab-editor-button" onClick={close}>
            Close
          </button>
        </span>
      </div>
      {naming && (
        <form class="lab-editor-new" onSubmit={createFile}>
          <label>
            New file in ~/ <input ref={newInput} type="text" name="name" placeholder="service.yaml" autocomplete="off" spellcheck={false} aria-invalid={nameError ? 'true' : undefined} aria-describedby={nameError ? 'lab-editor-name-error' : undefined} onKeyDown={(e) => e.key === 'Escape' && setNaming(false)} />
          </label>
          <button type="submit" class="lab-editor-button">
            Create
          </button>
          {nameError && (
            <span id="lab-editor-name-error" class="lab-editor-error">
              {nameError}
            </span>
          )}
        </form>
      )}
      {failure && (
        <p class="lab-editor-failure" role="alert">
          {failure}
        </p>
      )}
      <div class="lab-editor-host" ref={host} />
      <div class="lab-editor-foot">
        <span class="lab-editor-problems" data-count={problems}>
          {problems === 0 ? 'No problems' : problems === 1 ? '1 problem (F8 shows it)' : `${problems} problems (F8 goes through them)`}
        </span>
        <span class="lab-editor-status" role="status">
          {status}
        </span>
      </div>
      <p class="lab-editor-keys">
        Ctrl+S saves. Tab indents; press <kbd>Escape</kbd> to leave the editor, or <kbd>Ctrl</kbd>+<kbd>M</kbd> (<kbd>Ctrl</kbd>+<kbd>Shift</kbd>+<kbd>M</kbd> on a Mac) to make Tab move focus instead. Ctrl+Space suggests fields.
      </p>
    </section>
  );
}
