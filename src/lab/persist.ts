/**
 * A lab's save in the browser's storage (localStorage: one key per lab). Reading never
 * throws: an unreadable or future save is set aside (kept under another key, so nothing is
 * lost for good) and reported, and the lab starts fresh.
 */
import { parseSave, type LabSave } from './log';

/** The part of Web Storage we use (localStorage; tests pass a Map-backed one). */
export interface SaveStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export const saveKey = (slug: string) => `clusterpath:lab:${slug}`;
/** Where an unreadable save is moved, in case a newer page can read it. */
export const setAsideKey = (slug: string) => `clusterpath:lab:${slug}:unreadable`;
/** The terminal's history key for a lab (src/terminal/history.ts stores `{v: 1, lines}` there). */
export const historyKey = (slug: string) => `clusterpath:history:${slug}`;

export type ReadSave = { kind: 'none' } | { kind: 'ok'; save: LabSave } | { kind: 'discarded'; message: string };

export function readSave(storage: SaveStorage | undefined, slug: string): ReadSave {
  let raw: string | null;
  try {
    raw = storage?.getItem(saveKey(slug)) ?? null;
  } catch {
    return { kind: 'none' };
  }
  if (raw === null) return { kind: 'none' };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return discard(storage!, slug, raw, 'the saved session is damaged (not JSON)');
  }
  const parsed = parseSave(data, slug);
  if (parsed.ok) return { kind: 'ok', save: parsed.save };
  return discard(storage!, slug, raw, parsed.message);
}

/** Saves; false when the storage refuses (full, disabled): the lab goes on unsaved. */
export function writeSave(storage: SaveStorage | undefined, save: LabSave): boolean {
  try {
    storage?.setItem(saveKey(save.slug), JSON.stringify(save));
    return storage !== undefined;
  } catch {
    return false;
  }
}

export function clearSave(storage: SaveStorage | undefined, slug: string): void {
  try {
    storage?.removeItem(saveKey(slug));
  } catch {
    // Nothing to do: a storage that throws holds nothing of ours.
  }
}

/** The terminal's history as the terminal stores it, for a session opened from a link. */
export function writeHistory(storage: SaveStorage | undefined, slug: string, lines: readonly string[]): void {
  try {
    storage?.setItem(historyKey(slug), JSON.stringify({ v: 1, lines }));
  } catch {
    // The history is a convenience; the session itself is restored without it.
  }
}

export function readHistory(storage: SaveStorage | undefined, slug: string): string[] {
  try {
    const data: unknown = JSON.parse(storage?.getItem(historyKey(slug)) ?? 'null');
    const lines = (data as { lines?: unknown } | null)?.lines;
    return Array.isArray(lines) ? lines.filter((l): l is string => typeof l === 'string') : [];
  } catch {
    return [];
  }
}

function discard(storage: SaveStorage, slug: string, raw: string, message: string): ReadSave {
  try {
    storage.setItem(setAsideKey(slug), raw);
    storage.removeItem(saveKey(slug));
  } catch {
    // Even if we cannot move it, we do not use it.
  }
  return { kind: 'discarded', message };
}
