import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { dismissDeadLetter, listDeadLetters } from '../platform/events/index.js';
import { ProblemError } from '../platform/http/index.js';
import { requireStaff, staffActor } from '../staff/index.js';

const DeadLetterSchema = Type.Object({
  consumer: Type.String(),
  eventId: Type.Number(),
  eventType: Type.String(),
  aggregateType: Type.String(),
  aggregateId: Type.String(),
  occurredAt: Type.String(),
  attempts: Type.Number(),
  lastError: Type.String(),
  deadAt: Type.String(),
});

/** The outbox consumers' dead letters: events a consumer gave up on, for staff to see and dismiss. */
export async function eventRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();

  app.get(
    '/api/console/events/dead-letters',
    {
      config: { staff: { permission: 'jobs.read' } },
      schema: {
        tags: ['system'],
        summary: 'Events a consumer gave up on after repeated handler failures, oldest first',
        response: { 200: Type.Object({ items: Type.Array(DeadLetterSchema) }) },
      },
    },
    async () => ({ items: await listDeadLetters(options.ctx.db) }),
  );

  app.post(
    '/api/console/events/dead-letters/:consumer/:eventId/dismissal',
    {
      config: { staff: { permission: 'events.manage' } },
      schema: {
        tags: ['system'],
        summary: 'Dismisses a dead letter: its event will not be handed to that consumer again',
        params: Type.Object({
          consumer: Type.String({ minLength: 1, maxLength: 200 }),
          eventId: Type.String({ pattern: '^[0-9]{1,18}$' }),
        }),
        response: { 204: Type.Null() },
      },
    },
    async (request, reply) => {
      const { consumer } = request.params;
      const eventId = Number(request.params.eventId);
      const letter = (await listDeadLetters(options.ctx.db, { limit: 10_000 })).find(
        (d) => d.consumer === consumer && d.eventId === eventId,
      );
      if (!letter || !(await dismissDeadLetter(options.ctx.db, consumer, eventId, options.ctx.clock.now())))
        throw new ProblemError('not-found', `No dead letter of ${consumer} for event ${eventId}`);
      await recordAudit(options.ctx.db, {
        at: options.ctx.clock.now(),
        actor: staffActor(request, requireStaff(request)),
        action: 'events.dead-letter.dismiss',
        target: { type: 'dead-letter', id: `${consumer}:${eventId}` },
        before: letter,
      });
      return reply.status(204).send(null);
    },
  );
}
