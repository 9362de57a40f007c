import { describe, expect, it } from 'vitest';
import { ankiDeck } from './anki';
import { bank, predictChoose, predictType, recall, single } from './fixtures.test-helpers';

/** Splits Anki's quoted, tab-separated records (quotes doubled inside fields). */
function records(body: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let i = 0;
  while (i < body.length) {
    expect(body[i]).toBe('"');
    let j = i + 1;
    let field = '';
    for (;;) {
      if (body[j] === '"' && body[j + 1] === '"') { field += '"'; j += 2; } else if (body[j] === '"') break; else field += body[j++];
    }
    row.push(field);
    i = j + 1;
    if (body[i] === '\t') i++;
    else { rows.push(row); row = []; i++; }
  }
  return rows;
}

describe('Anki export', () => {
  it('writes the headers Anki reads, then one quoted record per question', () => {
    const q = { ...recall, modelHtml: '<pre><code>a\tb\n"c"</code></pre>' };
    const text = ankiDeck([single, q], 'ClusterPath::Services');
    const lines = text.split('\n');
    expect(lines.slice(0, 7)).toEqual(['#separator:tab', '#html:true', '#notetype:Basic', '#deck:ClusterPath::Services', '#guid column:1', '#tags column:4', '#columns:GUID\tFront\tBack\tTags']);
    const rows = records(lines.slice(7).join('\n'));
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.length === 4)).toBe(true);
    expect(rows[0]![0]).toBe('clusterpath-svc-nodeport');
    expect(rows[0]![1]).toContain('B. NodePort');
    expect(rows[0]![2]).toMatch(/^<p><b>B\. NodePort<\/b><\/p>/);
    expect(rows[1]![2]).toContain('<pre><code>a\tb\n"c"</code></pre>');
    expect(rows[1]![2]).toContain('<li>Runs on every node</li>');
    expect(rows[1]![3]).toBe('clusterpath clusterpath::kube-proxy clusterpath::basic');
  });

  it('shows a predict question with its command and choices, and the real output on the back', () => {
    const rows = records(ankiDeck([predictChoose, predictType], 'x').split('\n').slice(7).join('\n'));
    expect(rows[0]![1]).toContain('<pre><code>root@worker:~# iptables-save -t nat | grep -m1 probability</code></pre>');
    expect(rows[0]![1]).toContain('<p>B.</p><pre><code>0.33333333349</code></pre>');
    expect(rows[0]![2]).toMatch(/^<p><b>B\. 0\.33333333349<\/b><\/p><pre><code>\.\.\. --probability/);
    expect(rows[1]![1]).not.toContain('<p>A.</p>');
    expect(rows[1]![2]).toMatch(/^<p><b>3<\/b><\/p><pre><code>3\n<\/code><\/pre>/);
  });

  it('exports every question it is given', () => {
    expect(ankiDeck(bank, 'x').trim().split('\n').filter((l) => !l.startsWith('#'))).toHaveLength(3);
  });
});
