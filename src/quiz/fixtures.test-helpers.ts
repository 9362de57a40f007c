import type { BankQuestion, ChoiceQuestion, PredictQuestion, RecallQuestion } from './bank';

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
  explanationHtml: '<p>It programs rules.</p>', modelHtml: '<p>A node agent.</p>', followUpsHtml: [], lab: 'traffic-path',
  keyPoints: [
    { text: 'Runs on every node', match: ['every node', 'daemonset'] },
    { text: 'Watches Services and EndpointSlices', match: ['endpointslice', 'watch'] },
    { text: 'Programs iptables, IPVS or nftables', match: ['iptables', 'ipvs', 'nftables'] },
    { text: 'Does not proxy packets itself in those modes', match: ['not in the data path', 'kernel'] },
  ],
};
const scenario = { objects: ['Deployment web', 'Service web'], settings: ['kube-proxy mode iptables'], manifests: 'kind: Service\n', setup: ['ssh worker'] };
export const predictChoose: PredictQuestion = {
  id: 'svc-first-probability', topic: 'iptables', level: 'intermediate', type: 'predict', promptHtml: '<p>What probability?</p>', promptText: 'What probability?',
  explanationHtml: '<p>1/3.</p>', scenario, shellPrompt: 'root@worker:~# ', command: 'iptables-save -t nat | grep -m1 probability', output: '... --probability 0.33333333349 ...\n', exitCode: 0,
  mode: 'choose', choices: ['0.25000000000', '0.33333333349', '0.50000000000'], answer: 1, truth: '0.33333333349',
};
export const predictType: PredictQuestion = {
  ...predictChoose, id: 'svc-sep-count', promptHtml: '<p>How many KUBE-SEP chains?</p>', promptText: 'How many KUBE-SEP chains?', command: 'iptables-save -t nat | grep -c "^:KUBE-SEP"', output: '3\n',
  mode: 'type', choices: [], answer: -1, truth: '3',
};
export const bank: BankQuestion[] = [single, multi, recall];
