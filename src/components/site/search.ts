/**
 * The search page, on Pagefind's JS API (the index is built after `astro build` into
 * dist/pagefind/). Pagefind runs in WebAssembly, hence 'wasm-unsafe-eval' in the CSP.
 */
interface PagefindResult {
  data(): Promise<{ url: string; excerpt: string; meta: { title?: string; type?: string } }>;
}
interface Pagefind {
  search(q: string): Promise<{ results: PagefindResult[] }>;
}

let pagefind: Promise<Pagefind> | undefined;
function loadPagefind(): Promise<Pagefind> {
  // A runtime URL, so the bundler leaves it alone: the file exists only after the build.
  const url = '/pagefind/pagefind.js';
  pagefind ??= import(/* @vite-ignore */ url) as Promise<Pagefind>;
  return pagefind;
}

export function runSearchPage(doc: Document): void {
  const form = doc.querySelector<HTMLFormElement>('[data-search-form]')!;
  const input = form.querySelector<HTMLInputElement>('input[name=q]')!;
  const status = doc.querySelector<HTMLElement>('[data-search-status]')!;
  const list = doc.querySelector<HTMLOListElement>('[data-search-results]')!;

  async function search(q: string) {
    list.replaceChildren();
    if (q.trim() === '') {
      status.textContent = '';
      return;
    }
    status.textContent = 'Searching…';
    try {
      const { results } = await (await loadPagefind()).search(q);
      const data = await Promise.all(results.slice(0, 20).map((r) => r.data()));
      for (const d of data) {
        const li = doc.createElement('li');
        const a = doc.createElement('a');
        a.href = d.url;
        a.textContent = d.meta.title ?? d.url;
        li.append(a);
        if (d.meta.type) {
          const kind = doc.createElement('span');
          kind.className = 'kind';
          kind.textContent = d.meta.type;
          li.append(kind);
        }
        const p = doc.createElement('p');
        // Pagefind's excerpt is escaped text with <mark> around hits.
        p.innerHTML = d.excerpt;
        li.append(p);
        list.append(li);
      }
      status.textContent = results.length === 0 ? `No results for “${q}”.` : `${results.length} ${results.length === 1 ? 'result' : 'results'} for “${q}”.`;
    } catch {
      status.textContent = 'Search is not available: the index is built by `npm run build`.';
    }
  }

  const initial = new URLSearchParams(location.search).get('q') ?? '';
  input.value = initial;
  void search(initial);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    const q = input.value;
    history.replaceState(null, '', q ? `?q=${encodeURIComponent(q)}` : location.pathname);
    void search(q);
  });
}
