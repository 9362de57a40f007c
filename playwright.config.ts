import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_HELP, chromiumPath } from './scripts/chromium.mjs';

const executablePath = chromiumPath();
if (!executablePath) throw new Error(CHROMIUM_HELP);

const PORT = Number(process.env.E2E_PORT ?? 4329);

// Browser tests run against the built site (npm run build) served by `astro preview`.
export default defineConfig({
  testDir: 'tests/e2e',
  outputDir: 'test-results/e2e-artifacts',
  fullyParallel: true,
  workers: 2,
  retries: 0,
  timeout: 60_000,
  reporter: [['list'], ['json', { outputFile: 'test-results/playwright.json' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    launchOptions: { executablePath, args: CHROMIUM_ARGS },
    viewport: { width: 1280, height: 800 },
    trace: 'off',
  },
  webServer: {
    command: `npx astro preview --host 127.0.0.1 --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
