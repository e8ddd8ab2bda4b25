import { Readable } from 'node:stream';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { actionPhrase, type AuditLanguage } from './action-phrases.js';
import { listAudit, type AuditQuery, type AuditRecord } from './audit-log.js';

/**
 * Names for the ids the log holds, looked up in the modules that own them (wired by the app: audit
 * imports no module, every module imports audit). A missing name shows as the id.
 */
export interface AuditNames {
  staff(ids: string[]): Promise<Map<string, string>>;
  subscriber(ids: string[]): Promise<Map<string, string>>;
}

const noNames: AuditNames = { staff: async () => new Map(), subscriber: async () => new Map() };

const AuditRecordSchema = Type.Object({
  id: Type.String(),
  at: Type.String(),
  actorType: Type.Union([Type.Literal('staff'), Type.Literal('subscriber'), Type.Literal('system'), Type.Literal('anonymous')]),
  actorId: Type.Union([Type.String(), Type.Null()]),
  actorName: Type.Union([Type.String(), Type.Null()]),
  action: Type.String(),
  /** The action in words, in the requested language. */
  actionText: Type.String(),
  targetType: Type.Union([Type.String(), Type.Null()]),
  targetId: Type.Union([Type.String(), Type.Null()]),
  targetName: Type.Union([Type.String(), Type.Null()]),
  outcome: Type.Union([Type.Literal('success'), Type.Literal('failure')]),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  before: Type.Unknown(),
  after: Type.Unknown(),
  detail: Type.Unknown(),
});

const isoDateTime = Type.String({ format: 'date-time', maxLength: 40 });

type NamedRecord = AuditRecord & { actionText: string; targetName: string | null };

async function withNames(records: AuditRecord[], names: AuditNames, language: AuditLanguage): Promise<NamedRecord[]> {
  const idsOf = (type: string) => [
    ...new Set(
      records.flatMap((r) => [
        ...(r.actorType === type && r.actorId ? [r.actorId] : []),
        ...(r.targetType === type && r.targetId ? [r.targetId] : []),
      ]),
    ),
  ];
  const staffIds = idsOf('staff');
  const subscriberIds = idsOf('subscriber');
  const [staff, subscribers] = await Promise.all([
    staffIds.length ? names.staff(staffIds) : new Map<string, string>(),
    subscriberIds.length ? names.subscriber(subscriberIds) : new Map<string, string>(),
  ]);
  const nameOf = (type: string | null, id: string | null) =>
    id === null ? null : type === 'staff' ? (staff.get(id) ?? null) : type === 'subscriber' ? (subscribers.get(id) ?? null) : null;
  return records.map((r) => ({
    ...r,
    actorName: nameOf(r.actorType, r.actorId) ?? r.actorName,
    actionText: actionPhrase(r.action, language),
    targetName: nameOf(r.targetType, r.targetId),
  }));
}

const csvHeadings: Record<AuditLanguage, string[]> = {
  'zh-CN': ['时间', '操作人类型', '操作人', '操作人编号', '操作', '操作代码', '对象类型', '对象', '对象编号', '结果', 'IP'],
  en: ['Time', 'Actor type', 'Actor', 'Actor id', 'Action', 'Action code', 'Target type', 'Target', 'Target id', 'Outcome', 'IP'],
};
const outcomeWords: Record<AuditLanguage, Record<'success' | 'failure', string>> = {
  'zh-CN': { success: '成功', failure: '失败' },
  en: { success: 'success', failure: 'failure' },
};

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function csvField(value: string | null): string {
  let text = value ?? '';
  if (/^[=+\-@\t\r]/.test(text)) text = "'" + text;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvLine(fields: (string | null)[]): string {
  return fields.map(csvField).join(',') + '\r\n';
}

const csvPage = 500;

/** The whole filtered log, page by page (keyset on id), so memory stays flat however long it is. */
async function* csvRows(ctx: ServiceContext, query: Omit<AuditQuery, 'limit' | 'beforeId'>, names: AuditNames, language: AuditLanguage) {
  yield '\uFEFF' + csvLine(csvHeadings[language]);
  let beforeId: number | undefined;
  for (;;) {
    const page = await listAudit(ctx.db, { ...query, limit: csvPage, ...(beforeId !== undefined ? { beforeId } : {}) });
    if (page.length === 0) return;
    for (const r of await withNames(page, names, language)) {
      yield csvLine([
        r.at,
        r.actorType,
        r.actorName,
        r.actorId,
        r.actionText,
        r.action,
        r.targetType,
        r.targetName,
        r.targetId,
        outcomeWords[language][r.outcome],
        r.ip,
      ]);
    }
    if (page.length < csvPage) return;
    beforeId = Number(page[page.length - 1]!.id);
  }
}

export async function auditRoutes(parent: FastifyInstance, options: { ctx: ServiceContext; names?: AuditNames }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const names = options.names ?? noNames;
  app.get(
    '/api/console/audit',
    {
      config: { staff: { permission: 'audit.read' } },
      schema: {
        tags: ['audit'],
        summary: 'Read the audit log, newest first; `format=csv` streams the whole filtered log as CSV (UTF-8 with BOM)',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
          beforeId: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          actorId: Type.Optional(Type.String({ maxLength: 100 })),
          actor: Type.Optional(Type.String({ maxLength: 100 })),
          targetType: Type.Optional(Type.String({ maxLength: 100 })),
          targetId: Type.Optional(Type.String({ maxLength: 100 })),
          from: Type.Optional(isoDateTime),
          to: Type.Optional(isoDateTime),
          lang: Type.Union([Type.Literal('zh-CN'), Type.Literal('en')], { default: 'zh-CN' }),
          format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(AuditRecordSchema),
            /** Pass as `beforeId` for the next (older) page; null on the last page. */
            nextBeforeId: Type.Union([Type.Integer(), Type.Null()]),
          }),
        },
      },
    },
    async (request, reply) => {
      const { limit, beforeId, action, actorId, actor, targetType, targetId, from, to, lang, format } = request.query;
      const filter: Omit<AuditQuery, 'limit' | 'beforeId'> = {
        ...(action ? { action } : {}),
        ...(actorId ? { actorId } : {}),
        ...(actor ? { actor } : {}),
        ...(targetType ? { target: { type: targetType, ...(targetId ? { id: targetId } : {}) } } : {}),
        ...(from ? { from: new Date(from) } : {}),
        ...(to ? { to: new Date(to) } : {}),
      };
      if (format === 'csv') {
        const stamp = options.ctx.clock.now().toISOString().slice(0, 10);
        return (
          reply
            .header('content-type', 'text/csv; charset=utf-8')
            .header('content-disposition', `attachment; filename="audit-${stamp}.csv"`)
            // A stream skips the response schema's serializer; the schema describes the JSON form only.
            .send(Readable.from(csvRows(options.ctx, filter, names, lang)) as unknown as { items: []; nextBeforeId: null })
        );
      }
      const page = await listAudit(options.ctx.db, { ...filter, limit: limit + 1, ...(beforeId !== undefined ? { beforeId } : {}) });
      const items = await withNames(page.slice(0, limit), names, lang);
      return { items, nextBeforeId: page.length > limit ? Number(items[items.length - 1]!.id) : null };
    },
  );
}
