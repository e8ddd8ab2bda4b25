/**
 * Thrown by our own code when it knows the database cannot be used now (e.g. migrations not yet
 * applied because the server was down at start); `isDatabaseUnavailable` recognises it.
 */
export class DatabaseUnavailableError extends Error {
  constructor(message = 'The database is not available', options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DatabaseUnavailableError';
  }
}
