import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../platform/context.js';
import { consoleCallRecordRoutes, portalCallHistoryRoutes } from './routes/call-records.js';
import { qualityReportRoutes } from './routes/quality-reports.js';
import { softphoneProblemRoutes } from './routes/softphone-problems.js';

export interface PortalCallRouteOptions {
  ctx: ServiceContext;
  /**
   * The numbers of the signed-in subscriber; throws a 401 problem when nobody is signed in.
   * Injected: the subscribers module owns who a subscriber is and which numbers are theirs.
   */
  numbersOf(request: FastifyRequest): Promise<string[]>;
  /** Whose a number is, for the audit of a staff view of its calls (injected like `numbersOf`). */
  subscriberOfNumber?(number: string): Promise<string | null>;
}

/**
 * The subscriber's call history and the softphone's end-of-call quality reports; staff see both per call.
 * The parts are registered in this order because the OpenAPI document lists paths as they are
 * registered, and the web app's generated API types follow the document.
 */
export async function portalCallRoutes(app: FastifyInstance, options: PortalCallRouteOptions): Promise<void> {
  await app.register(portalCallHistoryRoutes, options);
  await app.register(qualityReportRoutes, options);
  await app.register(softphoneProblemRoutes, options);
  await app.register(consoleCallRecordRoutes, options);
}
