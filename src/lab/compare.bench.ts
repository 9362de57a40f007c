// The compare-modes panel asks after every change the worker reports, so a comparison (the
// live mode read back, the other mode from a shadow proxier's full sync) must stay cheap.
import { bench, describe } from 'vitest';
import { createCluster } from '../engine';
import { compareModes } from './compare';
import { loadLab } from './files';

const clusters = ['ipvs-mode', 'iptables-walkthrough'].map((slug) => {
  const loaded = loadLab(slug);
  if (!loaded.ok) throw new Error(loaded.error);
  return { slug, cluster: createCluster({ seed: 1, manifests: loaded.manifests }) };
});

describe('compare modes', () => {
  for (const { slug, cluster } of clusters) {
    bench(`iptables and IPVS views of ${slug}'s Service (budget 20 ms)`, () => {
      compareModes(cluster);
    });
  }
});
