import { isBank, type BankQuestion } from '../../quiz';

/** Browser-side helpers shared by the quiz islands: the bank, storage, downloads, keys. */

let bank: Promise<BankQuestion[]> | undefined;

/** The question bank, fetched once per page (built by src/pages/quiz/bank.json.ts). */
export function fetchBank(): Promise<BankQuestion[]> {
  bank ??= fetch('/quiz/bank.json').then(async (r) => {
    if (!r.ok) throw new Error(`HTTP ${r.status}`);
    const data: unknown = await r.json();
    if (!isBank(data)) throw new Error('unexpected format');
    return data.questions;
  });
  return bank;
}

/** localStorage, or a throwaway in-memory store where storage is disabled. */
export function storage(): Storage {
  try {
    const s = window.localStorage;
    s.getItem('probe');
    return s;
  } catch {
    const m = new Map<string, string>();
    return {
      getItem: (k) => m.get(k) ?? null,
      setItem: (k, v) => void m.set(k, String(v)),
      removeItem: (k) => void m.delete(k),
      clear: () => m.clear(),
      key: (i) => [...m.keys()][i] ?? null,
      get length() {
        return m.size;
      },
    };
  }
}

/**
 * A saved JSON value: `null` when there is none, `undefined` when there is one we cannot
 * parse (the caller discards it and says so).
 */
export function readJSON(key: string): unknown {
  const raw = storage().getItem(key);
  if (raw === null) return null;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

export function writeJSON(key: string, value: unknown): void {
  try {
    storage().setItem(key, JSON.stringify(value));
  } catch {
    /* full: the session just isn't kept */
  }
}

export function remove(key: string): void {
  storage().removeItem(key);
}

/** Offers `text` as a file download. */
export function download(name: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * Whether a key press is ours to handle as a shortcut: not while typing in a text field,
 * not with a modifier (browser shortcuts), and Enter/Space on a button or link keep their
 * native meaning.
 */
export function shortcut(e: KeyboardEvent): string | null {
  if (e.altKey || e.ctrlKey || e.metaKey || e.defaultPrevented) return null;
  const t = e.target instanceof Element ? e.target : null;
  if (t?.closest('textarea, select, [contenteditable], input:not([type=checkbox]):not([type=radio])')) return null;
  // Enter on a checkbox has no native meaning, so it stays ours (check the answer).
  if (e.key === 'Enter' && t?.closest('button, a, summary')) return null;
  if (e.key === ' ' && t?.closest('button, a, summary, input, label')) return null;
  return e.key;
}

export const today = (ms: number) => new Date(ms).toISOString().slice(0, 10);
