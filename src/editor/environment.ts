/**
 * MonacoEnvironment, set before any Monaco module runs (monaco.ts imports this first): Monaco
 * reads it when its modules load (Trusted Types policies) and when it starts a worker. Both
 * workers are bundled by Vite from our own files (as the lab worker is), never fetched from a CDN.
 */
import { cspTrustedTypesPolicy, installStyleRouting } from './csp';

installStyleRouting(document);

(globalThis as { MonacoEnvironment?: unknown }).MonacoEnvironment = {
  getWorker(_moduleId: string, label: string): Worker {
    // Literal `new URL(…)` arguments, so Vite bundles each worker as its own module chunk.
    return label === 'yaml'
      ? new Worker(new URL('./yaml.worker.ts', import.meta.url), { type: 'module', name: 'yaml' })
      : new Worker(new URL('./editor.worker.ts', import.meta.url), { type: 'module', name: 'editorWorkerService' });
  },
  createTrustedTypesPolicy: cspTrustedTypesPolicy,
};
