/**
 * What a staff member typed into the search box, read before any lookup: an identifier (a
 * subscriber's account or a bill, both UUIDs), digits (a videophone number or its start, a contact
 * phone, the last four of an ID number), or a name (Chinese or Latin, partial).
 */
export type ClassifiedQuery =
  | { kind: 'id'; id: string }
  | { kind: 'digits'; digits: string; text: string; lastFour: string | null }
  | { kind: 'name'; text: string }
  | { kind: 'none' };

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Digits as people write phone numbers: +86 138-0013-8000, (010) 6552 9988. */
const digitsPattern = /^\+?[\d\s()-]+$/;
/**
 * The last four of an ID: a PRC resident ID may end in the check character X, a unified social credit
 * code has letters anywhere. Four characters with a digit among them are no name.
 */
const lastFourPattern = /^(?=.*\d)[\dA-Z]{4}$/;

export function classifyQuery(raw: string): ClassifiedQuery {
  const text = raw.normalize('NFKC').trim();
  if (text === '') return { kind: 'none' };
  if (uuidPattern.test(text)) return { kind: 'id', id: text.toLowerCase() };
  const upper = text.toUpperCase();
  if (lastFourPattern.test(upper)) return { kind: 'digits', digits: /^\d+$/.test(upper) ? upper : '', text, lastFour: upper };
  if (digitsPattern.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits === '') return { kind: 'none' };
    return { kind: 'digits', digits, text, lastFour: lastFourPattern.test(digits) ? digits : null };
  }
  if (!/[\p{L}]/u.test(text)) return { kind: 'none' };
  return { kind: 'name', text };
}
