export * from './outbox.js';
export * from './tables.js';
