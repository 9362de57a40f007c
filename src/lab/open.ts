/**
 * Which session a lab page starts from: its own save, or a shared link's (`#s=…`), asking
 * first when a link would replace local progress. Whatever cannot be read is reported with
 * a notice and never used. Without a link the answer is synchronous, so the terminal is not
 * held up on the common path.
 */
import { parseSave, type LabSave } from './log';
import { readSave, writeHistory, writeSave, type SaveStorage } from './persist';
import { decodeShare, sharePayload } from './share';

export interface OpenOptions {
  slug: string;
  storage: SaveStorage | undefined;
  /** The page's URL fragment. */
  hash: string;
  /** A link would replace local progress: true to open the link. */
  ask(): Promise<boolean>;
  notice(text: string): void;
}

export function openSession(o: OpenOptions): LabSave | undefined | Promise<LabSave | undefined> {
  const local = readSave(o.storage, o.slug);
  if (local.kind === 'discarded') o.notice(`Your saved session for this lab could not be read: ${local.message}. It was set aside and the lab starts fresh.`);
  const saved = local.kind === 'ok' ? local.save : undefined;
  const payload = sharePayload(o.hash);
  return payload === undefined ? saved : openShared(o, payload, saved);
}

async function openShared(o: OpenOptions, payload: string, saved: LabSave | undefined): Promise<LabSave | undefined> {
  let shared: LabSave;
  try {
    const parsed = parseSave(await decodeShare(payload), o.slug);
    if (!parsed.ok) throw new Error(parsed.message);
    shared = parsed.save;
  } catch (e) {
    o.notice(`The shared link could not be opened: ${e instanceof Error ? e.message : String(e)}.`);
    return saved;
  }
  if (saved && saved.events.length > 0 && !(await o.ask())) return saved;
  // The link's session becomes this browser's: its history for Up/Down, and the save.
  writeHistory(o.storage, o.slug, shared.history);
  writeSave(o.storage, shared);
  return shared;
}
