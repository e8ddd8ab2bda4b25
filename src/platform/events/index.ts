export * from './outbox.js';
export * from './tables.js';
export * from './consumers.js';
