import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import type { SubscriberDirectory, SubscriberPrincipal } from './principal.js';
import { resolvePortalSession } from './sign-in.js';

export const PORTAL_SESSION_COOKIE = 'vp_portal';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** `true` on every `/api/portal/*` route that needs a signed-in subscriber. */
    portal?: boolean;
  }
  interface FastifyRequest {
    subscriber: SubscriberPrincipal | null;
  }
}

/**
 * Portal routes declare `config: { portal: true }`; the guard resolves the cookie before
 * validation. Routes under /api/portal/ must declare it (sign-in declares `false` explicitly).
 */
const portalRoutesByApp = new WeakMap<FastifyInstance, { method: string; url: string }[]>();

/** Every route that needs a signed-in subscriber, as registered: a test calls each one anonymously. */
export function portalRoutesOf(app: FastifyInstance): readonly { method: string; url: string }[] {
  return portalRoutesByApp.get(app) ?? [];
}

export function installPortalGuard(app: FastifyInstance, ctx: ServiceContext, directory: SubscriberDirectory): void {
  const registry: { method: string; url: string }[] = [];
  portalRoutesByApp.set(app, registry);
  app.decorateRequest('subscriber', null);
  app.addHook('onRoute', (route) => {
    const config = route.config as { portal?: boolean } | undefined;
    if (route.url.startsWith('/api/portal/') && config?.portal === undefined) {
      throw new Error(`portal route ${String(route.method)} ${route.url} does not declare config.portal`);
    }
    if (config?.portal) for (const method of [route.method].flat()) if (method !== 'HEAD') registry.push({ method, url: route.url });
  });
  app.addHook('onRequest', async (request) => {
    if (!request.routeOptions.config.portal) return;
    const token = request.cookies[PORTAL_SESSION_COOKIE];
    const subscriber = token ? await resolvePortalSession(ctx, token, directory) : null;
    if (!subscriber) throw new ProblemError('unauthenticated', 'Sign in to the portal first');
    request.subscriber = subscriber;
  });
}

export function requireSubscriber(request: FastifyRequest): SubscriberPrincipal {
  if (!request.subscriber) throw new ProblemError('unauthenticated', 'Sign in to the portal first');
  return request.subscriber;
}

export function subscriberActor(request: FastifyRequest): Actor {
  return {
    type: 'subscriber',
    id: request.subscriber?.subscriberId ?? null,
    name: null,
    ip: request.ip,
    userAgent: request.headers['user-agent'] ?? null,
  };
}
