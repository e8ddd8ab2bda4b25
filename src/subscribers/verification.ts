import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { inTransaction } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { suspendWithin } from '../entitlements/index.js';
import { activateIfReady } from './activation.js';
import { latestDocumentUploads } from './documents.js';
import type { SubscriberKind, SubscriberStatus } from './tables.js';

/**
 * The reviewer's decisions on an application (agreement clause 1): approve, reject with a reason,
 * ask for a copy of the ID or licence, and later suspend an active subscriber found to have given
 * false data. Each decision is one transition of this table, audited, and announced on the outbox
 * so the subscriber is told.
 */
export type VerificationDecision = 'approve' | 'reject' | 'request-documents' | 'suspend-false-data';

const transitions: Record<VerificationDecision, { from: SubscriberStatus[]; to: SubscriberStatus }> = {
  approve: { from: ['applied', 'documents_requested'], to: 'approved' },
  reject: { from: ['applied', 'documents_requested'], to: 'rejected' },
  'request-documents': { from: ['applied'], to: 'documents_requested' },
  // The suspension itself is a blocking record (entitlements); the status follows from it.
  'suspend-false-data': { from: ['active', 'suspended'], to: 'suspended' },
};

export interface DecisionInput {
  subscriberId: string;
  decision: VerificationDecision;
  /** Required for reject, request-documents and suspend-false-data: the subscriber reads it. */
  reason?: string | undefined;
}

export async function decideOnSubscriber(
  ctx: ServiceContext,
  input: DecisionInput,
  actor: Actor,
  options: { sipDomain: string },
): Promise<Result<{ id: string; status: SubscriberStatus }>> {
  const decided = await recordDecision(ctx, input, actor);
  if (!decided.ok) return decided;
  if (input.decision === 'approve') {
    // Service starts when verified and signed (clause 17); a subscriber who signed first starts now.
    const activation = await activateIfReady(ctx, decided.value.id, options.sipDomain, actor);
    if (!activation.ok) return activation;
    if (activation.value.activated) return ok({ id: decided.value.id, status: 'active' });
  }
  return decided;
}

async function recordDecision(
  ctx: ServiceContext,
  input: DecisionInput,
  actor: Actor,
): Promise<Result<{ id: string; status: SubscriberStatus }>> {
  const rule = transitions[input.decision];
  const reason = input.reason?.trim() ?? '';
  if (input.decision !== 'approve' && reason.length < 5) {
    return fail('invalid', 'invalid-request', 'Give the subscriber a reason', {
      fields: [{ field: 'reason', message: 'required, at least 5 characters' }],
    });
  }
  if (!/^[0-9a-f-]{36}$/i.test(input.subscriberId)) return fail('not_found', 'not-found', 'No such subscriber');
  const now = ctx.clock.now();
  return inTransaction(ctx.db, async (trx) => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['id', 'status'])
      .where('id', '=', input.subscriberId)
      .forUpdate()
      .executeTakeFirst();
    if (!subscriber) return fail<{ id: string; status: SubscriberStatus }>('not_found', 'not-found', 'No such subscriber');
    if (!rule.from.includes(subscriber.status)) {
      return fail<{ id: string; status: SubscriberStatus }>(
        'conflict',
        'conflict',
        `Cannot ${input.decision} a subscriber who is ${subscriber.status}`,
      );
    }
    if (input.decision === 'suspend-false-data') {
      // The blocking record commits with the decision: no "suspended" event or audit without it.
      await suspendWithin(trx, ctx.settings, { subscriberId: subscriber.id, cause: 'false-data', reason }, actor, now);
    } else {
      await trx.updateTable('subscribers').set({ status: rule.to, updated_at: now }).where('id', '=', subscriber.id).execute();
    }
    await recordAudit(trx, {
      at: now,
      actor,
      action: `subscriber.verification.${input.decision}`,
      target: { type: 'subscriber', id: subscriber.id },
      before: { status: subscriber.status },
      after: { status: rule.to },
      ...(reason ? { detail: { reason } } : {}),
    });
    await appendEvent(trx, {
      type: `subscriber.${rule.to}`,
      aggregateType: 'subscriber',
      aggregateId: subscriber.id,
      payload: { decision: input.decision, ...(reason ? { reason } : {}) },
      occurredAt: now,
    });
    return ok({ id: subscriber.id, status: rule.to });
  });
}

/**
 * Applications waiting for a reviewer, oldest first. `documents_requested` waits for the applicant;
 * `applied` with `documentsReceivedAt` set is an application whose asked-for documents arrived.
 */
export async function verificationQueue(
  ctx: ServiceContext,
  limit: number,
): Promise<{ id: string; kind: SubscriberKind; status: SubscriberStatus; createdAt: string; documentsReceivedAt: string | null }[]> {
  const rows = await ctx.db
    .selectFrom('subscribers')
    .select(['id', 'kind', 'status', 'created_at'])
    .where('status', 'in', ['applied', 'documents_requested'])
    .orderBy('created_at')
    .limit(limit)
    .execute();
  const documents = await latestDocumentUploads(
    ctx.db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    status: row.status,
    createdAt: row.created_at.toISOString(),
    documentsReceivedAt: documents.get(row.id)?.toISOString() ?? null,
  }));
}
