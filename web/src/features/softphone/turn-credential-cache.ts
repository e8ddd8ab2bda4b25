import type { TurnCredentials } from './softphone-api';

/**
 * TURN credentials fetched ahead of the calls that need them and kept for half their lifetime, so
 * neither dialling nor answering waits for an HTTP round trip before ICE gathering can start. A
 * credential the relay refused is dropped (`invalidate`), and the next call asks for a new one.
 */
export class TurnCredentialCache {
  #current: { credentials: TurnCredentials; fetchedAt: number } | null = null;
  #pending: Promise<TurnCredentials> | null = null;

  constructor(
    private readonly fetchCredentials: () => Promise<TurnCredentials>,
    private readonly now: () => number = Date.now,
  ) {}

  /** Starts fetching now (when the phone opens); a failure shows at the first call that needs TURN. */
  prefetch(): void {
    this.get().catch(() => undefined);
  }

  get(): Promise<TurnCredentials> {
    const current = this.#current;
    // `ttl` is in seconds: half of it, in milliseconds.
    if (current && this.now() - current.fetchedAt < current.credentials.ttl * 500) return Promise.resolve(current.credentials);
    this.#pending ??= this.fetchCredentials()
      .then((credentials) => {
        this.#current = { credentials, fetchedAt: this.now() };
        return credentials;
      })
      .finally(() => {
        this.#pending = null;
      });
    return this.#pending;
  }

  invalidate(): void {
    this.#current = null;
  }
}
