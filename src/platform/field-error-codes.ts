/**
 * The stable codes of field errors (`src/platform/http/field-errors.ts`), which clients translate.
 * A new code needs its words in both languages in the web app (`fieldErrors.*`), which a test checks.
 */
export const fieldErrorCodes = [
  'required',
  'too-short',
  'too-long',
  'pattern',
  'format',
  'too-small',
  'too-large',
  'not-integer',
  'type',
  'not-allowed-value',
  'unknown-field',
  'too-few',
  'too-many',
  'not-multiple',
  'taken',
  'unknown',
  'in-the-past',
  'in-the-future',
  'out-of-order',
  'invalid',
] as const;

export type FieldErrorCode = (typeof fieldErrorCodes)[number];
