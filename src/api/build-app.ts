import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { agreementRoutes, licenceAllowsCredentials, type LicenceCatalogue, type OperatorSeal } from '../agreements/index.js';
import { assuranceRoutes } from '../assurance/index.js';
import { auditRoutes, type Actor } from '../audit/index.js';
import { billingRoutes, type BillingContext } from '../billing/index.js';
import { callRoutes, type LocationService, type SipBanList, portalCallRoutes } from '../calls/index.js';
import { catalogRoutes } from '../catalog/index.js';
import { chargingRoutes, type Charging } from '../charging/index.js';
import { customerRoutes } from '../customers/index.js';
import { disputeRoutes } from '../disputes/index.js';
import { deviceRoutes } from '../devices/index.js';
import { noticeRoutes } from '../notices/index.js';
import type { Settings } from '../platform/config/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { DatabaseHandle } from '../platform/db/index.js';
import {
  installCrossSiteRefusal,
  installFiniteNumbers,
  installNoStore,
  defaultHttpConnectionLimits,
  defaultHttpTimeouts,
  httpTimeoutOptions,
  limitHttpConnections,
  trustedProxyMatcher,
  type HttpTimeouts,
  installProblemHandlers,
  sendProblem,
  problem,
  ProblemSchema,
} from '../platform/http/index.js';
import type { JobRunner } from '../platform/jobs/index.js';
import { processWideSchemaCompilers } from './schema-compilers.js';
import type { Metrics } from '../platform/metrics.js';
import { installStaffGuard, listStaff, staffRoutes } from '../staff/index.js';
import { personalDataRoutes } from '../personal-data/index.js';
import { installPortalGuard } from '../portal-auth/index.js';
import {
  documentRoutes,
  legalRequestRoutes,
  nothingOwed,
  portalRoutes,
  subscriberDirectory,
  subscriberDisplayNames,
  subscriberRoutes,
  type BalanceSource,
} from '../subscribers/index.js';
import { eventRoutes } from './event-routes.js';
import { systemRoutes } from './system-routes.js';
import { releaseConsoleRoutes, releaseRoutes } from '../releases/index.js';
import { provisioningRoutes, unprovisionTerminal, type ProvisioningDeps } from '../provisioning/index.js';
import { turnRoutes, type TurnSettings } from '../turn/index.js';
import { portalNumbersOf, portalTurnUserOf } from './portal-identity.js';
import { contactRoutes } from '../contacts/index.js';
import { legalRoutes } from '../legal/index.js';
import { searchRoutes } from '../search/index.js';
import { portalStatusRoutes } from '../portal-status/index.js';
import { subscriberIdForNumber } from '../numbers/index.js';
import { paymentRoutes, type PaymentsContext } from '../payments/index.js';
import { workQueueRoutes } from '../workqueues/index.js';
import { dashboardRoutes } from '../dashboards/index.js';

export interface AppDeps {
  ctx: ServiceContext;
  database: DatabaseHandle;
  jobs: JobRunner;
  metrics: Metrics;
  settings: Settings;
  logger: Logger;
  cookieSecure: boolean;
  trustProxy?: boolean | string;
  /** Origins besides our own that may send cookie-authenticated changes (HTTP_ALLOWED_ORIGINS). */
  allowedOrigins?: readonly string[];
  /** Bearer token for /metrics from other hosts (METRICS_TOKEN); null or omitted: loopback only. */
  metricsToken?: string | null;
  /** True while the node listens for HTTP but has not yet started SIP and its jobs: /readyz says not ready. */
  starting?: () => boolean;
  signInRateLimitPerMinute?: number;
  applicationRateLimitPerMinute?: number;
  /** Registrations to show staff; null when this process runs no SIP server. */
  location?: LocationService | null;
  /** SIP bans on this node, listed and lifted by staff; null without a SIP server. */
  sipBans?: SipBanList | null;
  /** Tells this node's SIP account cache that a digest username was just created or changed. */
  sipCredentialsChanged?: (username: string) => void;
  /** SIP domain and digest realm: the portal issues device credentials for it. */
  sipDomain: string;
  /** The operator's seal on signed agreements (clause 17). */
  seal: OperatorSeal;
  /** The client software licence's versions (clause 3): SIP credentials wait for its acceptance. */
  licences: LicenceCatalogue;
  /** What a subscriber owes, for termination (clause 11); billing provides it. */
  balance?: BalanceSource;
  /** Directory of the built web app; omitted or missing means the API runs alone. */
  webRoot?: string | null;
  /** TURN for softphones; null or omitted when not configured. */
  turn?: TurnSettings | null;
  /** Billing with its effects on the service; omitted in apps built without billing. */
  billing?: BillingContext;
  /** Real-time charging (clause 9): its gauge, history and limit routes; omitted in apps built without it. */
  charging?: Charging;
  /** Online payment (issue #15); omitted in apps built without it. */
  payments?: PaymentsContext;
  /** Payment providers' webhook secrets (HMAC-SHA256). */
  paymentWebhookSecrets?: Record<string, string>;
  /** Remote provisioning of SIP terminals: the SIP endpoint units are given; omitted: no provisioning routes. */
  provisioning?: ProvisioningDeps;
  /** Tells this node's registrar that a minimum client version changed. */
  releaseMinimumsChanged?: () => void;
  /** Caps on open connections (in all and per source address) and the server's timeouts. */
  connections?: { maxConnections: number; maxConnectionsPerSource: number } & HttpTimeouts;
}

