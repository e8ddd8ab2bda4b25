import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import type { LocationService } from './location-service.js';
import type { SipBan, SipBanList } from './sip-bans.js';

const SipBanSchema = Type.Object({
  kind: Type.Union([Type.Literal('source'), Type.Literal('username')]),
  value: Type.String(),
  since: Type.String(),
  until: Type.String(),
  failures: Type.Integer(),
  reason: Type.String(),
});

function banView(ban: SipBan) {
  return { ...ban, since: ban.since.toISOString(), until: ban.until.toISOString() };
}

/** What support staff see of a number: whether it may register and call, why not, and where it is registered. */
export async function callRoutes(
  parent: FastifyInstance,
  options: { ctx: ServiceContext; location: LocationService | null; bans?: SipBanList | null },
): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/console/numbers/:number',
    {
      // Registrations and SIP account state are network data: support and technicians (calls.read).
      config: { staff: { permission: 'calls.read' } },
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

  app.get(
    '/api/console/sip/bans',
    {
      config: { staff: { permission: 'sip.bans.read' } },
      schema: {
        tags: ['calls'],
        summary: 'Source addresses and digest usernames banned after failed SIP authentications (this node)',
        response: { 200: Type.Object({ items: Type.Array(SipBanSchema) }) },
      },
    },
    async () => ({ items: ((await options.bans?.list()) ?? []).map(banView) }),
  );

  app.delete(
    '/api/console/sip/bans/:kind/:value',
    {
      config: { staff: { permission: 'sip.bans.manage' } },
      schema: {
        tags: ['calls'],
        summary: 'Lifts a SIP ban before it expires',
        params: Type.Object({
          kind: Type.Union([Type.Literal('source'), Type.Literal('username')]),
          value: Type.String({ minLength: 1, maxLength: 200 }),
        }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { kind, value } = request.params;
      const ban = ((await options.bans?.list()) ?? []).find((candidate) => candidate.kind === kind && candidate.value === value);
      if (!ban || !(await options.bans!.lift(kind, value))) throw new ProblemError('not-found', `No ${kind} ban for ${value}`);
      await recordAudit(options.ctx.db, {
        at: options.ctx.clock.now(),
        actor: staffActor(request, requireStaff(request)),
        action: 'sip.ban.lift',
        target: { type: 'sip-ban', id: `${kind}:${value}` },
        before: banView(ban),
      });
      return reply.status(204).send(null);
    },
  );
}
