export * from './passwords.js';
export * from './sessions.js';
