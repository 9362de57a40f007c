// The one Vite feature engine tests use (import.meta.glob); declared here because the engine's
// tsconfig loads no ambient types.
interface ImportMeta {
  glob(pattern: string, opts: { query: string; import: string; eager: true }): Record<string, unknown>;
}
