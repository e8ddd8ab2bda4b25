/**
 * The customer page (issue #14): one subscriber's header and the sections no owning module answers
 * for one subscriber yet. Owns no tables; reads through the owners' published functions.
 */
export { customerRoutes } from './routes.js';
export { customerHeader, customerOfNumber, type CustomerHeader } from './customer-header.js';
