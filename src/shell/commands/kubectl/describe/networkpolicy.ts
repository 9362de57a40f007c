/** describeNetworkPolicy (k8s.io/kubectl/pkg/describe): the spec in words; no Events section. */
import type { NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort } from '../../../../engine';
import { formatLabelSelector } from '../printers/labels';
import { annotationsMultiline, DescribeWriter, goTime, labelsMultiline } from './writer';

export function describeNetworkPolicy(np: NetworkPolicy): string {
  const w = new DescribeWriter();
  w.write(0, `Name:\t${np.metadata.name}\n`);
  w.write(0, `Namespace:\t${np.metadata.namespace}\n`);
  w.write(0, `Created on:\t${goTime(np.metadata.creationTimestamp)}\n`);
  labelsMultiline(w, 'Labels', np.metadata.labels);
  annotationsMultiline(w, 'Annotations', np.metadata.annotations);
  const spec = np.spec;
  w.write(0, 'Spec:\n');
  w.write(1, 'PodSelector: ');
  const sel = spec.podSelector ?? {};
  if (!Object.keys(sel.matchLabels ?? {}).length && !(sel.matchExpressions ?? []).length) w.write(2, '<none> (Allowing the specific traffic to all pods in this namespace)\n');
  else w.write(2, `${formatLabelSelector(sel)}\n`);
  const types = spec.policyTypes ?? [];
  const ingressOn = types.length ? types.includes('Ingress') : true;
  const egressOn = types.length ? types.includes('Egress') : (spec.egress?.length ?? 0) > 0;
  if (ingressOn) {
    w.write(1, 'Allowing ingress traffic:\n');
    rules(w, spec.ingress ?? [], 'ingress');
  } else w.write(1, 'Not affecting ingress traffic\n');
  if (egressOn) {
    w.write(1, 'Allowing egress traffic:\n');
    rules(w, spec.egress ?? [], 'egress');
  } else w.write(1, 'Not affecting egress traffic\n');
  const shown = types.length ? types : ['Ingress', ...(egressOn ? ['Egress'] : [])];
  w.write(1, `Policy Types: ${shown.join(', ')}\n`);
  return w.toString();
}

function rules(w: DescribeWriter, rs: { from?: NetworkPolicyPeer[]; to?: NetworkPolicyPeer[]; ports?: NetworkPolicyPort[] }[], dir: 'ingress' | 'egress'): void {
  const indent = '    ';
  if (rs.length === 0) {
    w.write(0, `${indent}<none> (Selected pods are isolated for ${dir} connectivity)\n`);
    return;
  }
  rs.forEach((r, i) => {
    if (!r.ports?.length) w.write(0, `${indent}To Port: <any> (traffic allowed to all ports)\n`);
    else for (const p of r.ports) w.write(0, `${indent}To Port: ${p.port ?? '<any>'}${p.endPort ? `-${p.endPort}` : ''}/${p.protocol ?? 'TCP'}\n`);
    const peers = dir === 'ingress' ? r.from : r.to;
    const word = dir === 'ingress' ? 'From' : 'To';
    if (!peers?.length) w.write(0, `${indent}${word}: <any> (traffic not restricted by ${dir === 'ingress' ? 'source' : 'destination'})\n`);
    else
      for (const peer of peers) {
        w.write(0, `${indent}${word}:\n`);
        if (peer.podSelector && peer.namespaceSelector) {
          w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
          w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
        } else if (peer.podSelector) w.write(1, `${indent}PodSelector: ${formatLabelSelector(peer.podSelector)}\n`);
        else if (peer.namespaceSelector) w.write(1, `${indent}NamespaceSelector: ${formatLabelSelector(peer.namespaceSelector)}\n`);
        else if (peer.ipBlock) {
          w.write(1, `${indent}IPBlock:\n`);
          w.write(2, `${indent}CIDR: ${peer.ipBlock.cidr}\n`);
          w.write(2, `${indent}Except: ${(peer.ipBlock.except ?? []).join(', ')}\n`);
        }
      }
    if (i !== rs.length - 1) w.write(0, `${indent}----------\n`);
  });
}
