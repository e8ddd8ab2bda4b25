import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../platform/context.js';
import { portalNoticeContactRoutes } from './routes/portal-notice-contact.js';
import { portalDeviceRoutes, type CredentialsGate } from './routes/portal-devices.js';
import { portalSessionRoutes } from './routes/portal-session.js';
import { portalTerminationRoutes } from './routes/portal-termination.js';
import type { TerminationDeps } from './termination.js';

export interface PortalRouteOptions {
  ctx: ServiceContext;
  cookieSecure: boolean;
  signInRateLimitPerMinute: number;
  sipDomain: string;
  termination: TerminationDeps;
  /** Tells the SIP account cache on this node that a device username now exists (it may be remembered as unknown). */
  sipCredentialsChanged?: (username: string) => void;
  /** Refuses SIP credentials until the client licence in force is accepted (clause 3). */
  credentialsGate: CredentialsGate;
}

/**
 * The subscriber portal's account routes: sign-in, who am I, devices, ending the agreement.
 * The parts are registered in this order because the OpenAPI document lists paths as they are
 * registered, and the web app's generated API types follow the document.
 */
export async function portalRoutes(app: FastifyInstance, options: PortalRouteOptions): Promise<void> {
  await app.register(portalSessionRoutes, options);
  await app.register(portalDeviceRoutes, options);
  await app.register(portalTerminationRoutes, options);
  await app.register(portalNoticeContactRoutes, options);
}
