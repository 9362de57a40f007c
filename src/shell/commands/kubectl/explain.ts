/**
 * kubectl explain (k8s.io/kubectl/pkg/cmd/explain, OpenAPI v3 plaintext template, v1.30+):
 * `RESOURCE[.field…]`, `--recursive`. The documents come from the engine's OpenAPI slice
 * (model/openapi.ts). Layout: GROUP (for named groups) / KIND / VERSION header, `FIELD: name
 * <type>` for a field path, DESCRIPTION indented 4 and wrapped at 80 columns, FIELDS with
 * `name<TAB><type>` at 2 and descriptions at 4, `-required-` markers and `enum:` lines.
 */
import { elementType, schemaFor, type SchemaField, type SchemaObject } from '../../../engine';
import { bool, type ParsedFlags } from '../../flags';
import type { CommandContext, CommandResult } from '../../types';
import { errorResult, type Verb } from './common';
import { kubectlHelp } from './help/format';

/** Word-wrap to `width` columns (words longer than the width stay whole, like the template's wrap). */
function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/ +/)) {
      if (line && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

const indent = (lines: string[], n: number) => lines.map((l) => (l ? ' '.repeat(n) + l : ' '.repeat(n))).join('\n');

function fieldLine(fd: SchemaField, level: number): string {
  return `${' '.repeat(level * 2)}${fd.name}\t<${fd.type}>${fd.required ? ' -required-' : ''}\n`;
}

function fieldDetail(fd: SchemaField): string {
  let s = fieldLine(fd, 1);
  if (fd.enum) s += `  enum: ${fd.enum.join(', ')}\n`;
  s += indent(wrap(fd.description, 76), 4) + '\n\n';
  return s;
}

function recursive(o: SchemaObject, level: number, seen: Set<string>): string {
  let s = '';
  for (const fd of o.fields) {
    s += fieldLine(fd, level);
    const sub = schemaFor(elementType(fd.type));
    if (sub && !seen.has(elementType(fd.type))) s += recursive(sub, level + 1, new Set([...seen, elementType(fd.type)]));
  }
  return s;
}

const PRIMITIVE = new Set(['string', 'integer', 'boolean', 'number', 'IntOrString', 'Quantity']);

async function run(p: ParsedFlags, ctx: CommandContext): Promise<CommandResult> {
  if (p.args.length === 0) return errorResult('You must specify the type of resource to explain. Use "kubectl api-resources" for a complete list of supported resources.');
  if (p.args.length > 1) return errorResult(`We accept only this format: explain RESOURCE`);
  const [res, ...path] = p.args[0]!.split('.');
  const r = ctx.cluster.resolveResource(res!);
  if (!r) return errorResult(`the server doesn't have a resource type "${res}"`);
  let schema = schemaFor(r.kind);
  if (!schema) return errorResult(`"kubectl explain ${r.name}" is not available in this emulated cluster yet`);
  let header = `${r.group ? `GROUP:      ${r.group}\n` : ''}KIND:       ${r.kind}\nVERSION:    ${r.version}\n\n`;
  let description = schema.description;
  let field: SchemaField | undefined;
  for (const name of path) {
    if (!schema) return errorResult(`"kubectl explain" does not know the fields of ${field ? elementType(field.type) : r.kind} in this emulated cluster yet`);
    field = schema.fields.find((x) => x.name === name);
    if (!field) return errorResult(`field "${name}" does not exist`);
    const t = elementType(field.type);
    schema = PRIMITIVE.has(t) || field.type.startsWith('map[') ? undefined : schemaFor(t);
    if (!schema && !PRIMITIVE.has(t) && !field.type.startsWith('map[') && !field.type.startsWith('[]string') && name !== path[path.length - 1]) {
      return errorResult(`"kubectl explain" does not know the fields of ${t} in this emulated cluster yet`);
    }
    description = schema ? `${field.description}\n${schema.description}` : field.description;
  }
  if (field) {
    const t = elementType(field.type);
    if (!schema && !PRIMITIVE.has(t) && !field.type.startsWith('map[') && field.type !== '[]string') {
      return errorResult(`"kubectl explain" does not know the fields of ${t} in this emulated cluster yet`);
    }
    header += `FIELD: ${field.name} <${field.type}>\n`;
    if (field.enum) header += `ENUM:\n${field.enum.map((e) => `    ${e}\n`).join('')}`;
    header += '\n';
  }
  let out = `${header}DESCRIPTION:\n${indent(wrap(description, 76), 4)}\n`;
  if (schema) {
    out += '    \nFIELDS:\n';
    out += bool(p, 'recursive') ? recursive(schema, 1, new Set([r.kind])) : schema.fields.map(fieldDetail).join('');
  } else out += '    \n';
  return { stdout: out, stderr: '', exitCode: 0 };
}

export const explain: Verb = {
  name: 'explain',
  help: kubectlHelp({
    long: `Describe fields and structure of various resources.

 This command describes the fields associated with each supported API resource. Fields are identified via a simple
JSONPath identifier:

        <type>.<fieldName>[.<fieldName>]

 Information about each field is retrieved from the server in OpenAPI format.

Use "kubectl api-resources" for a complete list of supported resources.`,
    examples: `  # Get the documentation of the resource and its fields
  kubectl explain pods

  # Get all the fields in the resource
  kubectl explain pods --recursive

  # Get the explanation for deployment in supported api versions
  kubectl explain deployments --api-version=apps/v1

  # Get the documentation of a specific field of a resource
  kubectl explain pods.spec.containers`,
    options: [
      ["--api-version=''", 'Use given api-version (group/version) of the resource.'],
      ["--output='plaintext'", 'Format in which to render the schema. Valid values are: (plaintext, plaintext-openapiv2).'],
      ['--recursive=false', 'When true, print the name of all the fields recursively. Otherwise, print the available fields with their\n\tdescription.'],
    ],
    usage: 'kubectl explain TYPE [--recursive=FALSE|TRUE] [--api-version=api-version-group] [-o|--output=plaintext|plaintext-openapiv2] [options]',
  }),
  flags: [
    { name: 'recursive', type: 'bool' },
    { name: 'api-version', type: 'string' },
    { name: 'output', short: 'o', type: 'string' },
  ],
  run,
};
