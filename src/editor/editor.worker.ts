// Monaco's editor worker (diffs, word ranges, links), bundled by Vite from this local file.
import 'monaco-editor/esm/vs/editor/editor.worker.js';
