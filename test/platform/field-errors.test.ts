import Fastify from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Type from 'typebox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { failureToProblem } from '../../src/platform/http/failure-to-problem.js';
import { installProblemHandlers } from '../../src/platform/http/problem-handlers.js';
import { fail } from '../../src/platform/result.js';

/**
 * Every validation failure leaves as field errors a client can translate: a JSON Pointer into the
 * request, the field's dotted name, a stable code and its parameters. The validator's own sentences
 * ("must match a schema in anyOf") stay in `message`, for machines.
 */
describe('field errors of a refused request', () => {
  const app = Fastify({
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
  });

  beforeAll(async () => {
    installProblemHandlers(app);
    app.withTypeProvider<TypeBoxTypeProvider>().post(
      '/things/:id',
      {
        schema: {
          params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
          querystring: Type.Object({ limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 100 })) }),
          body: Type.Object(
            {
              name: Type.String({ minLength: 2, maxLength: 5 }),
              contact: Type.Object({ phone: Type.String({ pattern: '^[0-9]+$' }) }, { additionalProperties: false }),
              kind: Type.Union([Type.Literal('a'), Type.Literal('b')]),
              amountFen: Type.Optional(Type.Integer({ minimum: 1 })),
            },
            { additionalProperties: false },
          ),
        },
      },
      async () => ({ ok: true }),
    );
    await app.ready();
  });

  afterAll(() => app.close());

  const id = '5b0b7a52-8c1a-4b53-9df3-1f7dbd1a3c11';
  const valid = { name: 'Li Na', contact: { phone: '7100000' }, kind: 'a' };

  async function errorsOf(url: string, body: unknown) {
    const response = await app.inject({ method: 'POST', url, payload: body as object });
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    return response.json().errors;
  }

  it('answers a valid request', async () => {
    expect((await app.inject({ method: 'POST', url: `/things/${id}`, payload: valid })).statusCode).toBe(200);
  });

  it.each([
    ['a missing field', { contact: valid.contact, kind: 'a' }, { pointer: '/body/name', field: 'name', code: 'required' }],
    ['a short one', { ...valid, name: 'L' }, { pointer: '/body/name', field: 'name', code: 'too-short', params: { limit: 2 } }],
    ['a long one', { ...valid, name: 'Li Na Wang' }, { pointer: '/body/name', field: 'name', code: 'too-long', params: { limit: 5 } }],
    [
      'a nested pattern',
      { ...valid, contact: { phone: '71x' } },
      { pointer: '/body/contact/phone', field: 'contact.phone', code: 'pattern' },
    ],
    [
      'an unknown nested field',
      { ...valid, contact: { phone: '1', fax: '2' } },
      { pointer: '/body/contact/fax', field: 'contact.fax', code: 'unknown-field' },
    ],
    ['a fraction', { ...valid, amountFen: 1.5 }, { pointer: '/body/amountFen', field: 'amountFen', code: 'not-integer' }],
    [
      'too little',
      { ...valid, amountFen: 0 },
      { pointer: '/body/amountFen', code: 'too-small', params: expect.objectContaining({ limit: 1 }) },
    ],
  ])('names %s by pointer and code', async (_, body, expected) => {
    expect(await errorsOf(`/things/${id}`, body)).toEqual([expect.objectContaining(expected)]);
  });

  it('explains a union by the branch that failed, not by "must match a schema in anyOf"', async () => {
    const errors = await errorsOf(`/things/${id}`, { ...valid, kind: 'c' });
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ pointer: '/body/kind', field: 'kind', code: 'not-allowed-value' });
    expect(JSON.stringify(errors)).not.toContain('anyOf');
  });

  it('points into the query and the path as well as the body', async () => {
    expect(await errorsOf(`/things/${id}?limit=500`, valid)).toEqual([
      expect.objectContaining({
        pointer: '/query/limit',
        field: 'limit',
        code: 'too-large',
        params: expect.objectContaining({ limit: 100 }),
      }),
    ]);
    expect(await errorsOf('/things/not-a-uuid', valid)).toEqual([
      expect.objectContaining({ pointer: '/params/id', code: 'format', params: { format: 'uuid' } }),
    ]);
  });

  it('gives a domain failure the same shape, `invalid` unless it names a code', () => {
    const result = fail('invalid', 'invalid-request', 'Bad input', {
      fields: [
        { field: 'username', message: 'taken', code: 'taken' },
        { field: 'contact.phone', message: 'not a number we serve' },
        { field: '/query/from', message: 'not a date', code: 'format', params: { format: 'date' } },
      ],
    });
    if (result.ok) throw new Error('expected a failure');
    expect(failureToProblem(result.failure).body.errors).toEqual([
      { pointer: '/body/username', field: 'username', code: 'taken', message: 'taken' },
      { pointer: '/body/contact/phone', field: 'contact.phone', code: 'invalid', message: 'not a number we serve' },
      { pointer: '/query/from', field: 'from', code: 'format', params: { format: 'date' }, message: 'not a date' },
    ]);
  });
});
