/**
 * The search page, on Pagefind's JS API (the index is built after `astro build` into
 * dist/pagefind/). Pagefind runs in WebAssembly, hence 'wasm-unsafe-eval' in the CSP.
 */
interface PagefindHit {
  url: string;
  title?: string;
  excerpt: string;
}
interface PagefindResult {
  data(): Promise<PagefindHit & { meta: { title?: string; type?: string }; sub_results?: PagefindHit[] }>;
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

type Hit = PagefindHit & { type?: string | undefined };

function resultItem(doc: Document, hit: Hit): HTMLLIElement {
  const li = doc.createElement('li');
  const a = doc.createElement('a');
  a.href = hit.url;
  a.textContent = hit.title ?? hit.url;
  li.append(a);
  if (hit.type) {
    const kind = doc.createElement('span');
    kind.className = 'kind';
    kind.textContent = hit.type;
    li.append(kind);
  }
  const p = doc.createElement('p');
  // Pagefind's excerpt is escaped text with <mark> around the hits.
  p.innerHTML = hit.excerpt;
  li.append(p);
  return li;
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
      const pages = await Promise.all(results.slice(0, 20).map((r) => r.data()));
      // The quiz is one page of many questions: list the matching questions themselves.
      const hits = pages.flatMap((d): Hit[] =>
        d.meta.type === 'Question' && d.sub_results && d.sub_results.length > 0
          ? d.sub_results.slice(0, 5).map((s) => ({ ...s, type: 'Question' }))
          : [{ url: d.url, title: d.meta.title, excerpt: d.excerpt, type: d.meta.type }],
      );
      for (const hit of hits) list.append(resultItem(doc, hit));
      status.textContent = hits.length === 0 ? `No results for “${q}”.` : `${hits.length} ${hits.length === 1 ? 'result' : 'results'} for “${q}”.`;
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
