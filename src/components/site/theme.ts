/** Theme handling for the toggle button; the first paint is handled by BaseLayout's inline script. */
export type Theme = 'light' | 'dark';
export const THEME_KEY = 'clusterpath:theme';

export function storedTheme(storage: Pick<Storage, 'getItem'> | undefined): Theme | null {
  try {
    const t = storage?.getItem(THEME_KEY);
    return t === 'light' || t === 'dark' ? t : null;
  } catch {
    return null; // storage can throw when disabled (privacy modes)
  }
}

export function initThemeToggle(doc: Document): void {
  const root = doc.documentElement;
  const buttons = doc.querySelectorAll<HTMLButtonElement>('[data-theme-toggle]');
  const show = (t: Theme) => {
    root.dataset.theme = t;
    for (const b of buttons) b.setAttribute('aria-pressed', String(t === 'dark'));
  };
  show(root.dataset.theme === 'dark' ? 'dark' : 'light');
  for (const b of buttons) {
    b.addEventListener('click', () => {
      const next: Theme = root.dataset.theme === 'dark' ? 'light' : 'dark';
      show(next);
      try {
        localStorage.setItem(THEME_KEY, next);
      } catch {
        /* the choice just won't persist */
      }
    });
  }
  // Follow the system while the learner has not chosen.
  matchMedia('(prefers-color-scheme: dark)').addEventListener('change', (e) => {
    if (storedTheme(localStorage) === null) show(e.matches ? 'dark' : 'light');
  });
}
