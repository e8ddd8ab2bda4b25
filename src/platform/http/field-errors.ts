/**
 * Field errors people can act on: every problem that blames the input names each field it blames with
 * a JSON Pointer (RFC 6901) into the request (`/body/idNumber`), a stable code from the small catalogue
 * below and the parameters the code needs (`{ limit: 18 }`). Clients translate the code; `message`
 * stays for machines and logs, and no client shows it to a person. This file is the one mapping from
 * the schema validator's failures (Ajv keywords) to those codes.
 */
import type { FieldErrorCode } from '../field-error-codes.js';
import type { FieldError } from '../result.js';

export { fieldErrorCodes, type FieldErrorCode } from '../field-error-codes.js';

export type FieldErrorParams = Record<string, string | number>;

/** A field error as it leaves in a problem body. */
export interface ProblemFieldError {
  /** Where the request said it, RFC 6901: `/body/contact/phone`, `/query/limit`. */
  pointer: string;
  /** The field's name for matching a form input: the pointer without its source (`contact.phone`). */
  field: string;
  code: FieldErrorCode;
  params?: FieldErrorParams;
  /** English, for machines and logs; never shown to a person. */
  message: string;
}

/** The part of an Ajv error object this mapping reads. */
export interface ValidatorIssue {
  keyword: string;
  instancePath: string;
  params?: Record<string, unknown>;
  message?: string;
}

const sources = new Set(['body', 'querystring', 'params', 'headers']);

function escapePointerSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

function unescapePointerSegment(segment: string): string {
  return segment.replaceAll('~1', '/').replaceAll('~0', '~');
}

/** `/body/contact/phone` → `contact.phone`. */
export function fieldOfPointer(pointer: string): string {
  return pointer.split('/').slice(2).map(unescapePointerSegment).join('.');
}

function pointerOf(source: string, path: string[]): string {
  const where = source === 'querystring' ? 'query' : source;
  return ['', where, ...path.map(escapePointerSegment)].join('/');
}

function numberParam(params: Record<string, unknown> | undefined, name: string): FieldErrorParams {
  const value = params?.[name];
  return typeof value === 'number' ? { limit: value } : {};
}

/** Ajv keyword → code and parameters. Unknown keywords are `invalid`, never the validator's words. */
function codeOfIssue(issue: ValidatorIssue): { code: FieldErrorCode; params?: FieldErrorParams; extraSegment?: string } {
  const params = issue.params;
  switch (issue.keyword) {
    case 'required':
      return { code: 'required', extraSegment: String(params?.missingProperty ?? '') };
    case 'minLength':
      return { code: 'too-short', params: numberParam(params, 'limit') };
    case 'maxLength':
      return { code: 'too-long', params: numberParam(params, 'limit') };
    case 'pattern':
      return { code: 'pattern' };
    case 'format':
      return { code: 'format', params: { format: String(params?.format ?? '') } };
    case 'minimum':
    case 'exclusiveMinimum':
      return { code: 'too-small', params: { ...numberParam(params, 'limit'), comparison: String(params?.comparison ?? '>=') } };
    case 'maximum':
    case 'exclusiveMaximum':
      return { code: 'too-large', params: { ...numberParam(params, 'limit'), comparison: String(params?.comparison ?? '<=') } };
    case 'type':
      return params?.type === 'integer' ? { code: 'not-integer' } : { code: 'type', params: { type: String(params?.type ?? '') } };
    case 'enum':
      return {
        code: 'not-allowed-value',
        params: { allowed: Array.isArray(params?.allowedValues) ? params.allowedValues.map(String).join(', ') : '' },
      };
    case 'const':
      return { code: 'not-allowed-value', params: { allowed: String(params?.allowedValue ?? '') } };
    case 'additionalProperties':
      return { code: 'unknown-field', extraSegment: String(params?.additionalProperty ?? '') };
    case 'minItems':
      return { code: 'too-few', params: numberParam(params, 'limit') };
    case 'maxItems':
      return { code: 'too-many', params: numberParam(params, 'limit') };
    case 'multipleOf':
      return { code: 'not-multiple', params: { limit: Number(params?.multipleOf ?? 0) } };
    default:
      return { code: 'invalid' };
  }
}

// Combinators say only that no branch matched; the branch errors Ajv reports with them say why.
const combinators = new Set(['anyOf', 'oneOf', 'allOf', 'if', 'not']);

/**
 * The validator's issues for one request part (`validationContext`: body, querystring, params,
 * headers) as field errors: one per field, the most specific first.
 */
export function fieldErrorsOfValidation(validationContext: string | undefined, issues: readonly ValidatorIssue[]): ProblemFieldError[] {
  const source = validationContext && sources.has(validationContext) ? validationContext : 'body';
  const specific = issues.filter((issue) => !combinators.has(issue.keyword));
  const chosen = specific.length > 0 ? specific : issues;
  const byPointer = new Map<string, ProblemFieldError>();
  for (const issue of chosen) {
    const { code, params, extraSegment } = codeOfIssue(issue);
    const path = issue.instancePath.split('/').slice(1).map(unescapePointerSegment);
    if (extraSegment) path.push(extraSegment);
    const pointer = pointerOf(source, path);
    if (byPointer.has(pointer)) continue;
    byPointer.set(pointer, {
      pointer,
      field: fieldOfPointer(pointer),
      code,
      ...(params && Object.keys(params).length > 0 ? { params } : {}),
      message: issue.message ?? 'is not valid',
    });
  }
  return [...byPointer.values()];
}

/** A domain failure's field errors (named by field, in the body unless they say otherwise). */
export function fieldErrorsOfFailure(fields: readonly FieldError[]): ProblemFieldError[] {
  return fields.map((fieldError) => {
    const pointer = fieldError.field.startsWith('/')
      ? fieldError.field
      : pointerOf(
          'body',
          fieldError.field.split('.').filter((segment) => segment !== ''),
        );
    return {
      pointer,
      field: fieldOfPointer(pointer),
      code: fieldError.code ?? 'invalid',
      ...(fieldError.params ? { params: fieldError.params } : {}),
      message: fieldError.message,
    };
  });
}
