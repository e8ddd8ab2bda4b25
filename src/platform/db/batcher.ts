/**
 * Coalesces the requests made within one turn of the event loop into one call, for hot paths where
 * many callers each want one row (account lookups, call-record inserts): one round trip and one
 * statement instead of hundreds. Each caller still gets its own result or error.
 */
export class Batcher<Input, Output> {
  #queue: { input: Input; resolve: (output: Output) => void; reject: (error: unknown) => void }[] = [];
  #scheduled = false;

  constructor(
    private readonly run: (inputs: Input[]) => Promise<Output[]>,
    private readonly maxBatch = 500,
  ) {}

  load(input: Input): Promise<Output> {
    return new Promise<Output>((resolve, reject) => {
      this.#queue.push({ input, resolve, reject });
      if (this.#queue.length >= this.maxBatch) this.#flush();
      else if (!this.#scheduled) {
        this.#scheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  #flush(): void {
    this.#scheduled = false;
    const batch = this.#queue.splice(0, this.#queue.length);
    if (batch.length === 0) return;
    this.run(batch.map((entry) => entry.input)).then(
      (outputs) => batch.forEach((entry, index) => entry.resolve(outputs[index]!)),
      (error: unknown) => batch.forEach((entry) => entry.reject(error)),
    );
  }
}
