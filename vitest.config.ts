import { defineConfig } from 'vitest/config';

// Unit tests live beside the code; tests/transcripts is replayed by tests/transcripts.test.ts.
// Browser tests (tests/e2e) belong to Playwright, not vitest.
export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'tests/*.test.ts', 'scripts/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**', 'dist/**'],
    environment: 'node',
  },
});
