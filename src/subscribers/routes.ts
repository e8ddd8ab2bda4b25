import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../platform/context.js';
import { applicationRoutes } from './routes/applications.js';
import { identityRoutes } from './routes/identity.js';
import { verificationRoutes } from './routes/verification.js';

/**
 * Applications, the reviewer's verification, and subscribers' identity as staff see it. The parts are
 * registered in this order because the OpenAPI document lists paths as they are registered, and the
 * web app's generated API types follow the document.
 */
export async function subscriberRoutes(
  app: FastifyInstance,
  options: { ctx: ServiceContext; applicationRateLimitPerMinute: number; sipDomain: string },
): Promise<void> {
  await app.register(applicationRoutes, options);
  await app.register(verificationRoutes, options);
  await app.register(identityRoutes, options);
}
