import { detachedCopy } from './message.js';

/**
 * What was worked out from a piece of text lately, by that text, so that the same text is not
 * worked on again (issue #17, capacity): the claims of a flow token, which come back in every
 * in-dialog request. Only for what is a pure function of the text, or was established for it (a
 * token that authenticated), so what is found here is what working it out again would give. (The
 * parser's verdicts on addresses are no longer kept here: reading the usual shape in one pass
 * costs less than a lookup that misses, and they were many.)
 *
 * Bounded: two generations of `capacity` entries each. The current one fills, then replaces the
 * previous one, and an entry asked for from the previous one moves into the current one; so what a
 * dialog repeats stays while the dialog is recent, and a flood of distinct texts costs at most
 * twice the capacity. Keys are kept as copies (see detachedCopy): a slice of a message would keep
 * the whole message alive as long as its entry.
 */
export class RecentlyKept<V> {
  // Each entry holds its own key: moved from the previous generation, it keeps the copy made when it
  // was first set instead of copying the asker's text again.
  #current = new Map<string, { key: string; value: V }>();
  #previous = new Map<string, { key: string; value: V }>();

  constructor(private readonly capacity: number) {}

  get(text: string): V | undefined {
    const current = this.#current.get(text);
    if (current !== undefined) return current.value;
    const previous = this.#previous.get(text);
    if (previous === undefined) return undefined;
    this.#keep(previous);
    return previous.value;
  }

  set(text: string, value: V): void {
    this.#keep({ key: detachedCopy(text), value });
  }

  #keep(entry: { key: string; value: V }): void {
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Map();
    }
    this.#current.set(entry.key, entry);
  }
}
