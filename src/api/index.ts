export { buildApp } from './build-app.js';
