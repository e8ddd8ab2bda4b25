import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/problems.js';
import type { LocationService } from './location-service.js';

/** What support staff see of a number: whether it may register and call, why not, and where it is registered. */
export async function callRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; location: LocationService | null },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/console/numbers/:number',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['calls'],
        summary: "A number's SIP account state, the reason it is not active, and its registrations",
        params: Type.Object({ number: Type.String({ pattern: '^[0-9]{1,20}$' }) }),
        response: {
          200: Type.Object({
            number: Type.String(),
            status: Type.String(),
            statusReason: Type.Union([Type.String(), Type.Null()]),
            registrations: Type.Array(
              Type.Object({
                contact: Type.String(),
                transport: Type.String(),
                userAgent: Type.Union([Type.String(), Type.Null()]),
                expiresAt: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { number } = request.params;
      const account = await options.ctx.db
        .selectFrom('sip_accounts')
        .select(['number', 'status', 'status_reason'])
        .where('number', '=', number)
        .executeTakeFirst();
      if (!account) throw new ProblemError('not-found', `No SIP account for ${number}`);
      const now = options.ctx.clock.now().getTime();
      return {
        number,
        status: account.status,
        statusReason: account.status_reason,
        registrations: (options.location?.lookup(number, now) ?? []).map((binding) => ({
          contact: binding.contact,
          transport: binding.flow.protocol,
          userAgent: binding.userAgent,
          expiresAt: new Date(binding.expiresAt).toISOString(),
        })),
      };
    },
  );
}
