/**
 * Monaco under our Content-Security-Policy (scripts/csp.mjs: styles only from our files or by
 * hash, no 'unsafe-inline'). Monaco styles itself two ways the policy would block:
 *
 * 1. `<style>` elements it fills at run time (theme colours, token colours, list and hover
 *    styles; base/browser/domStylesheets.ts). While the editor is loaded, a `<style>` asked of
 *    `document.createElement` is handed out as an inert `<template>` whose text and
 *    `sheet.insertRule` go to a constructed stylesheet in `document.adoptedStyleSheets`: that is
 *    CSSOM, which CSP does not govern (the terminal does the same for xterm.js,
 *    src/terminal/csp-styles.ts).
 * 2. `style="…"` attributes inside the HTML strings it renders lines with (view layers, line
 *    numbers, decorations). Every such string passes through a Trusted Types policy that
 *    `MonacoEnvironment.createTrustedTypesPolicy` may supply; ours rewrites each attribute
 *    into `data-cps="N"` plus a rule for it in a constructed sheet, so the style applies as the
 *    HTML is parsed. The selector repeats the attribute to outrank Monaco's own rules, as an
 *    inline style would; a later `el.style.top = …` (CSSOM) still wins, as it would inline.
 */

let installed = false;

/** Route Monaco's `<style>` elements into constructed stylesheets (idempotent). */
export function installStyleRouting(doc: Document): void {
  if (installed || !supported(doc)) return;
  installed = true;
  const original = doc.createElement;
  doc.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (tag.toLowerCase() !== 'style') return original.call(this, tag, options);
    const el = original.call(this, 'template');
    el.dataset['monacoStyle'] = '';
    routeText(doc, el);
    return el;
  } as typeof doc.createElement;
}

function supported(doc: Document): boolean {
  return typeof CSSStyleSheet !== 'undefined' && 'adoptedStyleSheets' in doc && 'replaceSync' in CSSStyleSheet.prototype;
}

function routeText(doc: Document, el: HTMLElement): void {
  const sheet = new CSSStyleSheet();
  let text = '';
  doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
  Object.defineProperty(el, 'textContent', {
    configurable: true,
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
    },
  });
  // createCSSRule / removeCSSRulesContainingSelector use `style.sheet.insertRule/deleteRule`.
  Object.defineProperty(el, 'sheet', { configurable: true, get: () => sheet });
  const remove = el.remove.bind(el);
  el.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    remove();
  };
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", '#39': "'", '#34': '"' };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#39|#34);/g, (_, e: string) => ENTITIES[e]!);

/** Style attributes seen so far → their number; one rule each in `attrSheet`. */
const attrIds = new Map<string, number>();
let attrSheet: CSSStyleSheet | undefined;

/** Rewrites `style="…"` attributes in an HTML string Monaco is about to insert (see above). */
export function moveInlineStyles(html: string, doc: Document = document): string {
  if (!supported(doc) || !html.includes('style=')) return html;
  return html.replace(/(<[^<>]*?\s)style=(?:"([^"]*)"|'([^']*)')/g, (_m, before: string, dq?: string, sq?: string) => {
    const css = decode(dq ?? sq ?? '');
    let id = attrIds.get(css);
    if (id === undefined) {
      id = attrIds.size;
      attrIds.set(css, id);
      if (!attrSheet) {
        attrSheet = new CSSStyleSheet();
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, attrSheet];
      }
      const sel = `[data-cps="${id}"]`;
      try {
        attrSheet.insertRule(`${sel}${sel}${sel}${sel}${sel}${sel} {${css}}`, attrSheet.cssRules.length);
      } catch {
        // Not valid CSS: the browser would have ignored the attribute too.
      }
    }
    return `${before}data-cps="${id}"`;
  });
}

/** Monaco asks for its Trusted Types policies here; ours moves styles out of the HTML. */
export function cspTrustedTypesPolicy(
  _name: string,
  options: { createHTML?: (value: string) => string; createScriptURL?: (value: string) => string },
): { createHTML?: (value: string) => string; createScriptURL?: (value: string) => string } {
  const { createHTML, createScriptURL } = options;
  return {
    ...(createHTML ? { createHTML: (value: string) => moveInlineStyles(createHTML(value)) } : {}),
    ...(createScriptURL ? { createScriptURL } : {}),
  };
}
