/**
 * User errors are values. An ApiError carries the API server's Status (reason → `code`,
 * HTTP status, message, details) so callers can print exactly what kubectl prints;
 * `formatKubectlError` does that wording.
 */

/** metav1.StatusReason values we produce, plus kubectl's client-side NoKindMatch/YAML errors. */
export type ErrorCode =
  | 'NotFound'
  | 'AlreadyExists'
  | 'Invalid'
  | 'Conflict'
  | 'BadRequest'
  | 'MethodNotAllowed'
  | 'Forbidden'
  | 'NoKindMatch'
  | 'YAMLError'
  | 'ClientError'
  | 'InternalError';

/** field.ErrorType as apimachinery names it (StatusCause.reason). */
export type CauseType =
  | 'FieldValueNotFound'
  | 'FieldValueRequired'
  | 'FieldValueDuplicate'
  | 'FieldValueInvalid'
  | 'FieldValueNotSupported'
  | 'FieldValueForbidden'
  | 'FieldValueTooLong'
  | 'FieldValueTooMany'
  | 'InternalError';

/** One field error: `field: message`, e.g. `spec.ports[0].port` + `Invalid value: 70000: must be …`. */
export interface StatusCause {
  type: CauseType;
  field: string;
  message: string;
}

export interface ApiError {
  code: ErrorCode;
  /** HTTP status the API server would answer with (0 for client-side errors). */
  status: number;
  /**
   * The API server's Status.message (what follows `Error from server (Code): `), e.g.
   * `services "web" not found`, `Service "web" is invalid: spec.ports[0].port: …`,
   * or for client-side errors kubectl's own text, e.g. `no matches for kind "Servce" in version "v1"`.
   */
  message: string;
  data: {
    kind?: string;
    group?: string;
    name?: string;
    causes?: StatusCause[];
    /** YAMLError: 1-based position in the source text. */
    line?: number;
    column?: number;
  };
}

/** A value or an ApiError. */
export type Result<T> = { ok: true; value: T; warnings?: string[] } | { ok: false; error: ApiError };

export const ok = <T>(value: T, warnings?: string[]): Result<T> =>
  warnings && warnings.length ? { ok: true, value, warnings } : { ok: true, value };
export const fail = <T = never>(error: ApiError): Result<T> => ({ ok: false, error });

// ---- field errors (k8s.io/apimachinery/pkg/util/validation/field/errors.go) ----

/** Go's %q for a string (good enough for printable text). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** A bad value already rendered the way Go prints it (a struct's String(), a %#v map). */
export class GoRaw {
  constructor(readonly text: string) {}
}

/** Go's %v/%#v of the bad value, as field.Error.ErrorBody prints it. */
function goValue(v: unknown): string {
  if (v === null || v === undefined) return 'null';
  if (v instanceof GoRaw) return v.text;
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
    return `[]string{${v.map((x) => goQuote(x)).join(', ')}}`;
  }
  return JSON.stringify(v);
}

const TYPE_TEXT: Record<CauseType, string> = {
  FieldValueNotFound: 'Not found',
  FieldValueRequired: 'Required value',
  FieldValueDuplicate: 'Duplicate value',
  FieldValueInvalid: 'Invalid value',
  FieldValueNotSupported: 'Unsupported value',
  FieldValueForbidden: 'Forbidden',
  FieldValueTooLong: 'Too long',
  FieldValueTooMany: 'Too many',
  InternalError: 'Internal error',
};

/** Types whose body omits the bad value. */
const NO_VALUE = new Set<CauseType>(['FieldValueRequired', 'FieldValueForbidden', 'FieldValueTooLong', 'InternalError']);

function cause(type: CauseType, field: string, value: unknown, detail: string): StatusCause {
  let body = TYPE_TEXT[type];
  if (!NO_VALUE.has(type)) body += `: ${goValue(value)}`;
  if (detail) body += `: ${detail}`;
  return { type, field, message: body };
}

export const fieldErr = {
  invalid: (field: string, value: unknown, detail: string) => cause('FieldValueInvalid', field, value, detail),
  required: (field: string, detail = '') => cause('FieldValueRequired', field, '', detail),
  duplicate: (field: string, value: unknown) => cause('FieldValueDuplicate', field, value, ''),
  notFound: (field: string, value: unknown) => cause('FieldValueNotFound', field, value, ''),
  forbidden: (field: string, detail: string) => cause('FieldValueForbidden', field, '', detail),
  notSupported: (field: string, value: unknown, valid: readonly string[]) =>
    cause('FieldValueNotSupported', field, value, valid.length ? `supported values: ${valid.map(goQuote).join(', ')}` : ''),
  tooLong: (field: string, max: number) => cause('FieldValueTooLong', field, '', `must have at most ${max} bytes`),
  tooMany: (field: string, actual: number, max: number) => cause('FieldValueTooMany', field, actual, `must have at most ${max} items`),
};

// ---- status errors (k8s.io/apimachinery/pkg/api/errors/errors.go) ----

