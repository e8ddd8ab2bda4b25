import type { FastifyInstance } from 'fastify';
import type { ServiceContext } from '../platform/context.js';
import type { LicenceCatalogue } from './licence.js';
import { currentAgreementRoutes } from './routes/current-agreement.js';
import { consoleLicenceRoutes, portalLicenceRoutes } from './routes/licence.js';
import { consoleNegotiationCaseRoutes, portalNegotiationCaseRoutes } from './routes/negotiation-cases.js';
import { consoleSignatureRoutes, portalSignatureRoutes } from './routes/signatures.js';
import { agreementVerificationRoutes } from './routes/verification.js';
import { consoleAgreementVersionRoutes, portalTermsChangeRoutes } from './routes/terms-changes.js';
import type { OperatorSeal } from './seal.js';

export interface AgreementRouteOptions {
  ctx: ServiceContext;
  seal: OperatorSeal;
  sipDomain: string;
  /** The client software licence's versions (clause 3). */
  licences: LicenceCatalogue;
}

/**
 * The agreement's HTTP surface. The parts are registered in this order because the OpenAPI document
 * lists paths as they are registered, and the web app's generated API types follow the document.
 */
export async function agreementRoutes(app: FastifyInstance, options: AgreementRouteOptions): Promise<void> {
  await app.register(portalSignatureRoutes, options);
  await app.register(currentAgreementRoutes, options);
  await app.register(consoleSignatureRoutes, options);
  await app.register(agreementVerificationRoutes, options);

  // Terms changes (clause 15) and negotiation cases (clause 16): the console publishes versions and
  // handles cases; the portal shows pending changes, takes objections and acceptances, and shows cases.
  await app.register(consoleAgreementVersionRoutes, options);
  await app.register(consoleNegotiationCaseRoutes, options);
  await app.register(portalTermsChangeRoutes, options);
  await app.register(portalNegotiationCaseRoutes, options);

  // The client software licence (clause 3): the portal shows and records it, the console lists both.
  await app.register(portalLicenceRoutes, options);
  await app.register(consoleLicenceRoutes, options);
}
