/**
 * kubectl's verbs: name → lazy import, literal so bundlers split one chunk per verb.
 * `known` lists every verb real kubectl has, for "unknown command" suggestions and for
 * verbs this emulation does not offer yet.
 */
import type { Verb } from './common';

export const VERBS: Record<string, () => Promise<Verb>> = {
  get: () => import('./get').then((m) => m.get),
  apply: () => import('./apply').then((m) => m.apply),
  delete: () => import('./delete').then((m) => m.del),
  label: () => import('./label').then((m) => m.label),
  annotate: () => import('./annotate').then((m) => m.annotate),
  version: () => import('./version').then((m) => m.version),
  'cluster-info': () => import('./cluster-info').then((m) => m.clusterInfo),
  'api-resources': () => import('./api-resources').then((m) => m.apiResources),
  'api-versions': () => import('./api-versions').then((m) => m.apiVersions),
  config: () => import('./config').then((m) => m.config),
  scale: () => import('./scale').then((m) => m.scale),
  exec: () => import('./exec').then((m) => m.exec),
  create: () => import('./create').then((m) => m.create),
  describe: () => import('./describe').then((m) => m.describe),
  run: () => import('./run').then((m) => m.runVerb),
  expose: () => import('./expose').then((m) => m.expose),
  rollout: () => import('./rollout').then((m) => m.rollout),
  set: () => import('./set').then((m) => m.set),
  logs: () => import('./logs').then((m) => m.logs),
  patch: () => import('./patch').then((m) => m.patch),
  wait: () => import('./wait').then((m) => m.wait),
  edit: () => import('./edit').then((m) => m.edit),
  cordon: () => import('./cordon').then((m) => m.cordon),
  uncordon: () => import('./cordon').then((m) => m.uncordon),
  top: () => import('./top').then((m) => m.top),
  explain: () => import('./explain').then((m) => m.explain),
  attach: () => import('./attach').then((m) => m.attach),
};

export const KUBECTL_COMMANDS = [
  'annotate', 'api-resources', 'api-versions', 'apply', 'attach', 'auth', 'autoscale', 'certificate', 'cluster-info',
  'completion', 'config', 'cordon', 'cp', 'create', 'debug', 'delete', 'describe', 'diff', 'drain', 'edit', 'events',
  'exec', 'explain', 'expose', 'get', 'kustomize', 'label', 'logs', 'options', 'patch', 'plugin', 'port-forward', 'proxy',
  'replace', 'rollout', 'run', 'scale', 'set', 'taint', 'top', 'uncordon', 'version', 'wait',
];
