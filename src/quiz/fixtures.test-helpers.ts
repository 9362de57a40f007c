import type { BankQuestion, ChoiceQuestion, RecallQuestion } from './bank';

/** Small hand-made questions for the unit tests. */
export const single: ChoiceQuestion = {
  id: 'svc-nodeport', topic: 'services', level: 'basic', type: 'single', promptHtml: '<p>Which type opens a port on every node?</p>', promptText: 'Which type opens a port on every node?',
  explanationHtml: '<p>NodePort.</p>', choicesHtml: ['<p>ClusterIP</p>', '<p>NodePort</p>', '<p>ExternalName</p>'], answer: [1],
};
export const multi: ChoiceQuestion = {
  id: 'dns-records', topic: 'dns', level: 'intermediate', type: 'multi', promptHtml: '<p>Which records exist?</p>', promptText: 'Which records exist?',
  explanationHtml: '<p>A and SRV.</p>', choicesHtml: ['<p>A</p>', '<p>MX</p>', '<p>SRV</p>'], answer: [0, 2],
};
export const recall: RecallQuestion = {
  id: 'kp-what', topic: 'kube-proxy', level: 'basic', type: 'recall', promptHtml: '<p>What is kube-proxy?</p>', promptText: 'What is kube-proxy?',
  explanationHtml: '<p>It programs rules.</p>', modelHtml: '<p>A node agent.</p>', followUps: [], lab: 'traffic-path',
  keyPoints: [
    { text: 'Runs on every node', match: ['every node', 'daemonset'] },
    { text: 'Watches Services and EndpointSlices', match: ['endpointslice', 'watch'] },
    { text: 'Programs iptables, IPVS or nftables', match: ['iptables', 'ipvs', 'nftables'] },
    { text: 'Does not proxy packets itself in those modes', match: ['not in the data path', 'kernel'] },
  ],
};
export const bank: BankQuestion[] = [single, multi, recall];
