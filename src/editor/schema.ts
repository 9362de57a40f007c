/**
 * One JSON Schema (draft-07) for every kind the emulated API server serves, made at build time
 * from the engine's OpenAPI slice (the one `kubectl explain` prints), for monaco-yaml: the
 * document's `kind` picks its schema through `if`/`then` (the Kubernetes-style combined schema),
 * so squiggles, completion and hover docs follow the kind being written, and `apiVersion` must
 * be the one that kind is served under.
 *
 * The engine is reached by the caller (src/pages/editor/kubernetes.schema.json.ts), not from
 * here: the editor sits above the shell, and this module only needs the shapes below.
 */

export interface SourceField {
  name: string;
  /** `string`, `integer`, `boolean`, `map[string]string`, `[]ServicePort`, `ServiceSpec`, `IntOrString`, `Quantity`. */
  type: string;
  description: string;
  required?: boolean;
  enum?: string[];
}

export interface SourceObject {
  description: string;
  fields: SourceField[];
}

export interface SchemaSource {
  /** Every kind served, with the apiVersion it is served under (`apps/v1`). */
  kinds: readonly { kind: string; apiVersion: string }[];
  /** The described type of that name, when the slice has it. */
  schemaFor(type: string): SourceObject | undefined;
}

export type JsonSchema = Record<string, unknown>;

const DESCRIPTIONS = {
  apiVersion: 'APIVersion defines the versioned schema of this representation of an object.',
  kind: 'Kind is a string value representing the REST resource this object represents.',
};

export function kubernetesJsonSchema(src: SchemaSource): JsonSchema {
  const definitions: Record<string, JsonSchema> = {};
  const pending: string[] = [];
  const ref = (type: string): JsonSchema => {
    if (!(type in definitions) && !pending.includes(type)) pending.push(type);
    return { $ref: `#/definitions/${type}` };
  };

  const typeSchema = (type: string): JsonSchema => {
    if (type.startsWith('[]')) return { type: 'array', items: typeSchema(type.slice(2)) };
    if (type.startsWith('map[string]')) return { type: 'object', additionalProperties: typeSchema(type.slice('map[string]'.length)) };
    switch (type) {
      case 'string':
      case 'integer':
      case 'boolean':
      case 'number':
        return { type };
      // x-kubernetes-int-or-string: a port number or a port name.
      case 'IntOrString':
        return { type: ['integer', 'string'] };
      // resource.Quantity: `500m`, `128Mi`, or a plain number.
      case 'Quantity':
        return { type: ['number', 'string'] };
      default:
        return ref(type);
    }
  };

  const objectSchema = (o: SourceObject): JsonSchema => {
    const properties: Record<string, JsonSchema> = {};
    for (const f of o.fields) {
      properties[f.name] = { ...typeSchema(f.type), description: f.description, ...(f.enum ? { enum: f.enum } : {}) };
    }
    const required = o.fields.filter((f) => f.required).map((f) => f.name);
    return { type: 'object', description: o.description, properties, ...(required.length ? { required } : {}) };
  };

  const kinds = src.kinds.map((k) => k.kind);
  for (const { kind } of src.kinds) {
    const described = src.schemaFor(kind);
    // A kind the slice does not describe still gets its name and metadata checked.
    definitions[kind] = described
      ? objectSchema(described)
      : { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: ref('ObjectMeta') } };
  }
  while (pending.length > 0) {
    const type = pending.shift()!;
    const described = src.schemaFor(type);
    // Types the slice leaves out (Volume, Toleration, …) accept any object rather than a wrong squiggle.
    definitions[type] = described ? objectSchema(described) : { type: 'object' };
  }
  // `kubectl edit` of several objects and `kubectl get -o yaml` write a v1 List.
  definitions['List'] = {
    type: 'object',
    properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, items: { type: 'array', items: { $ref: '#' } } },
  };

  const versions = [...new Set(src.kinds.map((k) => k.apiVersion))].sort();
  const byKind = [...src.kinds, { kind: 'List', apiVersion: 'v1' }];
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Kubernetes object',
    type: 'object',
    required: ['apiVersion', 'kind'],
    properties: {
      apiVersion: { type: 'string', description: DESCRIPTIONS.apiVersion, enum: versions },
      kind: { type: 'string', description: DESCRIPTIONS.kind, enum: [...kinds, 'List'] },
    },
    allOf: byKind.map(({ kind, apiVersion }) => ({
      if: { properties: { kind: { const: kind } }, required: ['kind'] },
      then: { allOf: [{ $ref: `#/definitions/${kind}` }, { properties: { apiVersion: { enum: [apiVersion] } } }] },
    })),
    definitions,
  };
}
