// Budgets (issue 4): one packet evaluation at 10,000 Services ≤ 0.1 ms median;
// iptables-save text for 1,000 Services ≤ 30 ms; parsing a 100k-line restore: measured.
// Issue 9 (the scale explorer): kube-proxy's iptables full sync for 10,000 Services × 10
// endpoints restored in ≤ 600 ms, and its iptables-save in ≤ 250 ms.
import { bench, describe } from 'vitest';
import { ManualClock } from '../core/clock';
import { createRng } from '../core/rng';
import { detectLocalByCIDR, IptablesProxier } from '../proxy';
import { scaleService, scaleSlice } from '../scale';
import { createNetfilter, iptablesRestore, iptablesSave, NetfilterRuntime, processPacket, type NodeNetworkContext } from './index';
import { kubeRestoreText } from './kubegen';

const net: NodeNetworkContext = {
  route: (p) => (p.dst === '172.18.0.3' ? { kind: 'local' } : { kind: 'forward', outIface: 'eth0' }),
  localAddresses: ['172.18.0.3'],
  ifaceAddress: () => '172.18.0.3',
};

function loaded(services: number, endpoints: number) {
  const nf = createNetfilter();
  const r = iptablesRestore(nf, kubeRestoreText({ services, endpoints, affinityEvery: 0 }));
  if (r.exitCode !== 0) throw new Error(r.stderr);
  return nf;
}

const big = loaded(10_000, 3);
const rt = new NetfilterRuntime(big, new ManualClock(), createRng(1));
let i = 0;
const svc1000 = loaded(1000, 3); // ~14 rules per Service
// ~100k lines: 5,000 Services × 6 endpoints ≈ 5,000 × (2 + 6×3) + chain lines
const text100k = kubeRestoreText({ services: 5000, endpoints: 6, affinityEvery: 0 });
const text1000 = kubeRestoreText({ services: 1000, endpoints: 3, affinityEvery: 0 });

/** The real proxier's full sync for the scale explorer's largest point (~430k lines). */
function fullSync(services: number, endpoints: number): string {
  const p = new IptablesProxier({ nodeName: 'worker', nodeIP: '172.18.0.3', nodeAddresses: ['172.18.0.3'], localDetector: detectLocalByCIDR('10.240.0.0/13') });
  for (let k = 0; k < services; k++) p.onServiceAdd(scaleService(k));
  for (let k = 0; k < services; k++) p.onEndpointSliceAdd(scaleSlice(k, endpoints));
  return p.sync().restore;
}
const sync10k = fullSync(10_000, 10);
const synced = createNetfilter();
{
  const r = iptablesRestore(synced, sync10k, { noflush: true, counters: true });
  if (r.exitCode !== 0) throw new Error(r.stderr);
}

describe('netfilter', () => {
  bench('one packet (new flow) through PREROUTING/FORWARD/POSTROUTING at 10,000 Services', () => {
    const k = (i++ * 7919) % 10_000;
    processPacket(rt, net, { src: '10.244.1.5', dst: `10.96.${(10 + k) >> 8}.${(10 + k) & 255}`, proto: 'tcp', sport: 1024 + (i % 60000), dport: 80, inIface: 'veth1' }, { origin: 'in' });
  });
  bench('iptables-save text for 1,000 Services', () => {
    iptablesSave(svc1000, { now: 0 });
  });
  bench('iptables-restore of 1,000 Services (no save)', () => {
    iptablesRestore(createNetfilter(), text1000);
  }, { iterations: 10, warmupIterations: 2 });
  bench('iptables-restore of 1,000 Services + the first iptables-save (rule texts not cached yet)', () => {
    const nf = createNetfilter();
    iptablesRestore(nf, text1000);
    iptablesSave(nf, { now: 0 });
  }, { iterations: 10, warmupIterations: 2 });
  bench(`iptables-restore of ${text100k.split('\n').length} lines`, () => {
    iptablesRestore(createNetfilter(), text100k);
  }, { iterations: 3, warmupIterations: 1 });
  bench('iptables-restore of the 10k×10 full sync', () => {
    const r = iptablesRestore(createNetfilter(), sync10k, { noflush: true, counters: true });
    if (r.exitCode !== 0) throw new Error(r.stderr);
  }, { iterations: 7, warmupIterations: 1 });
  bench('iptables-save of it (printed anew each time)', () => {
    // A new Table object over the same chains starts without the texts iptables-save keeps
    // per table: every run prints all 320k rules, as the first save after a restore does.
    for (const [name, t] of synced.tables) synced.tables.set(name, { name, chains: t.chains });
    iptablesSave(synced, { now: 0 });
  }, { iterations: 7, warmupIterations: 1 });
});
