/**
 * The lab editor island. Until it is first opened it is only the "Open editor" button: the
 * panel (EditorPanel.tsx), Monaco and its workers load on the first open — by the button or by
 * `kubectl edit` in the terminal — so the lab page's JavaScript before that stays as it was.
 */
import type { ComponentType } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import type { EditorPanelProps } from './EditorPanel';
import { labWorkspace, type EditRequest } from './workspace';
import './editor.css';

type Panel = ComponentType<EditorPanelProps>;

export default function Editor() {
  const [Panel, setPanel] = useState<Panel | null>(null);
  const [open, setOpen] = useState(false);
  const [failure, setFailure] = useState('');
  const loading = useRef<Promise<Panel>>();
  /** The panel's `kubectl edit` handler, once it is mounted. */
  const panelEdit = useRef<{ handler?: EditRequest; waiters: ((h: EditRequest) => void)[] }>({ waiters: [] });
  const openButton = useRef<HTMLButtonElement>(null);

  const load = (): Promise<Panel> => {
    loading.current ??= import('./EditorPanel').then(
      (m) => {
        setPanel(() => m.default);
        return m.default;
      },
      (e: unknown) => {
        loading.current = undefined;
        throw e;
      },
    );
    return loading.current;
  };

  const show = () => {
    // For the browser tests and `npm run bench:web`: first open → editor ready (EditorPanel marks that).
    if (!loading.current) performance.mark('clusterpath:editor-open');
    setFailure('');
    setOpen(true);
    load().catch((e: unknown) => {
      setOpen(false);
      setFailure(`The editor could not load (${e instanceof Error ? e.message : String(e)}). Try again.`);
    });
  };

  useEffect(
    // `kubectl edit` before the editor was ever opened: open it, then hand the file over.
    () =>
      labWorkspace.attachEditor((file) => {
        show();
        const ready = panelEdit.current.handler
          ? Promise.resolve(panelEdit.current.handler)
          : new Promise<EditRequest>((resolve, reject) => {
              panelEdit.current.waiters.push(resolve);
              load().catch(reject);
            });
        return ready.then((edit) => edit(file));
      }),
    [],
  );

  const register = (edit: EditRequest | undefined) => {
    panelEdit.current.handler = edit;
    if (!edit) return;
    for (const w of panelEdit.current.waiters.splice(0)) w(edit);
  };

  const close = () => {
    setOpen(false);
    // Back to the button that opened it (keyboard users stay where they were).
    requestAnimationFrame(() => openButton.current?.focus());
  };

  return (
    <div class="lab-editor" data-open={open ? 'true' : 'false'}>
      {!open && (
        <div class="lab-editor-closed">
          <button type="button" class="lab-editor-button lab-editor-open" ref={openButton} onClick={show}>
            Open editor
          </button>
          <span class="lab-editor-hint">Write YAML for files in ~ with completion and checks, then apply it in the terminal.</span>
          {failure && (
            <p class="lab-editor-failure" role="alert">
              {failure}
            </p>
          )}
        </div>
      )}
      {Panel && <Panel visible={open} onClose={close} register={register} />}
      {open && !Panel && (
        <p class="lab-editor-loading" role="status">
          Loading the editor…
        </p>
      )}
    </div>
  );
}
