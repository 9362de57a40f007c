/**
 * The YAML editor: Monaco's core (editor.api) with only the contributions editing YAML needs,
 * the YAML tokenizer, and monaco-yaml with our Kubernetes schema (validation squiggles,
 * completion, hover docs). Browser-only and heavy: reached only through `loadMonaco()` in
 * index.ts, the first time the editor opens.
 */
import './environment';
import * as monaco from 'monaco-editor/esm/vs/editor/editor.api.js';
// The editing features we keep (editor.all.js lists them all; most are for code, not YAML).
import 'monaco-editor/esm/vs/editor/browser/coreCommands.js';
import 'monaco-editor/esm/vs/editor/contrib/bracketMatching/browser/bracketMatching.js';
import 'monaco-editor/esm/vs/editor/contrib/clipboard/browser/clipboard.js';
import 'monaco-editor/esm/vs/editor/contrib/codeAction/browser/codeActionContributions.js';
import 'monaco-editor/esm/vs/editor/contrib/comment/browser/comment.js';
import 'monaco-editor/esm/vs/editor/contrib/contextmenu/browser/contextmenu.js';
import 'monaco-editor/esm/vs/editor/contrib/cursorUndo/browser/cursorUndo.js';
import 'monaco-editor/esm/vs/editor/contrib/find/browser/findController.js';
import 'monaco-editor/esm/vs/editor/contrib/folding/browser/folding.js';
import 'monaco-editor/esm/vs/editor/contrib/format/browser/formatActions.js';
import 'monaco-editor/esm/vs/editor/contrib/gotoError/browser/gotoError.js';
import 'monaco-editor/esm/vs/editor/contrib/hover/browser/hoverContribution.js';
import 'monaco-editor/esm/vs/editor/contrib/indentation/browser/indentation.js';
import 'monaco-editor/esm/vs/editor/contrib/linesOperations/browser/linesOperations.js';
import 'monaco-editor/esm/vs/editor/contrib/multicursor/browser/multicursor.js';
import 'monaco-editor/esm/vs/editor/contrib/snippet/browser/snippetController2.js';
import 'monaco-editor/esm/vs/editor/contrib/suggest/browser/suggestController.js';
import 'monaco-editor/esm/vs/editor/contrib/toggleTabFocusMode/browser/toggleTabFocusMode.js';
import 'monaco-editor/esm/vs/editor/contrib/wordHighlighter/browser/wordHighlighter.js';
import 'monaco-editor/esm/vs/editor/contrib/wordOperations/browser/wordOperations.js';
import 'monaco-editor/esm/vs/editor/common/standaloneStrings.js';
import 'monaco-editor/esm/vs/base/browser/ui/codicons/codiconStyles.js';
// Syntax colouring for YAML (monaco-yaml brings the language service, not the tokenizer).
import 'monaco-editor/esm/vs/basic-languages/yaml/yaml.contribution.js';
import { configureMonacoYaml } from 'monaco-yaml';
import type { JsonSchema } from './schema';

export type EditorTheme = 'light' | 'dark';

export interface YamlEditorOptions {
  /** The JSON Schema every document is checked against (src/editor/schema.ts). */
  schema: JsonSchema;
  /** Where the schema is served, named in hover docs as its source. */
  schemaUrl: string;
  theme: EditorTheme;
  ariaLabel: string;
  /** Ctrl/Cmd-S. */
  onSave(): void;
  /** Escape with no widget open: the page moves focus out of the editor. */
  onEscape(): void;
  onChange(): void;
  /** The problems under the current text changed (validation ran). */
  onMarkers(count: number): void;
}

export interface Problem {
  message: string;
  line: number;
  column: number;
  severity: 'error' | 'warning' | 'info';
}

export interface YamlEditor {
  /** Shows the file `path` (each keeps its own buffer and undo history), with `text` if given. */
  open(path: string, text?: string): void;
  /** Whether `path` has a buffer. */
  has(path: string): boolean;
  /** The buffer of `path` ('' when it has none). */
  valueOf(path: string): string;
  /** Replaces the text of the open file, as a reload from disk (undoable). */
  replace(text: string): void;
  getValue(): string;
  problems(): Problem[];
  setTheme(theme: EditorTheme): void;
  focus(): void;
  dispose(): void;
}

