import type { FieldCipher } from '../platform/crypto/index.js';
import type { IdentityData } from './identity.js';
import type { SearchTokenField, SubscriberKind } from './tables.js';

/**
 * Keyed search tokens: how staff find a subscriber by identity data that is sealed at rest.
 *
 * We chose keyed n-grams over a clear search column. A clear column (even a "search name") would put
 * names in every dump, replica and backup; a token is an HMAC (the blind-index key of field-cipher.ts)
 * of one normalised piece of a value, truncated to 132 bits, and is useless without the key.
 * - Names: Chinese names are two to four characters, so every character and every adjacent pair is
 *   indexed (a query of one character uses the character, longer ones their pairs). Latin words are
 *   lower-cased after NFKC and indexed by trigrams; words shorter than three letters ("Li") as whole
 *   words. A query finds the subscribers holding all of its tokens, then each candidate's sealed
 *   name is opened and checked to contain the query, so n-grams met out of order never match.
 * - Contact phone: the E.164 form as one token (exact match only).
 * - ID number: its last four characters (the check character X upper-cased) as one token.
 *
 * What it leaks, compared with clear text: nothing readable, but equality. Someone holding the table
 * sees which subscribers share a token and how often each token occurs, so frequency analysis can
 * guess the commonest surname characters (王, 李) or trigrams ("ang") and who shares them; two rows
 * with the same phone or the same last four are visibly equal. It does not give a name, a number or
 * an ID digit back without the key, and last four and phone tokens cannot be tried offline.
 */
export const SEARCH_TOKENS_VERSION = 1;

const TOKEN_LENGTH = 22; // base64url characters: 132 bits of the HMAC-SHA256

const contexts: Record<SearchTokenField, string> = {
  name: 'subscriber-search.name',
  'contact-phone': 'subscriber-search.contact-phone',
  'id-last-four': 'subscriber-search.id-last-four',
};

export interface SearchToken {
  field: SearchTokenField;
  token: string;
}

export function searchToken(cipher: FieldCipher, field: SearchTokenField, value: string): string {
  return cipher.blindIndex(value, contexts[field]).slice(0, TOKEN_LENGTH);
}

/** NFKC folds full-width letters and digits (Ｌｉ, ７１) to their plain forms; case does not matter. */
export function normaliseForSearch(text: string): string {
  return text.normalize('NFKC').toLowerCase();
}

interface Segment {
  script: 'han' | 'other';
  text: string;
}

const segmentPattern = /(\p{Script=Han}+)|((?:(?!\p{Script=Han})[\p{L}\p{N}])+)/gu;

/** Runs of Chinese characters and words of other letters or digits; spaces and punctuation (·) separate. */
export function searchSegments(text: string): Segment[] {
  const segments: Segment[] = [];
  for (const match of normaliseForSearch(text).matchAll(segmentPattern)) {
    segments.push(match[1] !== undefined ? { script: 'han', text: match[1] } : { script: 'other', text: match[0] });
  }
  return segments;
}

function trigramsOf(word: string): string[] {
  const chars = [...word];
  if (chars.length < 3) return [`w:${word}`];
  const grams: string[] = [];
  for (let i = 0; i + 3 <= chars.length; i++) grams.push(`t3:${chars.slice(i, i + 3).join('')}`);
  return grams;
}

/** The n-grams stored for a name. */
export function nameGrams(name: string): string[] {
  const grams = new Set<string>();
  for (const segment of searchSegments(name)) {
    if (segment.script === 'han') {
      const chars = [...segment.text];
      chars.forEach((char, i) => {
        grams.add(`h1:${char}`);
        if (i + 1 < chars.length) grams.add(`h2:${char}${chars[i + 1]}`);
      });
    } else {
      for (const gram of trigramsOf(segment.text)) grams.add(gram);
    }
  }
  return [...grams];
}

/**
 * The n-grams a name query looks up: enough to cover every character once (pairs at 0, 2, 4… and the
 * last one; trigrams at 0, 3, 6… and the last one), not every overlapping one. Each token costs an
 * index probe per candidate, and the check on the opened name (`nameMatches`) restores the order
 * that overlapping grams would have enforced.
 */
export function nameQueryGrams(query: string): string[] {
  const grams = new Set<string>();
  for (const segment of searchSegments(query)) {
    const chars = [...segment.text];
    if (segment.script === 'han') {
      if (chars.length === 1) grams.add(`h1:${chars[0]}`);
      for (const i of coveringStarts(chars.length, 2)) grams.add(`h2:${chars[i]}${chars[i + 1]}`);
    } else if (chars.length < 3) {
      grams.add(`w:${segment.text}`);
    } else {
      for (const i of coveringStarts(chars.length, 3)) grams.add(`t3:${chars.slice(i, i + 3).join('')}`);
    }
  }
  return [...grams];
}

function coveringStarts(length: number, size: number): number[] {
  if (length < size) return [];
  const starts: number[] = [];
  for (let i = 0; i + size <= length; i += size) starts.push(i);
  if (starts.at(-1) !== length - size) starts.push(length - size);
  return starts;
}

/** Whether a clear name contains every segment of the query (the check after the token match). */
export function nameMatches(name: string, query: string): boolean {
  const normalised = normaliseForSearch(name);
  return searchSegments(query).every((segment) => normalised.includes(segment.text));
}

export function lastFourOf(idNumber: string): string | null {
  const compact = idNumber.replace(/\s/g, '').toUpperCase();
  return compact.length >= 4 ? compact.slice(-4) : null;
}

/** The names a subscriber is found by: a person's full name; an organisation's legal name and contact. */
export function searchableNames(kind: SubscriberKind, identity: IdentityData): string[] {
  const names = kind === 'individual' ? [identity.fullName] : [identity.legalName, identity.contactName];
  return names.filter((name): name is string => name !== undefined && name !== '');
}

/** Every token of one subscriber's identity, as stored in `subscriber_search_tokens`. */
export function searchTokensOf(cipher: FieldCipher, kind: SubscriberKind, identity: IdentityData, idNumber: string): SearchToken[] {
  const tokens = new Map<string, SearchToken>();
  const add = (field: SearchTokenField, value: string) => {
    const token = searchToken(cipher, field, value);
    tokens.set(`${field} ${token}`, { field, token });
  };
  for (const name of searchableNames(kind, identity)) for (const gram of nameGrams(name)) add('name', gram);
  if (identity.contactPhone) add('contact-phone', identity.contactPhone);
  const lastFour = lastFourOf(idNumber);
  if (lastFour) add('id-last-four', lastFour);
  return [...tokens.values()];
}
