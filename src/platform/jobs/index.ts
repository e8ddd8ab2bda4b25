export * from './job-runner.js';
export * from './tables.js';
