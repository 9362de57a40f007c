import type { BankQuestion } from './bank';

/**
 * A topic as an Anki deck: a text file Anki's "Import File" reads without questions, thanks
 * to its file headers (Anki 2.1.55+, manual: Importing → Text files → File headers):
 *
 *   #separator:tab        fields are tab-separated
 *   #html:true            fields are HTML (our prompts and answers are rendered markdown)
 *   #notetype:Basic       Front / Back
 *   #deck:ClusterPath::Services
 *   #guid column:1        a stable id per question, so importing again updates the notes
 *   #tags column:4
 *
 * Every field is quoted ("…", with " doubled), so tabs and line breaks inside code blocks
 * survive.
 */

const field = (s: string) => `"${s.replace(/"/g, '""')}"`;

const letters = 'ABCDEFGH';

const pre = (text: string) => `<pre><code>${escapeHtml(text)}</code></pre>`;

function front(q: BankQuestion): string {
  if (q.type === 'recall') return q.promptHtml;
  if (q.type === 'predict') {
    const asked = `${q.promptHtml}${pre(q.shellPrompt + q.command)}`;
    if (q.mode === 'type') return asked;
    return `${asked}${q.choices.map((c, i) => `<p>${letters[i]}.</p>${pre(c)}`).join('')}`;
  }
  const list = q.choicesHtml.map((c, i) => `<li>${letters[i]}. ${stripP(c)}</li>`).join('');
  return `${q.promptHtml}<ol style="list-style:none;padding-left:0">${list}</ol>${q.type === 'multi' ? '<p><i>Pick every right answer.</i></p>' : ''}`;
}

function back(q: BankQuestion): string {
  if (q.type === 'recall') {
    const points = q.keyPoints.map((k) => `<li>${escapeHtml(k.text)}</li>`).join('');
    return `${q.modelHtml}<p><b>Key points</b></p><ul>${points}</ul><p><b>Why</b></p>${q.explanationHtml}`;
  }
  if (q.type === 'predict') {
    // The answer in a line (a whole-output truth is the output shown below it).
    const head = [q.mode === 'choose' ? `${letters[q.answer]}.` : '', q.truth.includes('\n') ? '' : escapeHtml(q.truth)].filter(Boolean).join(' ');
    return `<p><b>${head}</b></p>${pre(q.output)}${q.explanationHtml}`;
  }
  const right = q.answer.map((i) => `${letters[i]}. ${stripP(q.choicesHtml[i] ?? '')}`).join('<br>');
  return `<p><b>${right}</b></p>${q.explanationHtml}`;
}

/** A one-paragraph choice renders as <p>…</p>; inside a list item the paragraph is noise. */
const stripP = (html: string) => html.trim().replace(/^<p>([\s\S]*)<\/p>$/, '$1');

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export function ankiDeck(questions: readonly BankQuestion[], deckName: string): string {
  const lines = [
    '#separator:tab',
    '#html:true',
    '#notetype:Basic',
    `#deck:${deckName.replace(/[\r\n]/g, ' ')}`,
    '#guid column:1',
    '#tags column:4',
    '#columns:GUID\tFront\tBack\tTags',
  ];
  for (const q of questions) {
    const tags = ['clusterpath', `clusterpath::${q.topic}`, `clusterpath::${q.level}`].join(' ');
    lines.push([field(`clusterpath-${q.id}`), field(front(q)), field(back(q)), field(tags)].join('\t'));
  }
  return `${lines.join('\n')}\n`;
}

/** A file name for the deck: clusterpath-services.txt. */
export const ankiFileName = (topic: string) => `clusterpath-${topic}.txt`;
