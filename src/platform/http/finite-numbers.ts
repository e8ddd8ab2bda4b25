import type { FastifyInstance } from 'fastify';
import type { FieldError } from '../result.js';
import { fieldErrorsOfFailure } from './field-errors.js';
import { ProblemError } from './problems.js';

/**
 * Ajv coerces `1e309` in a query string to Infinity and then skips `minimum`/`maximum` for it (they
 * only look at finite numbers); JSON.parse turns `1e309` in a body into Infinity too. Integers past
 * 2^53 have already lost digits. Neither may reach a handler or the database, where they became 500s:
 * after validation, every number in the query, the path and the body must be finite, and whole
 * numbers must be exact.
 */
export function installFiniteNumbers(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    const errors: FieldError[] = [];
    const sources = [
      ['query', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const;
    for (const [context, value] of sources) collectUnsafeNumbers(value, [context], errors, 0);
    if (errors.length > 0) throw new ProblemError('invalid-request', 'A number is out of range', { errors: fieldErrorsOfFailure(errors) });
  });
}

const maxDepth = 32;

function pointer(path: readonly string[]): string {
  return '/' + path.map((segment) => segment.replaceAll('~', '~0').replaceAll('/', '~1')).join('/');
}

function collectUnsafeNumbers(value: unknown, path: readonly string[], into: FieldError[], depth: number): void {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) into.push({ field: pointer(path), code: 'too-large', message: 'must be a finite number' });
    else if (Number.isInteger(value) && !Number.isSafeInteger(value))
      into.push({
        field: pointer(path),
        code: value > 0 ? 'too-large' : 'too-small',
        params: { limit: value > 0 ? Number.MAX_SAFE_INTEGER : -Number.MAX_SAFE_INTEGER },
        message: `must be between ${-Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}`,
      });
    return;
  }
  if (value === null || typeof value !== 'object' || depth >= maxDepth) return;
  if (Array.isArray(value)) value.forEach((item, i) => collectUnsafeNumbers(item, [...path, String(i)], into, depth + 1));
  else for (const [key, item] of Object.entries(value)) collectUnsafeNumbers(item, [...path, key], into, depth + 1);
}
