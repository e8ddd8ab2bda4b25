/**
 * Puts a typed identifier into the one form the validators check and store. Chinese input methods
 * often produce full-width digits and letters (U+FF10…), which NFKC folds to ASCII; people group
 * long numbers with spaces or hyphens, which are never part of these identifiers.
 */
export function identifierText(input: unknown): string {
  if (typeof input !== 'string') return '';
  return input
    .normalize('NFKC')
    .replace(/[\s-]+/g, '')
    .toUpperCase();
}
