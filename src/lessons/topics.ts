/**
 * The topics that tie lessons, labs and quiz questions together. A lesson declares
 * one topic; a quiz question declares one; the lesson page lists the questions of its
 * topic. Adding a topic here is all it takes to use it in content.
 */
export const TOPICS = {
  'kubernetes-basics': 'Kubernetes basics',
  services: 'Services',
  'kube-proxy': 'kube-proxy',
  endpointslices: 'EndpointSlices and readiness',
  iptables: 'iptables mode',
  ipvs: 'IPVS mode',
  nftables: 'nftables and eBPF',
  dns: 'Cluster DNS',
  networkpolicy: 'NetworkPolicy',
  'external-traffic': 'Traffic from outside',
  ingress: 'Ingress and Gateway API',
  troubleshooting: 'Troubleshooting',
} as const;

export type Topic = keyof typeof TOPICS;
export const TOPIC_IDS = Object.keys(TOPICS) as [Topic, ...Topic[]];

/** Levels shared by lessons, labs and questions. */
export const LEVELS = ['basic', 'intermediate', 'advanced'] as const;
export type Level = (typeof LEVELS)[number];
