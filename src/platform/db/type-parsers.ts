/** PostgreSQL type OIDs whose text form both engines parse our way (see `parseInt8`). */
export const INT8_OID = 20;
export const NUMERIC_OID = 1700;

/**
 * int8 (bigserial ids, fen amounts) becomes a JS number on both engines. Every amount we store stays
 * far below 2^53 fen; refusing a larger value is better than silently losing precision.
 */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) throw new RangeError(`int8 value ${text} exceeds the safe integer range`);
  return value;
}

/** numeric stays text: amounts with a fraction are read by code that knows their scale. */
export function parseNumeric(text: string): string {
  return text;
}
