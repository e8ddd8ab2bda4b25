import type { Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Clock } from './clock.js';
import type { Settings } from './config/index.js';
import type { FieldCipher } from './crypto/index.js';
import type { Database } from './db/index.js';

/** What a business operation may use: the database, the time, the operator's settings, the cipher. */
export interface ServiceContext {
  db: Kysely<Database>;
  clock: Clock;
  settings: Settings;
  cipher: FieldCipher;
  logger: Logger;
}
