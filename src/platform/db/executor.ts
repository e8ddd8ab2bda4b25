import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Either the database or an open transaction: functions that write take this so callers choose. */
export type Executor = Kysely<Database> | Transaction<Database>;
