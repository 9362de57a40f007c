import { describe, expect, it } from 'vitest';
import { expand, matchKeyPoints, segments } from './match';
import { recall } from './fixtures.test-helpers';

describe('matchKeyPoints', () => {
  it('covers a point when any one of its terms appears, case-insensitively', () => {
    const r = matchKeyPoints('It is a DaemonSet that writes IPTABLES rules.', recall.keyPoints);
    expect(r.points.map((p) => p.covered)).toEqual([true, false, true, false]);
    expect(r.covered).toBe(2);
    expect(r.total).toBe(4);
  });

  it('respects word boundaries', () => {
    const kp = [{ text: 'DNS', match: ['dns'] }, { text: 'IP', match: ['ip'] }];
    expect(matchKeyPoints('dnsmasq and zip files', kp).covered).toBe(0);
    expect(matchKeyPoints('CoreDNS answers', kp).covered).toBe(0);
    expect(matchKeyPoints('the DNS name resolves to an IP.', kp).covered).toBe(2);
  });

  it('accepts plurals and hyphen, space or joined spellings of multi-word terms', () => {
    const kp = [{ text: 'slices', match: ['endpointslice'] }, { text: 'proxy', match: ['kube proxy'] }, { text: 'cip', match: ['cluster ip'] }];
    expect(matchKeyPoints('EndpointSlices, kube-proxy and a Cluster-IP', kp).covered).toBe(3);
    expect(matchKeyPoints('endpointslices via kubeproxy to the clusterip', kp).covered).toBe(3);
  });

  it('knows common interview abbreviations as synonyms', () => {
    expect(expand('load balancer')).toContain('lb');
    const kp = [{ text: 'Service', match: ['service'] }, { text: 'LB', match: ['load balancer'] }];
    expect(matchKeyPoints('the svc gets an LB', kp).covered).toBe(2);
  });

  it('treats regex characters in terms literally', () => {
    const kp = [{ text: 'flag', match: ['--noflush'] }, { text: 'range', match: ['10.96.0.0/12'] }];
    expect(matchKeyPoints('iptables-restore --noflush, service CIDR 10.96.0.0/12', kp).covered).toBe(2);
    expect(matchKeyPoints('10x96y0z0/12', kp).covered).toBe(0);
  });

  it('falls back to the content words of a key point without match terms', () => {
    const kp = [{ text: 'Readiness probes remove endpoints', match: [] }];
    expect(matchKeyPoints('failing readiness takes the pod out of the endpoints', kp).covered).toBe(1);
    expect(matchKeyPoints('liveness restarts it', kp).covered).toBe(0);
  });

  it('splits the answer into marked and plain pieces, merging overlaps', () => {
    const text = 'kube-proxy on every node programs iptables';
    const r = matchKeyPoints(text, recall.keyPoints);
    const segs = segments(text, r);
    expect(segs.map((s) => s.text).join('')).toBe(text);
    expect(segs.filter((s) => s.mark).map((s) => s.text)).toEqual(['every node', 'iptables']);
  });
});
