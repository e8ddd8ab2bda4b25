export { issueTurnCredentials, turnPassword, type TurnCredentials, type TurnSettings } from './credentials.js';
export { turnRoutes, type TurnRouteOptions } from './routes.js';
