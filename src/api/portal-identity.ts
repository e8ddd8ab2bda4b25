import type { FastifyRequest } from 'fastify';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import { requireSubscriber } from '../portal-auth/index.js';

/**
 * The signed-in subscriber's numbers, for the modules that only need those (softphone TURN
 * credentials, call history, quality reports): they get a function, not the subscribers' tables.
 * Routes using it declare `config: { portal: true }`, so the portal guard has resolved the session.
 */
export function portalNumbersOf(ctx: ServiceContext): (request: FastifyRequest) => Promise<string[]> {
  return async (request) => numbersOfSubscriber(ctx.db, requireSubscriber(request).subscriberId);
}

/** The TURN username's user part: the subscriber's first number (visible on the wire, never a secret). */
export function portalTurnUserOf(ctx: ServiceContext): (request: FastifyRequest) => Promise<string> {
  const numbersOf = portalNumbersOf(ctx);
  return async (request) => {
    const [first] = await numbersOf(request);
    if (!first) throw new ProblemError('forbidden', 'No number is assigned to this account yet');
    return first;
  };
}
