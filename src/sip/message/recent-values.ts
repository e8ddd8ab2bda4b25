import { detachedCopy } from './message.js';

/**
 * Header values the parser found well-formed lately, so that the same text is not checked again
 * (issue #17, capacity). Most of a dialog's header values come back unchanged in every message of
 * it: From, To, Contact, and the route set in Record-Route and Route, in the INVITE, its
 * provisional and final responses, the ACK and the BYE, in both directions. Checking a value is a
 * pure function of its text, so a value that passed once passes again; only values that passed are
 * kept, so a malformed one is always checked and refused.
 *
 * Bounded: two generations of `capacity` values each. The current one fills, then replaces the
 * previous one, so what a dialog repeats stays while the dialog is recent, and a flood of distinct
 * values costs at most twice the capacity. Values are kept as copies (see detachedCopy): a slice
 * would keep its whole message alive as long as the entry.
 */
export class RecentlyValid {
  #current = new Set<string>();
  #previous = new Set<string>();

  constructor(private readonly capacity: number) {}

  has(value: string): boolean {
    if (this.#current.has(value)) return true;
    if (!this.#previous.has(value)) return false;
    this.add(value);
    return true;
  }

  add(value: string): void {
    if (this.#current.size >= this.capacity) {
      this.#previous = this.#current;
      this.#current = new Set();
    }
    this.#current.add(detachedCopy(value));
  }
}
