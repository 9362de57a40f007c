#!/usr/bin/env node
// Authoring aid: run lines through the CLI and print them in transcript form, for a human to
// check line by line against upstream kubectl before saving. Never save unread output.
//   node tests/transcripts/draft.mjs [-f manifests/x.yaml] -- 'kubectl get pods' 'kubectl get svc'
import { register } from 'tsx/esm/api';
register();
const { main } = await import('../../src/cli/main.ts');
const args = process.argv.slice(2);
const dash = args.indexOf('--');
const pre = dash === -1 ? [] : args.slice(0, dash);
const lines = dash === -1 ? args : args.slice(dash + 1);
let buf = '';
const out = [];
await main(['run', ...pre, ...lines.flatMap((l) => ['-c', l])], {
  out: (s) => (buf += s),
  err: (s) => (buf += s),
  lineDone: (code) => {
    out.push({ buf, code });
    buf = '';
  },
});
lines.forEach((l, i) => {
  const { buf: b, code } = out[i];
  process.stdout.write(`$ ${l.replace(/\n/g, '\n> ')}\n`);
  if (b) process.stdout.write(b.endsWith('\n') ? b : b + '\n[no newline]\n');
  if (code) process.stdout.write(`[exit ${code}]\n`);
});
