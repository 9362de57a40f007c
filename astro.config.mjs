// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import sitemap from '@astrojs/sitemap';
import { fileURLToPath } from 'node:url';

// The site is fully static. `site` is only used for absolute URLs in the sitemap;
// override it with SITE_URL when deploying somewhere else.
export default defineConfig({
  site: process.env.SITE_URL ?? 'https://clusterpath.dev',
  trailingSlash: 'ignore',
  // Several git worktrees may share one node_modules (and so Astro's default cache in it);
  // ASTRO_CACHE_DIR gives each its own content cache.
  ...(process.env.ASTRO_CACHE_DIR ? { cacheDir: process.env.ASTRO_CACHE_DIR } : {}),
  integrations: [mdx(), preact(), sitemap()],
  build: {
    // External stylesheets keep the Content-Security-Policy simple: every <style>
    // left inline is hashed by scripts/csp.mjs after the build.
    inlineStylesheets: 'never',
    format: 'directory',
  },
  markdown: {
    shikiConfig: {
      // Two themes (GitHub's "default" pair: every token colour meets WCAG AA contrast on
      // our code background); CSS switches on [data-theme] (src/styles/global.css).
      themes: { light: 'github-light-default', dark: 'github-dark-default' },
      defaultColor: false,
      wrap: false,
    },
  },
  server: { host: '127.0.0.1', port: 4321 },
  devToolbar: { enabled: false },
  vite: {
    // Never turn small fonts or images into data: URLs; the CSP admits only our own files.
    build: { assetsInlineLimit: 0 },
    // The lab worker (src/lab/worker.ts) splits into chunks (commands load lazily), which
    // needs ES module workers; every browser we support has them.
    worker: { format: 'es', plugins: () => [labWorkerBrowser()] },
    // The lab editor's Monaco (src/editor/monaco.ts) is imported only on first open; without
    // pre-bundling, the dev server would discover it then and reload the page. Its two workers
    // are listed too: unbundled, the YAML worker's CommonJS dependencies do not load in dev.
    optimizeDeps: { include: ['monaco-editor/esm/vs/editor/editor.api.js', 'monaco-yaml', 'monaco-yaml/yaml.worker.js', 'monaco-editor/esm/vs/editor/editor.worker.js'] },
    plugins: [monacoCss()],
  },
});

// A Vite plugin for the lab worker's bundle (src/lab/worker.ts): just-bash in a browser.
// - `just-bash` resolves to src/lab/just-bash-browser.ts, which re-exports just-bash's ES module
//   build (dist/bundle/index.js). Unlike its one-file browser build (348 KB gzip, every command
//   inside), that build loads each command on first use (`load: () => import(chunk)`), so the
//   worker ships ~140 KB less before the learner's first key; Vite keeps those imports lazy.
// - That build imports Node built-ins (fs and path for its disk-backed file systems, zlib,
//   worker_threads for python3/sqlite3/js-exec, dns for its fetch guard...) and a few heavy or
//   optional packages for commands no lab box has. Inside the worker each of them is a stand-in
//   whose functions fail plainly if ever called (`node:fs.readFileSync is not available in
//   the browser`); `createRequire` hands back such a function and `randomBytes` uses Web Crypto,
//   since those two run when a module loads or a temp name is made. The in-memory file system
//   and the commands a lab uses never reach them.
// - The build's `__BROWSER__` switch is set, as for its browser bundle: commands that need Node
//   (tar, python3, sqlite3, js-exec) are not registered, and its Node-only sandbox is off.

const SHIM = fileURLToPath(new URL('./src/lab/just-bash-browser.ts', import.meta.url));
const JUST_BASH_ESM = fileURLToPath(new URL('./node_modules/just-bash/dist/bundle/index.js', import.meta.url));
const UNAVAILABLE = '\0clusterpath:unavailable:';
/** Packages just-bash imports only for commands no lab box has (sqlite3, js-exec, zstd, xz, html-to-markdown). */
const UNAVAILABLE_PACKAGES = ['sql.js', 'quickjs-emscripten', '@mongodb-js/zstd', 'node-liblzma', 'turndown'];

/** @returns {import('vite').Plugin} */
function labWorkerBrowser() {
  return {
    name: 'clusterpath:lab-worker-browser',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === 'just-bash' && importer && !importer.endsWith('just-bash-browser.ts')) return SHIM;
      if (id === 'just-bash' && importer?.endsWith('just-bash-browser.ts')) return JUST_BASH_ESM;
      if (importer?.includes('/just-bash/') && (id.startsWith('node:') || UNAVAILABLE_PACKAGES.includes(id))) return UNAVAILABLE + id;
      return null;
    },
    transform(code, id) {
      // The build's own browser switch (what its browser bundle is built with): no tar, python3,
      // sqlite3 or js-exec, and no Node-only defense-in-depth box (it needs node:async_hooks).
      if (!id.includes('/just-bash/dist/bundle/') || !code.includes('__BROWSER__')) return null;
      return { code: code.replace(/\b__BROWSER__\b/g, 'true'), map: null };
    },
    load(id) {
      if (!id.startsWith(UNAVAILABLE)) return null;
      const name = id.slice(UNAVAILABLE.length);
      // Any named import resolves to a property of the default export (Rollup's
      // syntheticNamedExports), so one stand-in serves whatever a module imports.
      return {
        code: [
          `const missing = (what) => () => { throw new Error(what + ' is not available in the browser'); };`,
          'const special = {',
          `  createRequire: () => missing('require'),`,
          `  randomBytes: (n) => { const b = new Uint8Array(n); crypto.getRandomValues(b); return Object.assign(b, { toString: (enc) => enc === 'hex' ? [...b].map((x) => x.toString(16).padStart(2, '0')).join('') : String.fromCharCode(...b) }); },`,
          '  AsyncLocalStorage: undefined,',
          '  constants: {},',
          '};',
          `export default new Proxy(special, { get: (t, k) => (k in t ? t[k] : typeof k === 'string' ? missing(${JSON.stringify(name)} + '.' + k) : undefined) });`,
        ].join('\n'),
        syntheticNamedExports: true,
      };
    },
  };
}

// A Vite plugin for the lab editor: Monaco's modules import their own CSS files. Astro links
// every CSS file in an island's import graph from the page, dynamic imports included, so
// Monaco's CSS would load with every lab page. Each such import becomes a call that adopts the
// CSS as a constructed stylesheet when Monaco loads (src/editor/styles.ts), which also keeps
// it clear of the CSP's style-src.
const MONACO_CSS = '\0clusterpath:monaco-css:';
const ADOPT_CSS = fileURLToPath(new URL('./src/editor/styles.ts', import.meta.url));

/** @returns {import('vite').Plugin} */
function monacoCss() {
  return {
    name: 'clusterpath:monaco-css',
    enforce: 'pre',
    async resolveId(source, importer) {
      if (!source.endsWith('.css') || !importer?.includes('/node_modules/monaco-editor/esm/')) return null;
      const resolved = await this.resolve(source, importer, { skipSelf: true });
      return resolved ? `${MONACO_CSS}${resolved.id}.js` : null;
    },
    load(id) {
      if (!id.startsWith(MONACO_CSS)) return null;
      const file = id.slice(MONACO_CSS.length, -'.js'.length);
      return `import css from ${JSON.stringify(`${file}?inline`)};\nimport { adoptCss } from ${JSON.stringify(ADOPT_CSS)};\nadoptCss(css);\n`;
    },
  };
}
