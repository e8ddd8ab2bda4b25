export { portalStatusRoutes, standingOf } from './routes.js';
export { portalStanding, type PortalStanding, type StandingAction, type StandingItem, type StandingSnapshot } from './standing.js';
