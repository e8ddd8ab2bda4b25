import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { listAudit } from './audit-log.js';

const AuditRecordSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorType: Type.Union([Type.Literal('staff'), Type.Literal('subscriber'), Type.Literal('system'), Type.Literal('anonymous')]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Type.Unknown(),
});

export async function auditRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/api/console/audit',
    {
      config: { staff: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          beforeId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actorId: Type.Optional(Type.String({ maxLength: 100 })),
          targetType: Type.Optional(Type.String({ maxLength: 100 })),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
        }),
        response: { 200: Type.Object({ items: Type.Array(AuditRecordSchema) }) },
      },
    },
    async (request) => {
      const { limit, beforeId, action, actorId, targetType, targetId } = request.query;
      const items = await listAudit(options.ctx.db, {
        limit,
        ...(beforeId !== undefined ? { beforeId } : {}),
        ...(action ? { action } : {}),
        ...(actorId ? { actorId } : {}),
        ...(targetType ? { target: { type: targetType, ...(targetId ? { id: targetId } : {}) } } : {}),
      });
      return { items };
    },
  );
}
