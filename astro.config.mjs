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
// - `just-bash` resolves to src/lab/just-bash-browser.ts: its browser build plus the one
//   helper the shell uses that the browser build does not export (decodeBytesToUtf8).
// - just-bash's browser build imports node:zlib for its gzip commands (which it documents as
//   failing in browsers); Vite's empty stand-in has no named exports, so the bundle would not
//   link. We give it one whose functions fail like a missing zlib would.
// - The browser build does not export `parse` (the Node build does); src/shell/continuation.ts
//   needs it to tell a finished command from one that wants more lines. We export the
//   bundle's own `parse` (`function X(e,t){return new Parser().parse(e,t)}`), and fail the
//   build loudly if a just-bash upgrade changes that shape.
// - just-bash's `html-to-markdown` command bundles turndown (7 KB gzip); no Linux box in a
//   lab has that command, so it gets a stand-in that fails if ever run.

const SHIM = fileURLToPath(new URL('./src/lab/just-bash-browser.ts', import.meta.url));
const ZLIB = '\0clusterpath:zlib-unavailable';
const TURNDOWN = '\0clusterpath:turndown-unavailable';

/** @returns {import('vite').Plugin} */
function labWorkerBrowser() {
  return {
    name: 'clusterpath:lab-worker-browser',
    enforce: 'pre',
    resolveId(id, importer) {
      if (id === 'just-bash' && importer && !importer.endsWith('just-bash-browser.ts')) return SHIM;
      if (id === 'node:zlib' && importer?.includes('/just-bash/')) return ZLIB;
      if (id === 'turndown' && importer?.includes('/just-bash/')) return TURNDOWN;
      return null;
    },
    transform(code, id) {
      if (!/\/just-bash\/dist\/bundle\/browser\.js$/.test(id)) return null;
      if (/\bas parse\b/.test(code)) return null;
      const fns = [...code.matchAll(/function ([A-Za-z0-9_$]+)\(e,t\)\{return new [A-Za-z0-9_$]+\(\)\.parse\(e,t\)\}/g)];
      if (fns.length !== 1) this.error(`just-bash/browser: expected one parse() wrapper to export, found ${fns.length}; update labWorkerBrowser in astro.config.mjs`);
      return { code: `${code}\nexport { ${fns[0]?.[1]} as parse };\n`, map: null };
    },
    load(id) {
      if (id === TURNDOWN) return 'export default class { constructor() { throw new Error("html-to-markdown is not available here"); } }';
      if (id !== ZLIB) return null;
      return [
        'const unavailable = () => { throw new Error("zlib is not available in the browser"); };',
        'export const constants = {};',
        'export const gzipSync = unavailable;',
        'export const gunzipSync = unavailable;',
      ].join('\n');
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
