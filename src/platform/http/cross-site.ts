import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ProblemError } from './problems.js';

/** Methods that change something; a browser sends them cross-site only through forms or fetch. */
const unsafeMethods = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Refuses changes a browser sends on behalf of another site (cross-site request forgery, including
 * login CSRF). Session cookies are SameSite=Strict, but that alone leaves same-site origins
 * (sibling subdomains) and older browsers; the browser's own headers say where a request comes from:
 * `Origin` (RFC 6454 §7, sent on every non-GET fetch and form post) and `Sec-Fetch-Site` (Fetch
 * Metadata). A request carrying neither is not from a browser page (curl, a provider's webhook) and
 * carries no ambient cookie of a victim, so it passes.
 */
export function installCrossSiteRefusal(app: FastifyInstance, options: { allowedOrigins: readonly string[] }): void {
  const allowed = new Set(options.allowedOrigins);
  app.addHook('onRequest', async (request) => {
    if (!unsafeMethods.has(request.method)) return;
    const origin = request.headers.origin;
    if (origin !== undefined) {
      if (allowed.has(origin) || ownOrigins(request).includes(origin)) return;
      request.log.warn({ origin, host: request.host }, 'refused a change sent from another origin');
      throw new ProblemError('cross-site-request', `Changes are not accepted from ${origin.slice(0, 200)}`);
    }
    const site = request.headers['sec-fetch-site'];
    // `same-site` is a sibling origin (another subdomain): as untrusted as any other site.
    if (site === 'cross-site' || site === 'same-site') {
      request.log.warn({ site, host: request.host }, 'refused a change sent from another site');
      throw new ProblemError('cross-site-request', 'Changes are not accepted from another site');
    }
  });
}

/**
 * The origins this request reached us at, from Host (or X-Forwarded-Host and X-Forwarded-Proto under
 * TRUST_PROXY). The https origin of our own host is ours too: a TLS-terminating proxy that does not
 * say so still serves our pages over https, and no one else can serve https on our host name.
 */
function ownOrigins(request: FastifyRequest): string[] {
  const origins: string[] = [];
  for (const scheme of new Set([request.protocol, 'https'])) {
    try {
      origins.push(new URL(`${scheme}://${request.host}`).origin);
    } catch {
      // A Host header that is no host name: nothing matches it.
    }
  }
  return origins;
}
