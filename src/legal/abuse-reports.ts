import { createHash, randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import { recordAudit } from '../audit/index.js';
import { liftSuspensions, suspendWithin } from '../entitlements/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { detectContentType, getMaskedSubscriber } from '../subscribers/index.js';
import { actorOf, type LegalStaff } from './judicial-orders.js';
import type { AbuseDecision, AbuseReportsTable } from './tables.js';

/**
 * Reports of unlawful use of the service or the client (clause 3), entered by staff with their
 * evidence (sealed like identity documents). The legal officer decides: `suspend` opens a suspension
 * with cause `abuse` (its scope and rent rule are the cause's), `dismiss` closes the report; a
 * suspension is lifted on its own (the matter is settled). Every step, and every read of evidence, is
 * audited.
 */
export interface AbuseReport {
  id: string;
  subscriberId: string;
  description: string;
  reportedAt: string;
  reportedBy: string;
  decision: AbuseDecision;
  decisionNote: string | null;
  decidedAt: string | null;
  decidedBy: string | null;
  liftedAt: string | null;
  liftedBy: string | null;
  liftReason: string | null;
  evidence: { id: string; fileName: string; contentType: string; sizeBytes: number; sha256: string }[];
}

export const MAX_EVIDENCE_FILES = 5;
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function sealContext(reportId: string, evidenceId: string): string {
  return `abuse_evidence:${reportId}:${evidenceId}`;
}

export async function reportAbuse(
  ctx: ServiceContext,
  input: { subscriberId: string; description: string; evidence: { fileName: string; contentType: string; content: Buffer }[] },
  staff: LegalStaff,
): Promise<Result<AbuseReport>> {
  const description = input.description.trim();
  if (description.length < 5)
    return fail('invalid', 'invalid-request', 'Describe what was reported', {
      fields: [{ field: 'description', message: 'at least 5 characters' }],
    });
  if (input.evidence.length > MAX_EVIDENCE_FILES) return fail('invalid', 'invalid-request', `At most ${MAX_EVIDENCE_FILES} evidence files`);
  for (const file of input.evidence) {
    if (file.content.length === 0 || file.content.length > MAX_EVIDENCE_BYTES)
      return fail('invalid', 'payload-too-large', `An evidence file must hold 1 to ${MAX_EVIDENCE_BYTES} bytes`);
    const detected = detectContentType(file.content);
    if (!detected || detected !== file.contentType.split(';')[0]!.trim().toLowerCase())
      return fail('invalid', 'unsupported-media-type', 'Evidence is a PDF, JPEG or PNG file whose content matches its declared type');
  }
  if (!uuidPattern.test(input.subscriberId)) return fail('not_found', 'not-found', 'No such subscriber');
  const subscriber = await getMaskedSubscriber(ctx, input.subscriberId);
  if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');
  const now = ctx.clock.now();
  const reportId = randomUUID();
  const files = input.evidence.map((file) => {
    const id = randomUUID();
    return {
      id,
      report_id: reportId,
      file_name: file.fileName.replace(/[^\p{L}\p{N}._ -]/gu, '_').slice(0, 200) || 'evidence',
      content_type: detectContentType(file.content)!,
      size_bytes: file.content.length,
      sha256: createHash('sha256').update(file.content).digest('hex'),
      sealed: ctx.cipher.sealBytes(file.content, sealContext(reportId, id)),
    };
  });
  await inTransaction(ctx.db, async (trx) => {
    await trx
      .insertInto('abuse_reports')
      .values({
        id: reportId,
        subscriber_id: subscriber.id,
        description,
        reported_at: now,
        reported_by_id: staff.id,
        reported_by_name: staff.username,
        decision: 'pending',
        decision_note: null,
        decided_at: null,
        decided_by_name: null,
        lifted_at: null,
        lifted_by_name: null,
        lift_reason: null,
      })
      .execute();
    if (files.length > 0) await trx.insertInto('abuse_evidence').values(files).execute();
    await recordAudit(trx, {
      at: now,
      actor: actorOf(staff),
      action: 'legal.abuse-report.create',
      target: { type: 'subscriber', id: subscriber.id },
      detail: { reportId, evidence: files.map((file) => ({ id: file.id, sha256: file.sha256, sizeBytes: file.size_bytes })) },
    });
  });
  return loadReport(ctx, reportId);
}

/** The legal officer's decision: suspend (cause `abuse`) or dismiss; a report is decided once. */
export async function decideAbuseReport(
  ctx: ServiceContext,
  input: { reportId: string; decision: 'suspend' | 'dismiss'; note: string },
  staff: LegalStaff,
): Promise<Result<AbuseReport>> {
  const note = input.note.trim();
  if (note.length < 2)
    return fail('invalid', 'invalid-request', 'State the reason for the decision', {
      fields: [{ field: 'note', message: 'required', code: 'required' }],
    });
  if (!uuidPattern.test(input.reportId)) return fail('not_found', 'not-found', 'No such report');
  const now = ctx.clock.now();
  const decided = await inTransaction(ctx.db, async (trx): Promise<Result<{ subscriberId: string }>> => {
    const report = await trx
      .selectFrom('abuse_reports')
      .select(['id', 'subscriber_id', 'decision'])
      .where('id', '=', input.reportId)
      .forUpdate()
      .executeTakeFirst();
    if (!report) return fail('not_found', 'not-found', 'No such report');
    if (report.decision !== 'pending') return fail('conflict', 'conflict', 'The report is already decided');
    await trx
      .updateTable('abuse_reports')
      .set({ decision: input.decision, decision_note: note, decided_at: now, decided_by_name: staff.username })
      .where('id', '=', report.id)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: actorOf(staff),
      action: `legal.abuse-report.${input.decision}`,
      target: { type: 'subscriber', id: report.subscriber_id },
      detail: { reportId: report.id, note },
    });
    if (input.decision === 'suspend')
      await suspendWithin(
        trx,
        ctx.settings,
        { subscriberId: report.subscriber_id, cause: 'abuse', reference: report.id },
        actorOf(staff),
        now,
      );
    return ok({ subscriberId: report.subscriber_id });
  });
  if (!decided.ok) return decided;
  return loadReport(ctx, input.reportId);
}