/**
 * monaco-yaml starts its worker through monaco-worker-manager 2, which still calls
 * `createWebWorker({ label, moduleId, createData })`. Monaco 0.54 takes `{ worker }` instead;
 * its full bundle (editor.main.js) adapts the old form, but editor.api.js, which we use to
 * leave the other languages out, does not, so we adapt it here: start the worker the way
 * MonacoEnvironment says, send the two messages monaco-worker-manager's worker side waits for
 * (one to start, then the create data), and hand Monaco the worker.
 */
function acceptLegacyWorkerOptions(): void {
  // The .d.ts describes the legacy form; the implementation behind editor.api takes `{ worker }`.
  type Options = { worker?: Worker | Promise<Worker>; label?: string; createData?: unknown; host?: unknown; keepIdleModels?: boolean };
  const api = monaco.editor as unknown as { createWebWorker(opts: Options): unknown };
  const create = api.createWebWorker.bind(api);
  api.createWebWorker = (opts) => {
    if (opts.worker !== undefined) return create(opts);
    const env = (globalThis as { MonacoEnvironment?: { getWorker(id: string, label: string): Worker } }).MonacoEnvironment!;
    const worker = Promise.resolve(env.getWorker('workerMain.js', opts.label ?? 'editorWorkerService')).then((w) => {
      w.postMessage('start');
      w.postMessage(opts.createData);
      return w;
    });
    return create({ worker, host: opts.host, keepIdleModels: opts.keepIdleModels ?? false });
  };
}

const THEMES: Record<EditorTheme, string> = { light: 'clusterpath-light', dark: 'clusterpath-dark' };
let configured = false;

function configure(opts: YamlEditorOptions): void {
  if (configured) return;
  configured = true;
  acceptLegacyWorkerOptions();
  // When a text changes under a pending language-service request, Monaco cancels it with a
  // CancellationError (`name` and `message` both "Canceled"), which it treats as expected
  // (base/common/errors.ts isCancellationError). monaco-yaml leaves some of those promises
  // unawaited, so the rejection would surface as an uncaught error; it is not one.
  window.addEventListener('unhandledrejection', (e) => {
    const r: unknown = e.reason;
    if (r instanceof Error && r.name === 'Canceled' && r.message === 'Canceled') e.preventDefault();
  });
  // The site's backgrounds (src/styles/global.css --bg); Monaco's vs/vs-dark token colours meet
  // WCAG AA on them; line numbers are darkened (light) / lightened (dark) to meet it too.
  monaco.editor.defineTheme(THEMES.light, {
    base: 'vs',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#ffffff', 'editorLineNumber.foreground': '#1d6a80', 'editorLineNumber.dimmedForeground': '#1d6a80' },
  });
  monaco.editor.defineTheme(THEMES.dark, {
    base: 'vs-dark',
    inherit: true,
    rules: [],
    colors: { 'editor.background': '#0f1319', 'editorLineNumber.foreground': '#9aa4b2', 'editorLineNumber.dimmedForeground': '#9aa4b2' },
  });
  configureMonacoYaml(monaco, {
    enableSchemaRequest: false,
    hover: true,
    completion: true,
    validate: true,
    schemas: [{ uri: opts.schemaUrl, fileMatch: ['*'], schema: opts.schema as never }],
  });
}

const SEVERITY: Record<number, Problem['severity']> = {
  [monaco.MarkerSeverity.Error]: 'error',
  [monaco.MarkerSeverity.Warning]: 'warning',
};

/** Where a hidden find widget keeps a control's own tabindex ('' for none). */
const TABINDEX_WHILE_SHOWN = 'data-tabindex-while-shown';

