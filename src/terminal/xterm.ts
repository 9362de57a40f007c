/**
 * The browser half of the terminal: an xterm.js Terminal with the fit and web-links addons,
 * our line discipline (ShellTerminal) on top, following its panel's size. Browser-only: import
 * it from client code, never from Astro frontmatter.
 */
import { Terminal } from '@xterm/xterm';
import { FitAddon } from '@xterm/addon-fit';
import { WebLinksAddon } from '@xterm/addon-web-links';
import '@xterm/xterm/css/xterm.css';
import { withConstructableStyles } from './csp-styles';
import { History, type HistoryStorage } from './history';
import { ShellTerminal, type RunResult, type ShellBackend } from './shell-terminal';

export interface MountOptions {
  backend: ShellBackend;
  /** The first prompt, shown before the backend answers. */
  prompt: string;
  /** localStorage key of this terminal's history (one per lab). */
  historyKey: string;
  /** Written before the first prompt, e.g. "Starting cluster…". */
  banner?: string;
  screenReader?: boolean;
  onCommand?: (line: string, result: RunResult) => void;
  /** Output as it is shown (the page's screen-reader live region). */
  onOutput?: (text: string) => void;
}

export interface MountedTerminal {
  readonly shell: ShellTerminal;
  readonly term: Terminal;
  setScreenReader(on: boolean): void;
  focus(): void;
  dispose(): void;
}

const FONT = "'JetBrains Mono Variable', ui-monospace, 'SFMono-Regular', Menlo, monospace";

/**
 * GitHub's dark palette: every ANSI colour reaches 4.5:1 on the background (axe and people
 * reading `ls --color` output both need it). The terminal is dark in both site themes.
 */
const THEME = {
  background: '#0d1117',
  foreground: '#e6edf3',
  cursor: '#e6edf3',
  cursorAccent: '#0d1117',
  selectionBackground: '#264f78',
  black: '#484f58',
  red: '#ff7b72',
  green: '#3fb950',
  yellow: '#d29922',
  blue: '#58a6ff',
  magenta: '#bc8cff',
  cyan: '#39c5cf',
  white: '#b1bac4',
  brightBlack: '#8b949e',
  brightRed: '#ffa198',
  brightGreen: '#56d364',
  brightYellow: '#e3b341',
  brightBlue: '#79c0ff',
  brightMagenta: '#d2a8ff',
  brightCyan: '#56d4dd',
  brightWhite: '#ffffff',
};

export async function mountTerminal(el: HTMLElement, opts: MountOptions): Promise<MountedTerminal> {
  // Cells are measured with the font xterm finds at open(). Ours (bundled) is usually cached;
  // when it is still loading we open at once anyway and measure again once it is there, so
  // the terminal takes keys without waiting for a font.
  const spec = `13px ${FONT}`;
  const fontPending = document.fonts && !document.fonts.check(spec) ? document.fonts.load(spec).catch(() => []) : undefined;
  const term = new Terminal({
    fontFamily: FONT,
    fontSize: 13,
    lineHeight: 1.2,
    theme: THEME,
    cursorBlink: true,
    scrollback: 5000,
    screenReaderMode: opts.screenReader ?? false,
    allowProposedApi: false,
    // No truecolor styles: xterm draws 24-bit colours with style attributes, which CSP blocks.
    minimumContrastRatio: 1,
  });
  const fit = new FitAddon();
  term.loadAddon(fit);
  term.loadAddon(new WebLinksAddon((event, uri) => {
    event.preventDefault();
    window.open(uri, '_blank', 'noopener,noreferrer');
  }));
  withConstructableStyles(document, () => term.open(el));
  // The whole buffer as text, soft-wrapped rows joined: for browser tests (and a session export).
  Object.defineProperty(el, 'terminalText', { configurable: true, value: () => bufferText(term) });
  // Ctrl-C (or Cmd-C) with a selection copies it, as in most terminal apps; without, it interrupts.
  term.attachCustomKeyEventHandler((e) => {
    if (e.type === 'keydown' && (e.ctrlKey || e.metaKey) && e.key === 'c' && term.hasSelection()) {
      void navigator.clipboard?.writeText(term.getSelection()).catch(() => undefined);
      term.clearSelection();
      return false;
    }
    return true;
  });
  safeFit(fit);

  const shell = new ShellTerminal({
    term,
    backend: opts.backend,
    history: new History({ storage: localStore(), key: opts.historyKey }),
    prompt: opts.prompt,
    ...(opts.onCommand ? { onCommand: opts.onCommand } : {}),
    ...(opts.onOutput ? { onOutput: opts.onOutput } : {}),
  });
  shell.start(opts.banner ?? '');

  if (fontPending) {
    void fontPending.then(() => {
      // A different string for the same fonts makes xterm measure its cells again.
      term.options.fontFamily = `${FONT}, monospace`;
      safeFit(fit);
      shell.resize();
    });
  }

  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(() => {
      safeFit(fit);
      shell.resize();
    });
  });
  observer.observe(el);

  return {
    shell,
    term,
    setScreenReader(on) {
      term.options.screenReaderMode = on;
    },
    focus() {
      term.focus();
    },
    dispose() {
      observer.disconnect();
      cancelAnimationFrame(frame);
      shell.dispose();
      term.dispose();
    },
  };
}

function bufferText(term: Terminal): string {
  const b = term.buffer.active;
  const lines: string[] = [];
  for (let i = 0; i < b.length; i++) {
    const row = b.getLine(i);
    if (!row) continue;
    const text = row.translateToString(true);
    if (row.isWrapped && lines.length > 0) lines[lines.length - 1] += text;
    else lines.push(text);
  }
  return lines.join('\n').replace(/\n+$/, '\n');
}

/** fit() throws when the panel is hidden (no size yet); the next resize fits it. */
function safeFit(fit: FitAddon): void {
  try {
    fit.fit();
  } catch {
    // Nothing to fit to yet.
  }
}

/** localStorage, or nothing when the browser refuses it (private modes, sandboxed frames). */
function localStore(): HistoryStorage | undefined {
  try {
    return window.localStorage;
  } catch {
    return undefined;
  }
}