/** Lifts the suspension a report's decision opened. */
export async function liftAbuseSuspension(
  ctx: ServiceContext,
  input: { reportId: string; reason: string },
  staff: LegalStaff,
): Promise<Result<AbuseReport>> {
  const reason = input.reason.trim();
  if (reason.length < 2)
    return fail('invalid', 'invalid-request', 'State why it is lifted', {
      fields: [{ field: 'reason', message: 'required', code: 'required' }],
    });
  if (!uuidPattern.test(input.reportId)) return fail('not_found', 'not-found', 'No such report');
  const now = ctx.clock.now();
  const marked = await inTransaction(ctx.db, async (trx): Promise<Result<{ subscriberId: string }>> => {
    const report = await trx
      .selectFrom('abuse_reports')
      .select(['id', 'subscriber_id', 'decision', 'lifted_at'])
      .where('id', '=', input.reportId)
      .forUpdate()
      .executeTakeFirst();
    if (!report) return fail('not_found', 'not-found', 'No such report');
    if (report.decision !== 'suspend' || report.lifted_at) return fail('conflict', 'conflict', 'No suspension of this report is in force');
    await trx
      .updateTable('abuse_reports')
      .set({ lifted_at: now, lifted_by_name: staff.username, lift_reason: reason })
      .where('id', '=', report.id)
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: actorOf(staff),
      action: 'legal.abuse-report.lift',
      target: { type: 'subscriber', id: report.subscriber_id },
      detail: { reportId: report.id, reason },
    });
    return ok({ subscriberId: report.subscriber_id });
  });
  if (!marked.ok) return marked;
  await liftSuspensions(ctx, { subscriberId: marked.value.subscriberId, cause: 'abuse', reference: input.reportId }, actorOf(staff));
  return loadReport(ctx, input.reportId);
}

