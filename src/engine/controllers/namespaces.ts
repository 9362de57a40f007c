/**
 * What every namespace gets from kube-controller-manager as soon as it exists:
 * - the `default` ServiceAccount (serviceaccounts-controller, pkg/controller/serviceaccount);
 * - the `kube-root-ca.crt` ConfigMap holding the cluster CA (root-ca-cert-publisher,
 *   pkg/controller/certificates/rootcacertpublisher), with its description annotation.
 * Both are recreated when deleted, as the real controllers do.
 */
import { createRng, type Rng } from '../core/rng';
import type { StoreEvent } from '../model/store';
import type { ObjectInput } from '../model/types';
import { DirtySet, type Controller, type ControllerContext } from './context';

export const ROOT_CA_CONFIGMAP = 'kube-root-ca.crt';
const ROOT_CA_DESCRIPTION =
  'Contains a CA bundle that can be used to verify the kube-apiserver when using internal endpoints such as the internal service IP or kubernetes.default.svc. No other usage is guaranteed across distributions of Kubernetes clusters.';

/** The cluster CA in PEM: a kubeadm-style self-signed CA's length and DER prefix, deterministic per seed. */
export function clusterCA(seed: number): string {
  const rng = createRng(seed ^ 0x5eed);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const body = 'MIIDBTCCAe2gAwIBAgII' + rng.string(1084, alphabet) + '==';
  const lines = body.match(/.{1,64}/g)!;
  return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

export class NamespaceDefaultsController implements Controller {
  readonly name = 'namespace-defaults';
  #dirty = new DirtySet();
  #uids: Rng;
  #ca: string;
  constructor(private readonly ctx: ControllerContext, seed: number) {
    this.#uids = createRng(seed ^ 0x0ca0ca);
    this.#ca = clusterCA(seed);
  }

  observe(e: StoreEvent): void {
    const o = e.object;
    if (o.kind === 'Namespace' && e.type !== 'DELETED') this.#dirty.add(o.metadata.name);
    else if (e.type === 'DELETED' && ((o.kind === 'ConfigMap' && o.metadata.name === ROOT_CA_CONFIGMAP) || (o.kind === 'ServiceAccount' && o.metadata.name === 'default'))) {
      this.#dirty.add(o.metadata.namespace ?? '');
    }
  }

  sync(): boolean {
    let wrote = false;
    for (const ns of this.#dirty.drain()) {
      const n = this.ctx.store.get('Namespace', undefined, ns);
      if (!n || n.metadata.deletionTimestamp) continue;
      wrote = this.#ensure(ns, 'ServiceAccount', 'default', () => ({ apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'default', namespace: ns } })) || wrote;
      wrote =
        this.#ensure(ns, 'ConfigMap', ROOT_CA_CONFIGMAP, () => ({
          apiVersion: 'v1',
          kind: 'ConfigMap',
          metadata: { name: ROOT_CA_CONFIGMAP, namespace: ns, annotations: { 'kubernetes.io/description': ROOT_CA_DESCRIPTION } },
          data: { 'ca.crt': this.#ca },
        })) || wrote;
    }
    return wrote;
  }

  #ensure(ns: string, kind: string, name: string, make: () => ObjectInput): boolean {
    if (this.ctx.store.get(kind, ns, name)) return false;
    this.ctx.api.create(make(), { uidRng: this.#uids }, ns);
    return true;
  }
}
