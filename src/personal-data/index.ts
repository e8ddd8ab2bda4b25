// The subscriber's copy of their personal data (GET /api/portal/my-data), put together from the part
// each module publishes. Depends on those modules; nothing depends on it.
export { exportOwnData, type OwnDataExport } from './own-data-export.js';
export { personalDataRoutes } from './routes.js';
