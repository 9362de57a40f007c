// Adds a Content-Security-Policy <meta> to every built HTML page. The site is static, so
// the policy travels with the page and holds on any host. Only the site's own files are
// allowed; the few inline scripts and styles Astro writes are allowed by their sha256.
import { createHash } from 'node:crypto';

const sha256 = (text) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
/** The attribute value as the browser sees it (the hash is over the decoded text). */
export function decodeEntities(s) {
  return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (m, e) => {
    if (e[0] === '#') return String.fromCodePoint(e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10));
    return ENTITIES[e.toLowerCase()] ?? m;
  });
}

/** The hashes a page needs: inline <script> and <style> bodies, and style="" attributes. */
export function inlineHashes(html) {
  const scripts = new Set();
  const styles = new Set();
  const attrs = new Set();
  for (const m of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)) {
    if (/\bsrc\s*=/.test(m[1]) || m[2].length === 0) continue;
    scripts.add(sha256(m[2]));
  }
  for (const m of html.matchAll(/<style\b[^>]*>([\s\S]*?)<\/style>/gi)) styles.add(sha256(m[1]));
  for (const m of html.matchAll(/\sstyle\s*=\s*("([^"]*)"|'([^']*)')/gi)) attrs.add(sha256(decodeEntities(m[2] ?? m[3] ?? '')));
  return { scripts: [...scripts].sort(), styles: [...styles].sort(), attrs: [...attrs].sort() };
}

export function policyFor(html) {
  const h = inlineHashes(html);
  const styleSrc = ["'self'", ...h.styles];
  // Shiki colours code tokens with style attributes; 'unsafe-hashes' admits exactly those.
  if (h.attrs.length > 0) styleSrc.push("'unsafe-hashes'", ...h.attrs);
  return [
    "default-src 'self'",
    // Pagefind's search runs in WebAssembly: 'wasm-unsafe-eval' allows compiling it, not eval().
    `script-src ${["'self'", "'wasm-unsafe-eval'", ...h.scripts].join(' ')}`,
    `style-src ${styleSrc.join(' ')}`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
  ].join('; ');
}

/** Puts the policy right after <meta charset>, before any script it governs. */
export function withCsp(html) {
  if (/http-equiv=["']?content-security-policy/i.test(html)) throw new Error('page already has a CSP meta');
  const meta = `<meta http-equiv="Content-Security-Policy" content="${policyFor(html)}">`;
  const charset = html.match(/<meta charset="?[^">]*"?\s*\/?>/i);
  if (charset?.index !== undefined) {
    const at = charset.index + charset[0].length;
    return html.slice(0, at) + meta + html.slice(at);
  }
  const head = html.match(/<head[^>]*>/i);
  if (head?.index === undefined) throw new Error('page has no <head>');
  const at = head.index + head[0].length;
  return html.slice(0, at) + meta + html.slice(at);
}