export async function listAbuseReports(
  ctx: ServiceContext,
  filter: { subscriberId?: string | undefined; limit: number },
  staff: LegalStaff,
): Promise<AbuseReport[]> {
  let query = ctx.db.selectFrom('abuse_reports').selectAll().orderBy('reported_at', 'desc').orderBy('id').limit(filter.limit);
  if (filter.subscriberId) query = query.where('subscriber_id', '=', filter.subscriberId);
  const rows = await query.execute();
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: actorOf(staff),
    action: 'legal.abuse-report.list',
    target: filter.subscriberId ? { type: 'subscriber', id: filter.subscriberId } : null,
    detail: { reportIds: rows.map((row) => row.id) },
  });
  return withEvidence(ctx, rows);
}

/** One evidence file, opened after its download is audited. */
export async function downloadEvidence(
  ctx: ServiceContext,
  input: { reportId: string; evidenceId: string },
  staff: LegalStaff,
): Promise<Result<{ fileName: string; contentType: string; content: Buffer }>> {
  if (!uuidPattern.test(input.reportId) || !uuidPattern.test(input.evidenceId)) return fail('not_found', 'not-found', 'No such evidence');
  const row = await ctx.db
    .selectFrom('abuse_evidence as e')
    .innerJoin('abuse_reports as r', 'r.id', 'e.report_id')
    .select(['e.id', 'e.report_id', 'e.file_name', 'e.content_type', 'e.sha256', 'e.sealed', 'r.subscriber_id'])
    .where('e.id', '=', input.evidenceId)
    .where('e.report_id', '=', input.reportId)
    .executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such evidence');
  await recordAudit(ctx.db, {
    at: ctx.clock.now(),
    actor: actorOf(staff),
    action: 'legal.abuse-report.evidence.download',
    target: { type: 'subscriber', id: row.subscriber_id },
    detail: { reportId: row.report_id, evidenceId: row.id, sha256: row.sha256 },
  });
  return ok({
    fileName: row.file_name,
    contentType: row.content_type,
    content: ctx.cipher.openBytes(row.sealed, sealContext(row.report_id, row.id)),
  });
}

async function loadReport(ctx: ServiceContext, reportId: string): Promise<Result<AbuseReport>> {
  const row = await ctx.db.selectFrom('abuse_reports').selectAll().where('id', '=', reportId).executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such report');
  return ok((await withEvidence(ctx, [row]))[0]!);
}

async function withEvidence(ctx: ServiceContext, rows: Selectable<AbuseReportsTable>[]): Promise<AbuseReport[]> {
  if (rows.length === 0) return [];
  const files = await ctx.db
    .selectFrom('abuse_evidence')
    .select(['id', 'report_id', 'file_name', 'content_type', 'size_bytes', 'sha256'])
    .where(
      'report_id',
      'in',
      rows.map((row) => row.id),
    )
    .orderBy('file_name')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    subscriberId: row.subscriber_id,
    description: row.description,
    reportedAt: row.reported_at.toISOString(),
    reportedBy: row.reported_by_name,
    decision: row.decision,
    decisionNote: row.decision_note,
    decidedAt: row.decided_at?.toISOString() ?? null,
    decidedBy: row.decided_by_name,
    liftedAt: row.lifted_at?.toISOString() ?? null,
    liftedBy: row.lifted_by_name,
    liftReason: row.lift_reason,
    evidence: files
      .filter((file) => file.report_id === row.id)
      .map((file) => ({
        id: file.id,
        fileName: file.file_name,
        contentType: file.content_type,
        sizeBytes: file.size_bytes,
        sha256: file.sha256,
      })),
  }));
}
