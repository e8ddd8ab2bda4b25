import type { FastifyInstance } from 'fastify';

/** Where every answer is about a person or a session: the portal, the console, sign-in, applications. */
const personalPrefixes = ['/api/portal/', '/api/console/', '/api/auth/', '/api/subscribers/'];

/**
 * Answers that carry personal data must not stay in a browser's or a proxy's cache, where the next
 * user of a shared computer could read them (RFC 9111 §5.2.2.5 `no-store`; `Pragma` for HTTP/1.0
 * caches). Set last, after the handler, so no route can forget it; other responses (static assets,
 * the public price list) keep their own caching.
 */
export function installNoStore(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply) => {
    const path = request.url.split('?', 1)[0]!;
    if (!personalPrefixes.some((prefix) => path.startsWith(prefix))) return;
    void reply.header('cache-control', 'no-store');
    void reply.header('pragma', 'no-cache');
  });
}
