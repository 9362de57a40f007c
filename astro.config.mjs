// @ts-check
import { defineConfig } from 'astro/config';
import mdx from '@astrojs/mdx';
import preact from '@astrojs/preact';
import sitemap from '@astrojs/sitemap';

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
  },
});
