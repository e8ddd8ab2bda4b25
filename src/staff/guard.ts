import '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import type { Permission } from './permissions.js';
import { resolveSession, type StaffPrincipal } from './sign-in.js';

export const STAFF_SESSION_COOKIE = 'vp_staff_session';

/**
 * A back-office route declares `config: { staff: { permission } }`; `permission: null` means any
 * signed-in staff member. The guard runs before validation, so an unauthorised caller learns nothing
 * about the route's input. Routes under /api/console/ must declare it: registration fails otherwise.
 */
export interface StaffRouteRule {
  permission: Permission | null;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    staff?: StaffRouteRule;
  }
  interface FastifyRequest {
    staff: StaffPrincipal | null;
  }
}

export interface GuardedRoute {
  method: string;
  url: string;
  permission: Permission | null;
}

const guardedRoutes = new WeakMap<FastifyInstance, GuardedRoute[]>();

/** Every route the guard protects, as registered: the RBAC test walks this list. */
export function guardedRoutesOf(app: FastifyInstance): readonly GuardedRoute[] {
  return guardedRoutes.get(app) ?? [];
}

export function installStaffGuard(app: FastifyInstance, ctx: ServiceContext): void {
  const registry: GuardedRoute[] = [];
  guardedRoutes.set(app, registry);
  app.decorateRequest('staff', null);
  app.addHook('onRoute', (route) => {
    const config = route.config as { staff?: StaffRouteRule } | undefined;
    if (route.url.startsWith('/api/console/') && !config?.staff) {
      throw new Error(`back-office route ${String(route.method)} ${route.url} declares no staff permission`);
    }
    if (config?.staff) {
      for (const method of [route.method].flat()) {
        if (method !== 'HEAD') registry.push({ method, url: route.url, permission: config.staff.permission });
      }
    }
  });
  app.addHook('onRequest', async (request) => {
    const rule = request.routeOptions.config.staff;
    if (!rule) return;
    const staff = await staffFromCookie(ctx, request);
    if (!staff) throw new ProblemError('unauthenticated', 'Sign in to the console first');
    if (rule.permission && !staff.permissions.includes(rule.permission)) {
      throw new ProblemError('forbidden', `This needs the permission ${rule.permission}`, { permission: rule.permission });
    }
    request.staff = staff;
  });
}

export async function staffFromCookie(ctx: ServiceContext, request: FastifyRequest): Promise<StaffPrincipal | null> {
  const token = request.cookies[STAFF_SESSION_COOKIE];
  return token ? resolveSession(ctx, token) : null;
}

export function requireStaff(request: FastifyRequest): StaffPrincipal {
  if (!request.staff) throw new Error('requireStaff used on a route without a staff rule');
  return request.staff;
}
