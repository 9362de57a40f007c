import type { APIRoute } from 'astro';
import { RESOURCES, schemaFor } from '../../engine';
import { kubernetesJsonSchema } from '../../editor';

// The lab editor's JSON Schema (src/editor/schema.ts), made at build time from the engine's
// OpenAPI slice and fetched the first time the editor opens.
export const GET: APIRoute = () =>
  new Response(JSON.stringify(kubernetesJsonSchema({ kinds: RESOURCES, schemaFor })), { headers: { 'Content-Type': 'application/json' } });
