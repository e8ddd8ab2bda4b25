import Type from 'typebox';

/** The problem+json body, for route response schemas and the OpenAPI document. */
export const ProblemSchema = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    code: Type.String(),
    detail: Type.Optional(Type.String()),
    errors: Type.Optional(
      Type.Array(
        Type.Object({
          pointer: Type.String({ description: 'RFC 6901 JSON Pointer into the request: /body/idNumber, /query/limit' }),
          field: Type.String({ description: 'The pointer without its source, dotted: contact.phone' }),
          code: Type.String({ description: 'Stable code a client translates (required, too-long, pattern, …)' }),
          params: Type.Optional(Type.Record(Type.String(), Type.Union([Type.String(), Type.Number()]))),
          message: Type.String({ description: 'English, for machines and logs; not for people' }),
        }),
      ),
    ),
  },
  { additionalProperties: true, $id: 'Problem' },
);

export const problemResponses = {
  400: Type.Ref('Problem'),
  401: Type.Ref('Problem'),
  403: Type.Ref('Problem'),
} as const;
