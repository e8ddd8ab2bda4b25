export * from './connection-limits.js';
export * from './cross-site.js';
export * from './failure-to-problem.js';
export * from './finite-numbers.js';
export * from './no-store.js';
export * from './problem-handlers.js';
export * from './problems.js';
export * from './schemas.js';