/** `services "web" not found` (resource is the plural, qualified by group: `deployments.apps`). */
export function notFound(resource: string, name: string): ApiError {
  return { code: 'NotFound', status: 404, message: `${resource} "${name}" not found`, data: { kind: resource, name } };
}

export function alreadyExists(resource: string, name: string): ApiError {
  return { code: 'AlreadyExists', status: 409, message: `${resource} "${name}" already exists`, data: { kind: resource, name } };
}

/** NewConflict: `Operation cannot be fulfilled on services "web": <why>`. */
export function conflict(resource: string, name: string, why: string): ApiError {
  return {
    code: 'Conflict',
    status: 409,
    message: `Operation cannot be fulfilled on ${resource} "${name}": ${why}`,
    data: { kind: resource, name },
  };
}

export function badRequest(message: string): ApiError {
  return { code: 'BadRequest', status: 400, message, data: {} };
}

/**
 * NewInvalid: `Service "web" is invalid: <one error>` or `… is invalid: [e1, e2]`.
 * Duplicate messages are dropped as ErrorList.ToAggregate does.
 */
export function invalid(kind: string, name: string, causes: StatusCause[], group = ''): ApiError {
  const seen = new Set<string>();
  const unique = causes.filter((c) => {
    const k = `${c.field}: ${c.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
  const texts = unique.map((c) => `${c.field}: ${c.message}`);
  const joined = texts.length === 1 ? texts[0] : `[${texts.join(', ')}]`;
  const qualified = group ? `${kind}.${group}` : kind;
  return {
    code: 'Invalid',
    status: 422,
    message: `${qualified} "${name}" is invalid: ${joined}`,
    data: { kind, group, name, causes: unique },
  };
}

export function noKindMatch(kind: string, apiVersion: string): ApiError {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/', 2) : ['', apiVersion];
  const message = group
    ? `no matches for kind "${kind}" in version "${group}/${version}"`
    : `no matches for kind "${kind}" in version "${version}"`;
  return { code: 'NoKindMatch', status: 0, message, data: { kind, group: group ?? '' } };
}

/** An error kubectl itself reports (`error: unable to find specified revision 9 in history`). */
export function clientError(message: string): ApiError {
  return { code: 'ClientError', status: 0, message, data: {} };
}

export function yamlError(message: string, line?: number, column?: number): ApiError {
  return { code: 'YAMLError', status: 0, message, data: { line, column } };
}

/** True when `x` is an ApiError (for callers holding `unknown`). */
export function isApiError(x: unknown): x is ApiError {
  return typeof x === 'object' && x !== null && 'code' in x && 'message' in x && 'data' in x;
}

/** Thrown inside the engine to abort one request with an ApiError; caught at the facade. */
export class ApiErrorThrow extends Error {
  constructor(readonly apiError: ApiError) {
    super(apiError.message);
  }
}

export interface KubectlErrorContext {
  /** `creating`, `patching`, … for AddSourceToErr (kubectl/pkg/cmd/util/helpers.go). */
  verb?: string;
  /** The file the object came from (`web.yaml`, or `STDIN`). */
  source?: string;
  /** For NoKindMatch during apply: the object's name and namespace. */
  name?: string;
  namespace?: string;
}

/**
 * The exact text kubectl writes to stderr for this error (no trailing newline), following
 * kubectl/pkg/cmd/util/helpers.go checkErr/StandardErrorMessage/MultilineError.
 */
export function formatKubectlError(err: ApiError, ctx: KubectlErrorContext = {}): string {
  switch (err.code) {
    case 'Invalid': {
      const { kind = '', name = '', causes = [] } = err.data;
      // helpers.go checkErr: without details kubectl says "The request is invalid: <message>".
      if (!kind && !name && causes.length === 0) return `The request is invalid: ${err.message}`;
      const head = `The ${kind} "${name}" is invalid`;
      if (causes.length === 0) return head;
      if (causes.length === 1) return `${head}: ${causes[0]!.field}: ${causes[0]!.message}`;
      return `${head}: \n${causes.map((c) => `* ${c.field}: ${c.message}`).join('\n')}`;
    }
    case 'NoKindMatch':
      if (ctx.source !== undefined) {
        return (
          `error: resource mapping not found for name: "${ctx.name ?? ''}" namespace: "${ctx.namespace ?? ''}" ` +
          `from "${ctx.source}": ${err.message}\nensure CRDs are installed first`
        );
      }
      return `error: ${err.message}`;
    case 'ClientError':
      return `error: ${err.message}`;
    case 'YAMLError':
      return ctx.source !== undefined
        ? `error: error parsing ${ctx.source}: ${err.message}`
        : `error: ${err.message}`;
    default: {
      const msg = ctx.source !== undefined && ctx.verb ? `error when ${ctx.verb} "${ctx.source}": ${err.message}` : err.message;
      return `Error from server (${err.code}): ${msg}`;
    }
  }
}
