#!/usr/bin/env node
// The clusterpath CLI: the same engine and shell as the browser, headless.
// tsx compiles the TypeScript sources on the fly, so there is no build step for the CLI.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli/main.ts');
const term = {
  out: (s) => process.stdout.write(s),
  err: (s) => process.stderr.write(s),
};
process.exitCode = await main(process.argv.slice(2), term);
