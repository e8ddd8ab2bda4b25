import Type from 'typebox';

/** `SubscriberKind` and `SubscriberStatus` of tables.ts, as route schemas (and so the OpenAPI document) name them. */
export const SubscriberKindSchema = Type.Union([Type.Literal('individual'), Type.Literal('organisation')]);

export const SubscriberStatusSchema = Type.Union([
  Type.Literal('applied'),
  Type.Literal('documents_requested'),
  Type.Literal('approved'),
  Type.Literal('rejected'),
  Type.Literal('active'),
  Type.Literal('suspended'),
  Type.Literal('terminated'),
]);