export function createYamlEditor(el: HTMLElement, opts: YamlEditorOptions): YamlEditor {
  configure(opts);
  const editor = monaco.editor.create(el, {
    model: null,
    theme: THEMES[opts.theme],
    ariaLabel: opts.ariaLabel,
    automaticLayout: true,
    minimap: { enabled: false },
    fontFamily: "'JetBrains Mono Variable', ui-monospace, 'SFMono-Regular', Menlo, monospace",
    fontLigatures: false,
    fontSize: 14,
    tabSize: 2,
    insertSpaces: true,
    scrollBeyondLastLine: false,
    renderWhitespace: 'boundary',
    wordWrap: 'off',
    quickSuggestions: { other: true, comments: false, strings: true },
    fixedOverflowWidgets: true,
  });
  editor.addCommand(monaco.KeyMod.CtrlCmd | monaco.KeyCode.KeyS, () => opts.onSave());
  // Escape first closes whatever Monaco has open (suggestions, find, hover, extra cursors).
  editor.addCommand(
    monaco.KeyCode.Escape,
    () => opts.onEscape(),
    '!suggestWidgetVisible && !findWidgetVisible && !markersNavigationVisible && !parameterHintsVisible && !hasMultipleSelections && !inSnippetMode && !editorHoverFocused && !renameInputVisible',
  );
  // Monaco hides a closed find widget with aria-hidden but leaves its inputs and buttons in
  // the tab order (axe: aria-hidden-focus). While it is hidden they get tabindex -1, and their
  // own values back when it shows. Not `inert`: Monaco focuses the find input before it
  // clears aria-hidden, and an inert input cannot take that focus.
  const hiddenWidgets = new MutationObserver(() => {
    for (const w of el.querySelectorAll<HTMLElement>('.find-widget')) {
      const hidden = w.getAttribute('aria-hidden') === 'true';
      for (const f of w.querySelectorAll<HTMLElement>('input, textarea, [tabindex]')) {
        if (hidden && f.getAttribute('tabindex') !== '-1') {
          f.setAttribute(TABINDEX_WHILE_SHOWN, f.getAttribute('tabindex') ?? '');
          f.setAttribute('tabindex', '-1');
        } else if (!hidden && f.hasAttribute(TABINDEX_WHILE_SHOWN)) {
          const was = f.getAttribute(TABINDEX_WHILE_SHOWN)!;
          f.removeAttribute(TABINDEX_WHILE_SHOWN);
          if (was === '') f.removeAttribute('tabindex');
          else f.setAttribute('tabindex', was);
        }
      }
    }
  });
  hiddenWidgets.observe(el, { subtree: true, childList: true, attributes: true, attributeFilter: ['aria-hidden', 'tabindex'] });
  const subs = [
    { dispose: () => hiddenWidgets.disconnect() },
    editor.onDidChangeModelContent(() => opts.onChange()),
    monaco.editor.onDidChangeMarkers((uris) => {
      const model = editor.getModel();
      if (model && uris.some((u) => u.toString() === model.uri.toString())) opts.onMarkers(problemsOf(model).length);
    }),
  ];

  const uriOf = (path: string) => monaco.Uri.from({ scheme: 'file', path });
  const modelOf = (path: string) => monaco.editor.getModel(uriOf(path));
  const problemsOf = (model: monaco.editor.ITextModel): Problem[] =>
    monaco.editor
      .getModelMarkers({ resource: model.uri })
      .filter((m) => m.severity >= monaco.MarkerSeverity.Warning)
      .map((m) => ({ message: m.message, line: m.startLineNumber, column: m.startColumn, severity: SEVERITY[m.severity] ?? 'info' }));

  return {
    open(path, text) {
      let model = modelOf(path);
      if (!model) model = monaco.editor.createModel(text ?? '', 'yaml', uriOf(path));
      else if (text !== undefined && model.getValue() !== text) model.setValue(text);
      editor.setModel(model);
      editor.updateOptions({ ariaLabel: `${opts.ariaLabel}: ${path}` });
      opts.onMarkers(problemsOf(model).length);
    },
    has: (path) => !!modelOf(path),
    valueOf: (path) => modelOf(path)?.getValue() ?? '',
    replace(text) {
      const model = editor.getModel();
      if (!model || model.getValue() === text) return;
      editor.executeEdits('reload', [{ range: model.getFullModelRange(), text }]);
      editor.pushUndoStop();
    },
    getValue: () => editor.getValue(),
    problems() {
      const model = editor.getModel();
      return model ? problemsOf(model) : [];
    },
    setTheme(theme) {
      monaco.editor.setTheme(THEMES[theme]);
    },
    focus: () => editor.focus(),
    dispose() {
      for (const s of subs) s.dispose();
      editor.dispose();
    },
  };
}
