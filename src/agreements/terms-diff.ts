import { diffLines, diffWordsWithSpace } from 'diff';
import type { AgreementLanguage } from './render.js';

/** One run of text in a readable diff: unchanged, inserted by the new version, or deleted from the old. */
export interface DiffSegment {
  change: 'same' | 'inserted' | 'deleted';
  text: string;
}

/**
 * A diff a subscriber can read (clause 15): which clauses changed, and inside a changed clause which
 * words. The agreement is one clause per paragraph, so lines come first; a block of removed lines
 * followed by added ones is then compared word by word. Words are found by `Intl.Segmenter`, which
 * knows where Chinese words end: `diffChars` would interleave single characters of unrelated words
 * (`当月费用` vs `当期账单` → 当 / 月费用 / 期账单), and `diffSentences` only ends a sentence at `.`, `!`
 * or `?` followed by a space, so a whole Chinese clause would be one "sentence". The segmenter is the
 * server's (one ICU), so every reader gets the same diff.
 */
export function readableDiff(before: string, after: string, language: AgreementLanguage): DiffSegment[] {
  const segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  const segments: DiffSegment[] = [];
  const lines = diffLines(before, after);
  for (let i = 0; i < lines.length; i++) {
    const part = lines[i]!;
    const next = lines[i + 1];
    if (part.removed && next?.added) {
      for (const word of diffWordsWithSpace(part.value, next.value, { intlSegmenter: segmenter })) {
        push(segments, word.added ? 'inserted' : word.removed ? 'deleted' : 'same', word.value);
      }
      i++;
    } else {
      push(segments, part.added ? 'inserted' : part.removed ? 'deleted' : 'same', part.value);
    }
  }
  return segments;
}

/** Adjacent runs of the same kind are merged, so the reader sees one mark per change. */
function push(segments: DiffSegment[], change: DiffSegment['change'], text: string): void {
  if (text === '') return;
  const last = segments[segments.length - 1];
  if (last && last.change === change) last.text += text;
  else segments.push({ change, text });
}
