import type { FieldError } from '../platform/result.js';

/** Plan and terminal codes: stable identifiers that orders and URLs use. */
const codePattern = /^[a-z0-9][a-z0-9-]{1,31}$/;

export function validateCode(code: string): FieldError[] {
  return codePattern.test(code)
    ? []
    : [{ field: 'code', message: '2–32 lower-case letters, digits or dashes, starting with a letter or digit' }];
}

/** Every listed item is named in both languages of the price list; descriptions may be empty. */
export function validateNames(item: { nameZh: string; nameEn: string; descriptionZh: string; descriptionEn: string }): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of ['nameZh', 'nameEn'] as const) {
    const value = item[field].trim();
    if (value.length === 0 || value.length > 100) errors.push({ field, message: 'required, at most 100 characters' });
  }
  for (const field of ['descriptionZh', 'descriptionEn'] as const) {
    if (item[field].length > 1000) errors.push({ field, message: 'at most 1000 characters' });
  }
  return errors;
}
