export { classifyQuery, type ClassifiedQuery } from './classify-query.js';
export { searchCustomers, type CustomerSearch, type CustomerSearchResult, type MatchedBy } from './customer-search.js';
export { searchRoutes } from './routes.js';
