import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { assignQueueItem, queueAssignees, queueCounts, queuePage, type AssigneeFilter } from './assignments.js';
import { workQueues } from './queues.js';

const Uuid = Type.String({ format: 'uuid' });
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const AssigneeSchema = Type.Object({ id: Type.String(), name: Type.String() });

const QueueItemSchema = Type.Object({
  id: Type.String(),
  subscriberId: Nullable(Type.String()),
  stage: Type.String(),
  since: Type.String(),
  amountFen: Nullable(Type.Integer()),
  assignee: Nullable(AssigneeSchema),
});

function assigneeFilter(value: string | undefined, staffId: string): AssigneeFilter {
  if (value === undefined || value === 'anyone') return { kind: 'anyone' };
  if (value === 'unassigned') return { kind: 'unassigned' };
  return { kind: 'staff', staffId: value === 'me' ? staffId : value };
}

/**
 * The work queues (verification, overdue accounts, disputes, negotiation cases, warranty claims,
 * failed notice deliveries): counts for the nav, pages with filters, and assignment. Each queue's
 * routes carry the permission of the work it holds.
 */
export async function workQueueRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/console/queues',
    {
      config: { staff: { permission: null } },
      schema: {
        tags: ['queues'],
        summary: 'The queues the member may work, each with its open items and how many are theirs',
        response: {
          200: Type.Object({
            queues: Type.Array(Type.Object({ name: Type.String(), open: Type.Integer(), mine: Type.Integer() })),
          }),
        },
      },
    },
    async (request) => {
      const staff = requireStaff(request);
      const mayWork = workQueues.filter((queue) => staff.permissions.includes(queue.permission));
      const counts = await Promise.all(mayWork.map(async (queue) => ({ name: queue.name, ...(await queueCounts(ctx, queue, staff.id)) })));
      return { queues: counts };
    },
  );

  for (const queue of workQueues) {
    app.get(
      `/api/console/queues/${queue.name}`,
      {
        config: { staff: { permission: queue.permission } },
        schema: {
          tags: ['queues'],
          summary: `One page of the ${queue.name} queue, filtered by stage and assignee`,
          querystring: Type.Object(
            {
              stage: Type.Optional(Type.Union(queue.stages.map((stage) => Type.Literal(stage)))),
              assignee: Type.Optional(
                Type.Union([Type.Literal('anyone'), Type.Literal('me'), Type.Literal('unassigned'), Uuid], {
                  description: 'anyone (default), me, unassigned, or a colleague’s id',
                }),
              ),
              offset: Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 }),
              limit: Type.Integer({ minimum: 1, maximum: 100, default: 25 }),
            },
            { additionalProperties: false },
          ),
          response: {
            200: Type.Object({
              queue: Type.String(),
              stages: Type.Array(Type.String()),
              total: Type.Integer(),
              offset: Type.Integer(),
              limit: Type.Integer(),
              items: Type.Array(QueueItemSchema),
            }),
          },
        },
      },
      async (request) => {
        const staff = requireStaff(request);
        const { stage, assignee, offset, limit } = request.query;
        const page = await queuePage(ctx, queue, { stage, assignee: assigneeFilter(assignee, staff.id), offset, limit });
        return { queue: queue.name, stages: [...queue.stages], total: page.total, offset, limit, items: page.items };
      },
    );

    app.get(
      `/api/console/queues/${queue.name}/assignees`,
      {
        config: { staff: { permission: queue.permission } },
        schema: {
          tags: ['queues'],
          summary: `Colleagues who may work the ${queue.name} queue`,
          response: { 200: Type.Object({ assignees: Type.Array(AssigneeSchema) }) },
        },
      },
      async () => ({ assignees: await queueAssignees(ctx, queue) }),
    );

    app.put(
      `/api/console/queues/${queue.name}/:id/assignee`,
      {
        config: { staff: { permission: queue.permission } },
        schema: {
          tags: ['queues'],
          summary: `Assign an item of the ${queue.name} queue to a colleague (or to no one)`,
          params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
          body: Type.Object({ assigneeId: Nullable(Uuid) }, { additionalProperties: false }),
          response: { 200: QueueItemSchema },
        },
      },
      async (request) => {
        const staff = requireStaff(request);
        const result = await assignQueueItem(ctx, queue, request.params.id, request.body.assigneeId, staffActor(request, staff));
        if (!result.ok) throw failureToProblem(result.failure);
        return result.value;
      },
    );
  }
}
