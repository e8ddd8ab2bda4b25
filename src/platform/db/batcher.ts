/** How a Batcher groups its loads. */
export interface BatcherOptions {
  /** Inputs per call at most; the rest wait for the next. */
  maxBatch?: number;
  /** The least time between the starts of two calls (0: none, each goes at the end of its turn). */
  lingerMs?: number;
}

/**
 * Coalesces requests into one call, for hot paths where many callers each want one row (account
 * lookups, call-record inserts): one round trip and one statement instead of hundreds. Each caller
 * still gets its own result or error.
 *
 * Group commit: at most one call runs at a time. What arrives while it runs waits for it and then
 * goes in the next call, all together; what arrives when nothing runs goes at the end of the current
 * turn of the event loop. Under load the batches grow by themselves, so the number of statements
 * stays about level as the rate rises, instead of rising with it: on the embedded database every
 * statement costs this process's own CPU, and on a pool it is a connection and a round trip. An idle
 * caller waits no longer than before (one turn); a busy one waits at most for the call before its own.
 *
 * `lingerMs` is for writes nobody waits on (a call answered or ended, a device's version): calls
 * start at most once per `lingerMs`, so a steady rate becomes a few large statements instead of many
 * small ones (on the embedded database a statement costs about seven times what one more row in it
 * does). A write after a quiet spell still goes at the end of its turn, so at a low rate, and for
 * someone reading right after a call, nothing waits.
 */
export class Batcher<Input, Output> {
  #queue: { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;
  #running = false;
  #lingering: NodeJS.Timeout | null = null;
  #lastStart = Number.NEGATIVE_INFINITY;
  readonly #maxBatch: number;
  readonly #lingerMs: number;

  constructor(
    private readonly run: (inputs: Input[]) => Promise<Output[]>,
    options: BatcherOptions = {},
  ) {
    this.#maxBatch = options.maxBatch ?? 500;
    this.#lingerMs = options.lingerMs ?? 0;
  }

  load(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      this.#schedule();
    });
  }

  #schedule(): void {
    if (this.#running || this.#queue.length === 0) return;
    if (this.#lingering && this.#queue.length >= this.#maxBatch) {
      // A full batch does not wait for the rest of the linger.
      clearTimeout(this.#lingering);
      this.#lingering = null;
      this.#scheduled = false;
    }
    if (this.#scheduled) return;
    this.#scheduled = true;
    const wait = this.#lingerMs - (performance.now() - this.#lastStart);
    if (wait > 0 && this.#queue.length < this.#maxBatch) {
      this.#lingering = setTimeout(() => this.#flush(), wait);
    } else setImmediate(() => this.#flush());
  }

  #flush(): void {
    this.#scheduled = false;
    this.#lingering = null;
    if (this.#running) return;
    const batch = this.#queue.splice(0, this.#maxBatch);
    if (batch.length === 0) return;
    this.#running = true;
    this.#lastStart = performance.now();
    let outcome: Promise<Output[]>;
    try {
      outcome = this.run(batch.map((entry) => entry.input));
    } catch (error) {
      outcome = Promise.reject(error);
    }
    outcome
      .then(
        (outputs) => batch.forEach((entry, index) => entry.resolve(outputs[index]!)),
        (error: unknown) => batch.forEach((entry) => entry.reject(error)),
      )
      .finally(() => {
        this.#running = false;
        this.#schedule();
      });
  }
}
