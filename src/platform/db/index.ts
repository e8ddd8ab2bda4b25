export * from './batcher.js';
export * from './current-schema-introspector.js';
export * from './data-dir-lock.js';
export * from './database.js';
export * from './executor.js';
export * from './migrate.js';
export * from './schema.js';
export * from './write-journal.js';
export { outboxAndJobs } from './migrations/20261124T0100-outbox-and-jobs.js';
