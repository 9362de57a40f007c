/**
 * xterm.js's DOM renderer writes its colours and cell sizes into `<style>` elements it creates
 * (xtermjs/xterm.js#4445). Our Content-Security-Policy admits inline styles only by hash, and
 * those rules change with the font and the panel size, so they cannot be hashed at build time.
 * Constructable stylesheets (`document.adoptedStyleSheets`) are CSSOM, which CSP does not
 * govern, so while `fn` runs (xterm creates all three of its style elements inside `open()`)
 * every `<style>` asked for is handed out as an inert `<template>` whose text goes into a
 * constructed sheet instead (an empty `<style>` would still be checked against the policy);
 * removing the element removes its sheet.
 */
export function withConstructableStyles<T>(doc: Document, fn: () => T): T {
  if (typeof CSSStyleSheet === 'undefined' || !('adoptedStyleSheets' in doc) || !('replaceSync' in CSSStyleSheet.prototype)) return fn();
  const original = doc.createElement;
  doc.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    if (tag.toLowerCase() !== 'style') return original.call(this, tag, options);
    const el = original.call(this, 'template');
    el.dataset['xtermStyle'] = '';
    adoptText(doc, el);
    return el;
  } as typeof doc.createElement;
  try {
    return fn();
  } finally {
    doc.createElement = original;
  }
}

function adoptText(doc: Document, el: HTMLElement): void {
  const sheet = new CSSStyleSheet();
  let text = '';
  let adopted = false;
  Object.defineProperty(el, 'textContent', {
    configurable: true,
    get: () => text,
    set: (value: string | null) => {
      text = value ?? '';
      sheet.replaceSync(text);
      if (!adopted) {
        doc.adoptedStyleSheets = [...doc.adoptedStyleSheets, sheet];
        adopted = true;
      }
    },
  });
  const remove = el.remove.bind(el);
  el.remove = () => {
    doc.adoptedStyleSheets = doc.adoptedStyleSheets.filter((s) => s !== sheet);
    adopted = false;
    remove();
  };
}
