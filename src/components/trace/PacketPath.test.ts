// The component as the server renders it (lessons use it that way; the lab page hydrates it).
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import PacketPath from './PacketPath';
import { WEB, tracesOf } from './testing';

describe('PacketPath (server render)', () => {
  it('a curl: three tabs, the TCP one open; hops are buttons in order; the SVG has a text alternative', async () => {
    const { traces } = await tracesOf(WEB, 'kubectl exec client -- curl -s -o /dev/null web');
    const html = renderToString(h(PacketPath, { traces, idPrefix: 't' }));
    const tabs = [...html.matchAll(/<button[^>]*role="tab"[^>]*aria-selected="(true|false)"[^>]*>/g)].map((m) => m[1]);
    expect(tabs).toEqual(['false', 'false', 'true']);
    expect(html).toContain('role="tabpanel"');
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-labelledby="t-2-svg-title t-2-svg-desc"/);
    expect(html).toMatch(/<desc id="t-2-svg-desc">TCP web:80: pod default\/client/);
    const hops = [...html.matchAll(/class="pp-hop-button" aria-expanded="false" aria-controls="([^"]+)"/g)].map((m) => m[1]);
    expect(hops[0]).toBe('t-2-request-src');
    // Every hop's details exist (hidden until expanded), so the buttons control real content.
    for (const id of hops) expect(html).toMatch(new RegExp(`<div class="pp-detail" id="${id}" hidden`));
    expect(html).toMatch(/aria-expanded="false" aria-controls="t-2-reply"/);
    expect(html).toContain('<strong>Connected</strong>');
    expect(html).toMatch(/<code class="pp-rule">KUBE-SERVICES → KUBE-SVC-[A-Z2-7]{16}<\/code>/);
  });

  it('no connection yet: a hint, no diagram', () => {
    const html = renderToString(h(PacketPath, { traces: [] }));
    expect(html).toContain('No connection yet');
    expect(html).not.toContain('<svg');
  });
});
