/**
 * Monaco's own stylesheets, adopted as constructed stylesheets. Its modules import their CSS;
 * a Vite plugin in astro.config.mjs (monacoCss) turns each such import into a call here with
 * the CSS text, for two reasons: Astro would otherwise link every CSS file of an island's
 * import graph, dynamic imports included, from the page itself, so Monaco's CSS would load with
 * the page instead of on first open; and constructed sheets need no CSP exception.
 */

export function adoptCss(css: string): void {
  // One sheet per module, in import order (which is Monaco's cascade order).
  if (typeof document === 'undefined' || typeof CSSStyleSheet === 'undefined') return;
  const sheet = new CSSStyleSheet();
  sheet.replaceSync(css);
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, sheet];
}
