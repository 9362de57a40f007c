/**
 * The lab editor's public face. Monaco is heavy (about 1 MB gzip with its workers), so nothing
 * here imports it: `loadMonaco()` fetches it with a dynamic import the first time the editor
 * opens, and never on page load.
 */
export { kubernetesJsonSchema } from './schema';
export type { JsonSchema, SchemaSource, SourceField, SourceObject } from './schema';
export type { YamlEditor, YamlEditorOptions, EditorTheme } from './monaco';

/** Where the build puts the schema (src/pages/editor/kubernetes.schema.json.ts). */
export const SCHEMA_URL = '/editor/kubernetes.schema.json';

let loading: Promise<typeof import('./monaco')> | undefined;

/** Monaco, monaco-yaml and our setup, loaded once (a failed load may be tried again). */
export function loadMonaco(): Promise<typeof import('./monaco')> {
  loading ??= import('./monaco').catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
