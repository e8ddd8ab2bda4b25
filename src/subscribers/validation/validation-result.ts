/**
 * What every validator in this folder returns. Bad input is an expected failure, so it is a value
 * with a stable machine code (for the API and the verification queue) and an English sentence for
 * people; it never throws (STYLE.md, "expected failures are values").
 *
 * Messages never repeat the submitted number: identity data is sensitive (agreement clause 1) and
 * messages end up in logs and problem bodies.
 */
export type ValidationResult<T, Code extends string = string> = { ok: true; value: T } | { ok: false; code: Code; message: string };

export function valid<T>(value: T): { ok: true; value: T } {
  return { ok: true, value };
}

export function invalid<Code extends string>(code: Code, message: string): { ok: false; code: Code; message: string } {
  return { ok: false, code, message };
}
