export * from './config.js';
export * from './settings.js';
