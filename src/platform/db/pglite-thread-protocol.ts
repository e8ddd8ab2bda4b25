/**
 * What the service's thread and the embedded database's thread say to each other (see
 * pglite-thread.ts). Values cross by structured clone: Date, Uint8Array, bigint and plain objects
 * arrive as they left; a Buffer arrives as a Uint8Array, which PGlite writes as bytea all the same.
 */
export interface OpenRequest {
  /** The data directory, or null for a database in memory. */
  dataDir: string | null;
}

export type HostRequest =
  | { kind: 'query'; id: number; sql: string; params: unknown[]; transaction: number | null }
  /** Starts transaction `transaction`; answered once PGlite has begun it (others wait for it to end). */
  | { kind: 'begin'; id: number; transaction: number }
  /** Commits or rolls back transaction `transaction`; answered when it has ended. */
  | { kind: 'end'; id: number; transaction: number; commit: boolean }
  | { kind: 'close'; id: number };

export interface QueryOutcome {
  rows: unknown[];
  affectedRows: number | undefined;
}

export type HostReply =
  | { kind: 'opened' }
  | { kind: 'open-failed'; error: SerializedError }
  | { kind: 'done'; id: number; outcome: QueryOutcome | null }
  | { kind: 'failed'; id: number; error: SerializedError };

/** An error's message, name and fields (PGlite's DatabaseError carries `code`, `detail`, `constraint`…). */
export interface SerializedError {
  name: string;
  message: string;
  fields: Record<string, string | number | boolean | null>;
}

export function serializeError(error: unknown): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: String(error), fields: {} };
  const fields: SerializedError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (value === null || typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') fields[key] = value;
  }
  return { name: error.name, message: error.message, fields };
}

/** The error again on this side, with the database's fields (`code` above all) where callers look for them. */
export function deserializeError(serialized: SerializedError): Error {
  const error = Object.assign(new Error(serialized.message), serialized.fields);
  error.name = serialized.name;
  return error;
}