export const defaultWebRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../dist/web');

/** Builds the HTTP application: one plugin per module, shared error handling, OpenAPI from route schemas. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const connections = deps.connections ?? { ...defaultHttpConnectionLimits, ...defaultHttpTimeouts };
  const app: FastifyInstance = Fastify({
    ...httpTimeoutOptions(connections),
    loggerInstance: deps.logger as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    // Route schemas coerce query strings but never silently drop or reshape JSON bodies.
    ajv: { customOptions: { removeAdditional: false, coerceTypes: 'array', useDefaults: true, allErrors: false } },
    genReqId: () => crypto.randomUUID(),
    trustProxy: deps.trustProxy ?? false,
    schemaController: { compilersFactory: processWideSchemaCompilers },
  });

  limitHttpConnections(app.server, {
    maxConnections: connections.maxConnections,
    maxConnectionsPerSource: connections.maxConnectionsPerSource,
    isTrustedProxy: trustedProxyMatcher(deps.trustProxy ?? false),
    onRefused: (reason) => deps.metrics.connectionsRefused.inc({ transport: 'HTTP', reason }),
  });
  app.addSchema(ProblemSchema);
  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Videophone API',
        version: '0.1.0',
        description: 'Operator back office, subscriber portal and softphone API. Errors are application/problem+json (RFC 9457).',
      },
      components: { securitySchemes: { staffSession: { type: 'apiKey', in: 'cookie', name: 'vp_staff_session' } } },
    },
    // Shared schemas keep their $id as their component name (`Problem`, not `def-0`), so generated clients name them too.
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
  });
  await app.register(fastifyCookie);
  // Before the session guards: a forged request is refused before its cookie is even looked up.
  installCrossSiteRefusal(app, { allowedOrigins: deps.allowedOrigins ?? [] });
  installPortalGuard(app, deps.ctx, subscriberDirectory);
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        // React sets style attributes; no inline scripts are allowed.
        styleSrc: ["'self'", "'unsafe-inline'"],
        // blob: shows a document a reviewer opened (fetched with a stated purpose, never a plain URL).
        imgSrc: ["'self'", 'data:', 'blob:'],
        connectSrc: ["'self'"],
        mediaSrc: ["'self'", 'blob:'],
        frameAncestors: ["'none'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
      },
    },
    // Only meaningful over HTTPS; set where cookies are Secure.
    strictTransportSecurity: deps.cookieSecure,
    // No referrer ever leaves for another site. Not helmet's `no-referrer`: under it a browser sends
    // `Origin: null` with a plain form post (Fetch §3.1.7), which the cross-site guard rightly cannot
    // tell from a forged one; `same-origin` lets our own forms (the payment simulator's) carry their origin.
    referrerPolicy: { policy: 'same-origin' },
  });
  // Only routes that opt in (sign-in) are limited; the limit answers 429 problem+json.
  await app.register(fastifyRateLimit, { global: false });
  installProblemHandlers(app);
  installStaffGuard(app, deps.ctx);
  installFiniteNumbers(app);
  installNoStore(app);

  app.addHook('onResponse', async (request, reply) => {
    deps.metrics.httpRequestDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(systemRoutes, {
    database: deps.database,
    metrics: deps.metrics,
    jobs: deps.jobs,
    settings: deps.settings,
    metricsToken: deps.metricsToken ?? null,
    starting: deps.starting ?? (() => false),
  });
  await app.register(staffRoutes, {
    ctx: deps.ctx,
    cookieSecure: deps.cookieSecure,
    signInRateLimitPerMinute: deps.signInRateLimitPerMinute ?? 20,
  });
  await app.register(auditRoutes, {
    ctx: deps.ctx,
    names: {
      staff: async (ids) =>
        new Map((await listStaff(deps.ctx)).filter((s) => ids.includes(s.id)).map((s) => [s.id, s.displayName || s.username])),
      subscriber: (ids) => subscriberDisplayNames(deps.ctx.db, ids),
    },
  });
  await app.register(eventRoutes, { ctx: deps.ctx });
  await app.register(callRoutes, { ctx: deps.ctx, location: deps.location ?? null, bans: deps.sipBans ?? null });
  await app.register(subscriberRoutes, {
    ctx: deps.ctx,
    applicationRateLimitPerMinute: deps.applicationRateLimitPerMinute ?? 10,
    sipDomain: deps.sipDomain,
  });
  await app.register(portalRoutes, {
    ctx: deps.ctx,
    cookieSecure: deps.cookieSecure,
    signInRateLimitPerMinute: deps.signInRateLimitPerMinute ?? 20,
    sipDomain: deps.sipDomain,
    termination: { balance: deps.balance ?? nothingOwed, location: deps.location ?? null },
    ...(deps.sipCredentialsChanged ? { sipCredentialsChanged: deps.sipCredentialsChanged } : {}),
    credentialsGate: (subscriberId, deviceId) => licenceAllowsCredentials(deps.ctx, deps.licences, subscriberId, deviceId),
  });
  await app.register(personalDataRoutes, { ctx: deps.ctx });
  await app.register(catalogRoutes, { ctx: deps.ctx });
  await app.register(agreementRoutes, { ctx: deps.ctx, seal: deps.seal, sipDomain: deps.sipDomain, licences: deps.licences });
  await app.register(documentRoutes, { ctx: deps.ctx });
  await app.register(legalRequestRoutes, { ctx: deps.ctx });
  await app.register(legalRoutes, { ctx: deps.ctx });
  await app.register(portalStatusRoutes, { ctx: deps.ctx, billing: deps.billing !== undefined });

  await app.register(turnRoutes, { clock: deps.ctx.clock, settings: deps.turn ?? null, identify: portalTurnUserOf(deps.ctx) });
  await app.register(portalCallRoutes, {
    ctx: deps.ctx,
    numbersOf: portalNumbersOf(deps.ctx),
    subscriberOfNumber: (number) => subscriberIdForNumber(deps.ctx.db, number),
  });
  if (deps.billing) await app.register(billingRoutes, { ctx: deps.billing, webhookSecrets: deps.paymentWebhookSecrets ?? {} });
  if (deps.charging) await app.register(chargingRoutes, { ctx: deps.ctx, charging: deps.charging });
  if (deps.payments) await app.register(paymentRoutes, { ctx: deps.payments });
  if (deps.billing) await app.register(disputeRoutes, { ctx: deps.billing });
  const provisioning = deps.provisioning;
  if (deps.billing)
    await app.register(deviceRoutes, {
      ctx: deps.billing,
      // Clause 4(3) and #16: a terminal replaced under warranty loses its SIP credentials at once (a unit that
      // was never provisioned has none: nothing to revoke); the replacement is provisioned with its own.
      ...(provisioning
        ? {
            unitReplaced: async ({ oldUnitId }: { oldUnitId: string }, actor: Actor) => {
              await unprovisionTerminal(deps.ctx, provisioning, oldUnitId, actor, 'replaced under warranty');
            },
          }
        : {}),
    });
  await app.register(contactRoutes, { ctx: deps.ctx });
  await app.register(assuranceRoutes, { ctx: deps.ctx });
  await app.register(releaseConsoleRoutes, {
    ctx: deps.ctx,
    ...(deps.releaseMinimumsChanged ? { minimumsChanged: deps.releaseMinimumsChanged } : {}),
  });
  if (deps.provisioning) await app.register(provisioningRoutes, { ctx: deps.ctx, deps: deps.provisioning });
  await app.register(noticeRoutes, { ctx: deps.ctx });
  await app.register(searchRoutes, { ctx: deps.ctx });
  await app.register(customerRoutes, { ctx: deps.ctx });
  await app.register(workQueueRoutes, { ctx: deps.ctx });
  await app.register(dashboardRoutes, { ctx: deps.ctx, location: deps.location ?? null });

  app.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  const webRoot = deps.webRoot === undefined ? defaultWebRoot : deps.webRoot;
  const serveWeb = webRoot !== null && existsSync(path.join(webRoot, 'index.html'));
  await app.register(releaseRoutes, { webRoot: serveWeb ? webRoot : null });
  if (serveWeb) await app.register(fastifyStatic, { root: webRoot, wildcard: false, index: ['index.html'] });

  app.setNotFoundHandler((request, reply) => {
    const wantsPage = request.method === 'GET' && !request.url.startsWith('/api/') && (request.headers.accept ?? '').includes('text/html');
    // The web app routes in the browser: any page URL gets index.html.
    if (serveWeb && wantsPage) return reply.type('text/html').sendFile('index.html');
    return sendProblem(reply, problem('not-found', `No route ${request.method} ${request.url.split('?')[0]}`));
  });
  return app;
}
