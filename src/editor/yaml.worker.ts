// monaco-yaml's language service in its own worker. Vite bundles it through this local file
// (monaco-yaml's README, "Why doesn't it work with Vite?"), started with `new Worker(new URL(…))` in environment.ts.
import 'monaco-yaml/yaml.worker.js';
