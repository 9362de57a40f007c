/**
 * Mode switches (cmd/kube-proxy/app/server_linux.go platformCleanup) and what each
 * CleanupLeftovers removes (pkg/proxy/iptables/cleanup.go, pkg/proxy/ipvs/proxier.go;
 * upstream's TestCleanupLeftovers only checks that it succeeds, so these pin the steps).
 */
import { describe, expect, it } from 'vitest';
import { cleanupSteps, iptablesCleanupLeftovers, ipvsCleanupLeftovers, platformCleanup } from './cleanup';

describe('platformCleanup', () => {
  it('iptables and ipvs are both iptables-based: switching between them removes nothing of the other', () => {
    expect(platformCleanup('ipvs')).toEqual(['nftables']);
    expect(platformCleanup('iptables')).toEqual(['nftables']);
    expect(platformCleanup('nftables')).toEqual(['iptables', 'ipvs']);
    expect(platformCleanup('ipvs', true)).toEqual(['iptables', 'ipvs', 'nftables']);
  });
});

describe('iptables CleanupLeftovers', () => {
  it('unlinks the jumps, then flushes and deletes kube-proxy’s chains found on the node', () => {
    const step = iptablesCleanupLeftovers({
      nat: ['PREROUTING', 'KUBE-SERVICES', 'KUBE-MARK-MASQ', 'KUBE-SVC-NPX46M4PTMTKRN6Y', 'KUBE-SEP-AAAAAAAAAAAAAAAA', 'KUBE-POSTROUTING', 'CNI-FOO'],
      filter: ['KUBE-FORWARD', 'KUBE-FIREWALL', 'KUBE-EXTERNAL-SERVICES'],
    });
    expect(step.deleteRules[0]).toEqual({
      table: 'filter',
      chain: 'INPUT',
      args: ['-m', 'conntrack', '--ctstate', 'NEW', '-m', 'comment', '--comment', 'kubernetes externally-visible service portals', '-j', 'KUBE-EXTERNAL-SERVICES'],
      rule: '-D INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES',
    });
    // kubelet's KUBE-FIREWALL jumps are not kube-proxy's to remove.
    expect(step.deleteRules.some((r) => r.rule.includes('KUBE-FIREWALL'))).toBe(false);
    expect(step.restores).toEqual([
      {
        table: 'nat',
        input: '*nat\n:KUBE-SERVICES - [0:0]\n:KUBE-POSTROUTING - [0:0]\n:KUBE-MARK-MASQ - [0:0]\n:KUBE-SEP-AAAAAAAAAAAAAAAA - [0:0]\n:KUBE-SVC-NPX46M4PTMTKRN6Y - [0:0]\n' +
          '-X KUBE-SERVICES\n-X KUBE-POSTROUTING\n-X KUBE-MARK-MASQ\n-X KUBE-SEP-AAAAAAAAAAAAAAAA\n-X KUBE-SVC-NPX46M4PTMTKRN6Y\nCOMMIT\n',
      },
      { table: 'filter', input: '*filter\n:KUBE-EXTERNAL-SERVICES - [0:0]\n:KUBE-FORWARD - [0:0]\n-X KUBE-EXTERNAL-SERVICES\n-X KUBE-FORWARD\nCOMMIT\n' },
    ]);
    expect(step.deleteChains).toEqual([{ table: 'mangle', chain: 'KUBE-PROXY-CANARY' }]);
  });
});

describe('ipvs CleanupLeftovers', () => {
  it('flushes IPVS, deletes kube-ipvs0, the jumps and chains, then destroys the ipsets', () => {
    const step = ipvsCleanupLeftovers();
    expect(step.flushIPVS).toBe(true);
    expect(step.deleteDummyDevice).toBe('kube-ipvs0');
    expect(step.deleteRules.map((r) => `${r.table} ${r.rule}`)).toContain('nat -D PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES');
    expect(step.flushChains.map((c) => `${c.table}/${c.chain}`)).toEqual([
      'nat/KUBE-SERVICES', 'nat/KUBE-POSTROUTING', 'nat/KUBE-NODE-PORT', 'nat/KUBE-LOAD-BALANCER', 'nat/KUBE-MARK-MASQ',
      'filter/KUBE-FORWARD', 'filter/KUBE-NODE-PORT', 'filter/KUBE-PROXY-FIREWALL', 'filter/KUBE-SOURCE-RANGES-FIREWALL', 'filter/KUBE-IPVS-FILTER', 'filter/KUBE-IPVS-OUT-FILTER',
    ]);
    expect(step.destroyIpsets).toContain('KUBE-CLUSTER-IP');
    expect(step.destroyIpsets).toHaveLength(17);
  });

  it('cleanupSteps(nftables) runs both, iptables first', () => {
    expect(cleanupSteps('nftables', { nat: [], filter: [] }).map((s) => s.mode)).toEqual(['iptables', 'ipvs']);
  });
});
