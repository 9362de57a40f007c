// Where the browser tests find Chromium: CHROMIUM_PATH if set, else Debian's
// /usr/bin/chromium. We never download a browser (npx playwright install is not used anywhere).
import { existsSync } from 'node:fs';

export const CHROMIUM_HELP = 'Chromium not found: install it with `apt-get install -y chromium` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary.';

/**
 * The Chromium binary to use, or undefined. A CHROMIUM_PATH that does not exist is not
 * silently replaced by another browser.
 * @param {Record<string, string | undefined>} [env]
 * @param {(path: string) => boolean} [exists]
 */
export function chromiumPath(env = process.env, exists = existsSync) {
  if (env.CHROMIUM_PATH) return exists(env.CHROMIUM_PATH) ? env.CHROMIUM_PATH : undefined;
  return ['/usr/bin/chromium', '/usr/bin/chromium-browser'].find((p) => exists(p));
}

/** Flags for a headless Chromium on a machine without network or GPU (also as root). */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
