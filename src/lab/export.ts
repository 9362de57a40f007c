/**
 * "Export session": the troubleshooting path as Markdown (CommonMark + GFM task lists) —
 * the lab, when, each command as typed with what it printed, and where the tasks stand.
 */
import type { TranscriptEntry } from './runtime';

export interface ExportTask {
  title: string;
  done: boolean;
  /** One line per check, e.g. `service/web {.spec.selector.app} is "web"`. */
  summaries: { ok: boolean; summary: string }[];
}

export interface ExportInput {
  title: string;
  /** The lab page's address. */
  url: string;
  date: Date;
  transcript: readonly TranscriptEntry[];
  tasks: readonly ExportTask[];
}

export function sessionMarkdown(x: ExportInput): string {
  const done = x.tasks.filter((t) => t.done).length;
  const out: string[] = [
    `# ${oneLine(x.title)}: my session`,
    '',
    `Lab: <${x.url}>  `,
    `Exported: ${x.date.toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    '',
    `## Tasks (${done} of ${x.tasks.length} done)`,
    '',
  ];
  for (const t of x.tasks) {
    out.push(`- [${t.done ? 'x' : ' '}] ${oneLine(t.title)}`);
    for (const c of t.summaries) out.push(`  - ${c.ok ? 'passes' : 'fails'}: ${oneLine(c.summary)}`);
  }
  out.push('', '## Commands', '');
  if (x.transcript.length === 0) out.push('No commands were run.', '');
  let n = 0;
  for (const e of x.transcript) {
    if (e.kind === 'write') {
      out.push(`Saved \`${e.path}\` in the editor.`, '');
      continue;
    }
    n++;
    const shown = e.prompt + e.line.replace(/\n/g, '\n> ');
    const first = e.line.split('\n')[0]!;
    out.push(`${n}. ${inlineCode(first)}${e.line.includes('\n') ? ' (and more lines)' : ''}${e.exitCode !== 0 ? ` — exit status ${e.exitCode}` : ''}`, '');
    out.push(fenced('console', shown + '\n' + e.output), '');
  }
  return out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n';
}

/** A fenced block whose fence is longer than any run of backticks inside (CommonMark §4.5). */
function fenced(info: string, text: string): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${info}\n${text.replace(/\n$/, '')}\n${fence}`;
}

/** Inline code that survives backticks in the text (CommonMark §6.1). */
function inlineCode(text: string): string {
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const ticks = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${text}${pad}${ticks}`;
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}
