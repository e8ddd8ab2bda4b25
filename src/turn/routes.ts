import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import type { Clock } from '../platform/clock.js';
import { ProblemError } from '../platform/http/index.js';
import { issueTurnCredentials, type TurnSettings } from './credentials.js';

export interface TurnRouteOptions {
  clock: Clock;
  /** Null when TURN is not configured: clients are told so (503) instead of getting unusable credentials. */
  settings: TurnSettings | null;
  /**
   * Who is asking, as the user part of the TURN username (a number or an id); throws a 401 problem
   * when nobody is signed in. Injected so this module does not read the subscribers' tables.
   */
  identify(request: FastifyRequest): Promise<string>;
}

const TurnCredentialsSchema = Type.Object({
  username: Type.String(),
  credential: Type.String(),
  ttl: Type.Integer(),
  urls: Type.Array(Type.String()),
});

/** Hands a signed-in subscriber's softphone short-lived TURN credentials (TURN REST scheme). */
export async function turnRoutes(parent: FastifyInstance, options: TurnRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/portal/turn-credentials',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Time-limited TURN credentials for the softphone (draft-uberti-behave-turn-rest)',
        response: { 200: TurnCredentialsSchema },
      },
    },
    async (request, reply) => {
      const user = await options.identify(request);
      if (!options.settings) {
        // Calls still work directly; only relayed ones cannot. Logged so operators notice.
        request.log.warn({ user }, 'TURN credentials requested but TURN_SECRET/TURN_URLS are not configured');
        throw new ProblemError('unavailable', 'TURN relay is not configured on this server');
      }
      const credentials = issueTurnCredentials(options.settings, user, options.clock.now());
      request.log.info({ user, expires: credentials.username.split(':')[0] }, 'issued TURN credentials');
      // The credential is a secret for its lifetime: never cached by a proxy or the browser.
      void reply.header('cache-control', 'no-store');
      return credentials;
    },
  );
}
