import { describe, expect, it } from 'vitest';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';
import { base32, servicePortEndpointChainName, servicePortPolicyClusterChain, serviceFirewallChainName } from './hash';

describe('RFC 4648 base32', () => {
  // Test vectors from RFC 4648 §10.
  it.each([
    ['', ''], ['f', 'MY======'], ['fo', 'MZXQ===='], ['foo', 'MZXW6==='], ['foob', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB'], ['foobar', 'MZXW6YTBOI======'],
  ])('%j → %s', (input, out) => {
    expect(base32(utf8ToBytes(input))).toBe(out);
  });
  it('the fast 16-char path agrees with the full encoder', () => {
    for (const s of ['a', '', 'ns1/svc1:p80tcp', 'x'.repeat(55), 'x'.repeat(56), 'x'.repeat(64), 'x'.repeat(100), 'y'.repeat(2000), 'ünïcødé/svc:p', '日本/svc']) {
      expect(servicePortPolicyClusterChain(s, '')).toBe('KUBE-SVC-' + base32(sha256(utf8ToBytes(s))).slice(0, 16));
    }
  });
});

describe('chain names are the real ones', () => {
  it('known real clusters', () => {
    expect(servicePortPolicyClusterChain('default/kubernetes:https', 'tcp')).toBe('KUBE-SVC-NPX46M4PTMTKRN6Y');
    expect(servicePortPolicyClusterChain('kube-system/kube-dns:dns', 'udp')).toBe('KUBE-SVC-TCOU7JCQXEZGVUNU');
  });
  it('values from upstream proxier_test.go', () => {
    expect(servicePortPolicyClusterChain('ns1/svc1:p80', 'tcp')).toBe('KUBE-SVC-XPGD46QRK7WJZT7O');
    expect(serviceFirewallChainName('ns5/svc5:p80', 'tcp')).toBe('KUBE-FW-NUKIZ6OKUXPJNT4C');
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.180.0.1:80')).toBe('KUBE-SEP-SXIVWICOYRO3J4NJ');
    // TestSyncProxyRulesLargeClusterMode
    expect(servicePortEndpointChainName('ns1/svc1:p80', 'tcp', '10.0.0.0:80')).toBe('KUBE-SEP-DKGQUZGBKLTPAR56');
  });
});

describe('hash8', () => {
  it('is the first half of the 16-character hash, for ASCII and non-ASCII input', async () => {
    const { hash8, portProtoHash } = await import('./hash');
    for (const s of ['', 'default/svc-0/tcp/http__10.241.0.0/8080', 'x'.repeat(56), 'ünï/svc']) {
      expect(hash8(s)).toBe(portProtoHash(s, '').slice(0, 8));
      expect(hash8(s)).toBe(base32(sha256(utf8ToBytes(s))).slice(0, 8));
    }
  });
});
