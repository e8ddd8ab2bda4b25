import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import Type from 'typebox';
import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { listDeliveries, retryDelivery, type DeliveryView } from './delivery.js';
import { listNotices, loadNotice, markNoticeRead, unreadCount, type Notice } from './notices.js';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
const Kind = Type.String({
  description: 'terms-change, dunning-warning, suspension, restoration, bill-issued, credit-alert, dispute-answer, maintenance, service',
});
const DeliveryStatusSchema = Type.Union([
  Type.Literal('pending'),
  Type.Literal('sent'),
  Type.Literal('failed'),
  Type.Literal('dead'),
  Type.Literal('skipped'),
]);

const NoticeSummary = Type.Object({
  id: Type.String(),
  kind: Kind,
  urgency: Type.Union([Type.Literal('normal'), Type.Literal('urgent')]),
  title: Type.String(),
  link: Nullable(Type.String()),
  createdAt: Type.String({ format: 'date-time' }),
  readAt: Nullable(Type.String({ format: 'date-time' })),
});
const NoticeFull = Type.Object({ ...NoticeSummary.properties, body: Type.String(), language: Language });

const DeliverySchema = Type.Object({
  id: Type.String(),
  noticeId: Type.String(),
  subscriberId: Type.String(),
  kind: Kind,
  title: Type.Object({ en: Type.String(), 'zh-CN': Type.String() }),
  channel: Type.Union([Type.Literal('email'), Type.Literal('sip'), Type.Literal('sms')]),
  status: DeliveryStatusSchema,
  attempts: Type.Integer(),
  nextAttemptAt: Nullable(Type.String({ format: 'date-time' })),
  lastError: Nullable(Type.String()),
  sentAt: Nullable(Type.String({ format: 'date-time' })),
  recipient: Nullable(Type.String()),
  updatedAt: Type.String({ format: 'date-time' }),
});

/** The reader's language: `?lang=`, else the browser's Accept-Language, else Chinese. */
function readerLanguage(request: FastifyRequest, asked: 'zh-CN' | 'en' | undefined): 'zh-CN' | 'en' {
  if (asked) return asked;
  const accept = String(request.headers['accept-language'] ?? '').toLowerCase();
  return accept.startsWith('en') ? 'en' : 'zh-CN';
}

function summary(notice: Notice, language: 'zh-CN' | 'en') {
  return {
    id: notice.id,
    kind: notice.kind,
    urgency: notice.urgency,
    title: notice.title[language],
    link: notice.link,
    createdAt: notice.createdAt.toISOString(),
    readAt: notice.readAt?.toISOString() ?? null,
  };
}

const full = (notice: Notice, language: 'zh-CN' | 'en') => ({ ...summary(notice, language), body: notice.body[language], language });

/** The portal inbox (the subscriber's own notices) and the console's view of deliveries in trouble. */
export async function noticeRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const LangQuery = Type.Object({ lang: Type.Optional(Language) });

  // ── The subscriber ─────────────────────────────────────────────────────────────────────────────
  app.get(
    '/api/portal/notices',
    {
      config: { portal: true },
      schema: {
        tags: ['notices'],
        summary: 'My notices, newest first, with how many I have not read',
        querystring: LangQuery,
        response: { 200: Type.Object({ unreadCount: Type.Integer(), notices: Type.Array(NoticeSummary) }) },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const language = readerLanguage(request, request.query.lang);
      const [notices, unread] = await Promise.all([listNotices(ctx.db, subscriberId), unreadCount(ctx.db, subscriberId)]);
      return reply.header('cache-control', 'no-store').send({ unreadCount: unread, notices: notices.map((n) => summary(n, language)) });
    },
  );
  app.get(
    '/api/portal/notices/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['notices'],
        summary: 'One of my notices, its full text in my language (reading it does not mark it read: POST …/read does)',
        params: Type.Object({ id: Type.String() }),
        querystring: LangQuery,
        response: { 200: NoticeFull },
      },
    },
    async (request, reply) => {
      const notice = await loadNotice(ctx.db, requireSubscriber(request).subscriberId, request.params.id);
      if (!notice) throw new ProblemError('not-found', 'No such notice');
      return reply.header('cache-control', 'no-store').send(full(notice, readerLanguage(request, request.query.lang)));
    },
  );
  app.post(
    '/api/portal/notices/:id/read',
    {
      config: { portal: true },
      schema: {
        tags: ['notices'],
        summary: 'Read receipt: the first one counts, a second changes nothing',
        params: Type.Object({ id: Type.String() }),
        querystring: LangQuery,
        response: { 200: NoticeFull },
      },
    },
    async (request) => {
      const notice = await markNoticeRead(ctx.db, requireSubscriber(request).subscriberId, request.params.id, ctx.clock.now());
      if (!notice) throw new ProblemError('not-found', 'No such notice');
      return full(notice, readerLanguage(request, request.query.lang));
    },
  );

  // ── Staff: deliveries that failed or were given up ────────────────────────────────────────────
  // notices.publish: every role with events.manage holds it too.
  const staffOnly = { staff: { permission: 'notices.publish' as const } };
  app.get(
    '/api/console/notice-deliveries',
    {
      config: staffOnly,
      schema: {
        tags: ['notices'],
        summary: 'Notice deliveries by status (default: failed and dead), most recently changed first',
        querystring: Type.Object({ status: Type.Optional(DeliveryStatusSchema) }),
        response: { 200: Type.Object({ deliveries: Type.Array(DeliverySchema) }) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ deliveries: await listDeliveries(ctx.db, request.query.status ? { statuses: [request.query.status] } : {}) }),
  );
  app.post(
    '/api/console/notice-deliveries/:id/retry',
    {
      config: staffOnly,
      schema: {
        tags: ['notices'],
        summary: 'Try a failed or dead delivery again on the next pass of notices.deliver (audited)',
        params: Type.Object({ id: Type.String() }),
        response: { 200: DeliverySchema },
      },
    },
    async (request) => {
      const actor = staffActor(request, requireStaff(request));
      const now = ctx.clock.now();
      const retried = await ctx.db.transaction().execute(async (trx): Promise<DeliveryView | null> => {
        const view = await retryDelivery(trx, request.params.id, now);
        if (view)
          await recordAudit(trx, {
            at: now,
            actor,
            action: 'notices.delivery.retry',
            target: { type: 'notice_delivery', id: view.id },
            detail: { channel: view.channel, subscriberId: view.subscriberId, attempts: view.attempts },
          });
        return view;
      });
      if (!retried) throw new ProblemError('not-found', 'No failed or dead delivery with this id');
      return retried;
    },
  );
}
