/**
 * Replays tests/transcripts/*.txt through the CLI (`clusterpath run`) and compares the
 * terminal text exactly. Format: tests/transcripts/README.md.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../src/cli/main';

const DIR = join(import.meta.dirname, 'transcripts');

interface Step {
  line: string;
  expected: string;
}

interface Transcript {
  header: string[];
  seed?: string;
  /** `# trace: on`: replay with --trace (each line's Traces follow its output). */
  trace?: boolean;
  files: string[];
  steps: Step[];
}

export function parseTranscript(text: string): Transcript {
  const t: Transcript = { header: [], files: [], steps: [] };
  const lines = text.replace(/\n$/, '').split('\n');
  let i = 0;
  for (; i < lines.length && !lines[i]!.startsWith('$ '); i++) {
    const l = lines[i]!;
    t.header.push(l);
    const m = /^#\s*(seed|files?|trace):\s*(.+)$/.exec(l);
    if (m?.[1] === 'seed') t.seed = m[2]!.trim();
    else if (m?.[1] === 'trace') t.trace = m[2]!.trim() === 'on';
    else if (m) t.files.push(...m[2]!.split(',').map((f) => f.trim()).filter(Boolean));
  }
  while (i < lines.length) {
    let line = lines[i++]!.slice(2);
    while (i < lines.length && lines[i]!.startsWith('> ')) line += '\n' + lines[i++]!.slice(2);
    const out: string[] = [];
    while (i < lines.length && !lines[i]!.startsWith('$ ')) out.push(lines[i++]!);
    t.steps.push({ line, expected: out.join('\n') });
  }
  return t;
}

/** One command's terminal text in transcript form. */
function render(output: string, exitCode: number): string {
  const lines: string[] = [];
  if (output !== '') {
    const body = output.endsWith('\n') ? output.slice(0, -1) : output;
    lines.push(...body.split('\n'));
    if (!output.endsWith('\n')) lines.push('[no newline]');
  }
  if (exitCode !== 0) lines.push(`[exit ${exitCode}]`);
  return lines.join('\n');
}

async function replay(t: Transcript): Promise<string[]> {
  const argv = ['run', ...(t.seed ? ['--seed', t.seed] : []), ...(t.trace ? ['--trace'] : [])];
  for (const f of t.files) argv.push('-f', join(DIR, f));
  for (const s of t.steps) argv.push('-c', s.line);
  const outputs: string[] = [];
  let buf = '';
  const term = {
    out: (s: string) => void (buf += s),
    err: (s: string) => void (buf += s),
    lineDone: (code: number) => {
      outputs.push(render(buf, code));
      buf = '';
    },
  };
  await main(argv, term);
  return outputs;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.txt')).sort();

describe('transcripts', () => {
  it('has sessions to replay', () => expect(files.length).toBeGreaterThan(0));
  for (const file of files) {
    it(file, async () => {
      const t = parseTranscript(readFileSync(join(DIR, file), 'utf8'));
      const outputs = await replay(t);
      const actual = t.steps.map((s, k) => [`$ ${s.line.replace(/\n/g, '\n> ')}`, outputs[k] ?? ''].filter((x) => x !== '').join('\n'));
      const expected = t.steps.map((s) => [`$ ${s.line.replace(/\n/g, '\n> ')}`, s.expected].filter((x) => x !== '').join('\n'));
      expect(actual.join('\n')).toBe(expected.join('\n'));
    });
  }
});
