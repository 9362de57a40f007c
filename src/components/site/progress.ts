/**
 * Lesson progress kept in localStorage. A corrupt value is treated as "no progress" and
 * replaced on the next write, so a bad saved state never breaks a page.
 */
export const DONE_KEY = 'clusterpath:lessons-done';

export function readDone(storage: Pick<Storage, 'getItem'>): Set<string> {
  try {
    const raw = storage.getItem(DONE_KEY);
    const parsed: unknown = raw ? JSON.parse(raw) : [];
    return new Set(Array.isArray(parsed) ? parsed.filter((x): x is string => typeof x === 'string') : []);
  } catch {
    return new Set();
  }
}

export function writeDone(storage: Pick<Storage, 'setItem'>, done: Set<string>): void {
  try {
    storage.setItem(DONE_KEY, JSON.stringify([...done].sort()));
  } catch {
    /* storage full or disabled: progress just isn't kept */
  }
}

export function bindDoneButtons(doc: Document): void {
  for (const button of doc.querySelectorAll<HTMLButtonElement>('[data-lesson-done]')) {
    const id = button.dataset.lessonDone!;
    const show = (isDone: boolean) => {
      button.setAttribute('aria-pressed', String(isDone));
      button.textContent = isDone ? 'Done ✓ (click to undo)' : 'Mark lesson as done';
    };
    show(readDone(localStorage).has(id));
    button.addEventListener('click', () => {
      const done = readDone(localStorage);
      if (done.has(id)) done.delete(id);
      else done.add(id);
      writeDone(localStorage, done);
      show(done.has(id));
    });
  }
}
