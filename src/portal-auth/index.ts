// Subscriber sign-in for the portal: accounts, sessions, the route guard and `requireSubscriber`.
// Modules with portal routes depend on this, not on subscribers (which depends on it).
export { createPortalAccount, minimumPortalPasswordLength, subscriberByLogin } from './accounts.js';
export { installPortalGuard, PORTAL_SESSION_COOKIE, portalRoutesOf, requireSubscriber, subscriberActor } from './guard.js';
export type { SubscriberDirectory, SubscriberKind, SubscriberPrincipal, SubscriberStatus } from './principal.js';
export { endPortalSessions, portalSignIn, portalSignOut, resolvePortalSession, type PortalSignedIn } from './sign-in.js';
export type { PortalAuthTables } from './tables.js';
