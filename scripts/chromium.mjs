// Where the browser tests find Chromium: CHROMIUM_PATH, else Debian's /usr/bin/chromium.
// We never download a browser (npx playwright install is not used anywhere).
import { existsSync } from 'node:fs';

export const CHROMIUM_HELP = 'Chromium not found: install it with `apt-get install -y chromium` (Debian/Ubuntu) or set CHROMIUM_PATH to a Chromium binary.';

export function chromiumPath() {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'];
  return candidates.find((p) => p && existsSync(p));
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
