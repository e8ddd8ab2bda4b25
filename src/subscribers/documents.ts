import { createHash, randomUUID } from 'node:crypto';
import { listAudit, recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Executor } from '../platform/db/index.js';
import { appendEvent } from '../platform/events/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { minimumPurposeLength, recordReveal } from './identity.js';
import type { SubscriberStatus } from './tables.js';

/**
 * Copies of an ID or business licence that a reviewer asked for (agreement clause 1). The content is
 * checked by its first bytes (the declared type must agree), sealed with the field cipher bound to
 * the subscriber and the document, and shown to staff only like an identity value: with the
 * permission, a stated purpose and a reveal record written first. Content never enters the audit
 * trail, events or logs; only its size, type and SHA-256 do.
 *
 * Status: a request moves the subscriber to `documents_requested` (waiting for the subscriber); the
 * first upload moves them back to `applied` (waiting for a reviewer), and the queue shows when
 * documents arrived. While `applied` with documents on file the subscriber may add more (the back of
 * the ID card, say); a subscriber who was never asked, or is already decided, cannot upload.
 */
export const documentKinds = ['id-front', 'id-back', 'business-licence', 'other'] as const;
export type DocumentKind = (typeof documentKinds)[number];

export const documentContentTypes = ['image/jpeg', 'image/png', 'application/pdf'] as const;
export type DocumentContentType = (typeof documentContentTypes)[number];

export const maxDocumentBytes = 5 * 1024 * 1024;

const signatures: { type: DocumentContentType; bytes: number[] }[] = [
  { type: 'image/jpeg', bytes: [0xff, 0xd8, 0xff] },
  { type: 'image/png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
  { type: 'application/pdf', bytes: [...Buffer.from('%PDF-', 'latin1')] },
];

/** What the content is by its magic bytes, whatever the request claimed; null if none we accept. */
export function detectContentType(content: Uint8Array): DocumentContentType | null {
  const match = signatures.find((s) => s.bytes.length <= content.length && s.bytes.every((byte, i) => content[i] === byte));
  return match?.type ?? null;
}

export interface DocumentMetadata {
  id: string;
  kind: string;
  contentType: string;
  sizeBytes: number;
  sha256: string;
  uploadedAt: string;
}

function sealContext(subscriberId: string, documentId: string): string {
  return `subscriber_documents:${subscriberId}:${documentId}`;
}

/** A subscriber uploads one document they were asked for. */
export async function uploadDocument(
  ctx: ServiceContext,
  input: { subscriberId: string; kind: DocumentKind; declaredContentType: string; content: Buffer },
  actor: Actor,
): Promise<Result<DocumentMetadata & { status: SubscriberStatus }>> {
  const { content } = input;
  if (content.length === 0) {
    return fail('invalid', 'invalid-request', 'The document is empty', { fields: [{ field: 'body', message: 'empty', code: 'required' }] });
  }
  if (content.length > maxDocumentBytes) return fail('invalid', 'payload-too-large', `A document may be at most ${maxDocumentBytes} bytes`);
  const declared = input.declaredContentType.split(';')[0]!.trim().toLowerCase();
  const detected = detectContentType(content);
  if (!detected || detected !== declared) {
    return fail('invalid', 'unsupported-media-type', 'Upload a JPEG, PNG or PDF file; its content must match its declared type', {
      extra: { accepted: documentContentTypes },
    });
  }
  const documentId = randomUUID();
  // Sealing several megabytes is CPU work: done before the transaction holds a connection.
  const sealed = ctx.cipher.sealBytes(content, sealContext(input.subscriberId, documentId));
  const sha256 = createHash('sha256').update(content).digest('hex');
  const now = ctx.clock.now();
  type Uploaded = DocumentMetadata & { status: SubscriberStatus };
  return ctx.db.transaction().execute(async (trx): Promise<Result<Uploaded>> => {
    const subscriber = await trx
      .selectFrom('subscribers')
      .select(['id', 'status'])
      .where('id', '=', input.subscriberId)
      .forUpdate()
      .executeTakeFirst();
    if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');
    const onFile = await countDocuments(trx, subscriber.id);
    const asked = subscriber.status === 'documents_requested' || (subscriber.status === 'applied' && onFile > 0);
    if (!asked) return fail('conflict', 'conflict', `No documents were asked for (the application is ${subscriber.status})`);
    await trx
      .insertInto('subscriber_documents')
      .values({
        id: documentId,
        subscriber_id: subscriber.id,
        kind: input.kind,
        content_type: detected,
        size_bytes: content.length,
        sha256,
        sealed,
        uploaded_at: now,
      })
      .execute();
    const status: SubscriberStatus = 'applied';
    if (subscriber.status !== status) {
      await trx.updateTable('subscribers').set({ status, updated_at: now }).where('id', '=', subscriber.id).execute();
    }
    await recordAudit(trx, {
      at: now,
      actor,
      action: 'subscriber.document.upload',
      target: { type: 'subscriber', id: subscriber.id },
      before: { status: subscriber.status },
      after: { status },
      detail: { documentId, kind: input.kind, contentType: detected, sizeBytes: content.length, sha256 },
    });
    await appendEvent(trx, {
      type: 'subscriber.documents-received',
      aggregateType: 'subscriber',
      aggregateId: subscriber.id,
      payload: { documentId, kind: input.kind },
      occurredAt: now,
    });
    return ok({
      id: documentId,
      kind: input.kind,
      contentType: detected,
      sizeBytes: content.length,
      sha256,
      uploadedAt: now.toISOString(),
      status,
    });
  });
}

async function countDocuments(executor: Executor, subscriberId: string): Promise<number> {
  const row = await executor
    .selectFrom('subscriber_documents')
    .select((eb) => eb.fn.countAll<string>().as('count'))
    .where('subscriber_id', '=', subscriberId)
    .executeTakeFirstOrThrow();
  return Number(row.count);
}

/** Documents on file for a subscriber, newest first: metadata only. */
export async function listDocuments(ctx: ServiceContext, subscriberId: string): Promise<DocumentMetadata[]> {
  const rows = await ctx.db
    .selectFrom('subscriber_documents')
    .select(['id', 'kind', 'content_type', 'size_bytes', 'sha256', 'uploaded_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('uploaded_at', 'desc')
    .orderBy('id')
    .execute();
  return rows.map((row) => ({
    id: row.id,
    kind: row.kind,
    contentType: row.content_type,
    sizeBytes: row.size_bytes,
    sha256: row.sha256,
    uploadedAt: row.uploaded_at.toISOString(),
  }));
}

/** When each subscriber's latest document arrived (for the verification queue). */
export async function latestDocumentUploads(executor: Executor, subscriberIds: string[]): Promise<Map<string, Date>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await executor
    .selectFrom('subscriber_documents')
    .select(['subscriber_id', (eb) => eb.fn.max('uploaded_at').as('latest')])
    .where('subscriber_id', 'in', subscriberIds)
    .groupBy('subscriber_id')
    .execute();
  return new Map(rows.map((row) => [row.subscriber_id, new Date(row.latest)]));
}

const uuidPattern = /^[0-9a-f-]{36}$/i;

/**
 * Shows a document's content to a staff member who holds `identity.reveal` (checked by the route)
 * and states why; the reveal (field `document:<kind>`) is recorded before the content is opened.
 */
export async function viewDocument(
  ctx: ServiceContext,
  request: {
    subscriberId: string;
    documentId: string;
    purpose: string;
    staff: { id: string; username: string };
    ip: string | null;
  },
): Promise<Result<{ kind: string; contentType: string; content: Buffer }>> {
  const purpose = request.purpose.trim();
  if (purpose.length < minimumPurposeLength) {
    return fail('invalid', 'invalid-request', `State the purpose of this view (at least ${minimumPurposeLength} characters)`, {
      fields: [{ field: 'purpose', message: 'required', code: 'required' }],
    });
  }
  if (!uuidPattern.test(request.subscriberId) || !uuidPattern.test(request.documentId))
    return fail('not_found', 'not-found', 'No such document');
  const row = await ctx.db
    .selectFrom('subscriber_documents')
    .select(['id', 'subscriber_id', 'kind', 'content_type', 'sealed'])
    .where('id', '=', request.documentId)
    .where('subscriber_id', '=', request.subscriberId)
    .executeTakeFirst();
  if (!row) return fail('not_found', 'not-found', 'No such document');
  const field = `document:${row.kind}`;
  await recordReveal(ctx, {
    subscriberId: row.subscriber_id,
    field,
    purpose,
    staff: request.staff,
    ip: request.ip,
    action: 'subscriber.document.view',
    detail: { documentId: row.id, field, purpose },
  });
  return ok({
    kind: row.kind,
    contentType: row.content_type,
    content: ctx.cipher.openBytes(row.sealed, sealContext(row.subscriber_id, row.id)),
  });
}

/**
 * Where the application stands, for the applicant: the status and the latest reviewer decision
 * with the reason the reviewer gave (the subscriber is told why documents are wanted).
 */
export async function verificationStatusOf(
  ctx: ServiceContext,
  subscriberId: string,
): Promise<{ status: SubscriberStatus; decision: string | null; reason: string | null; decidedAt: string | null }> {
  const row = await ctx.db.selectFrom('subscribers').select('status').where('id', '=', subscriberId).executeTakeFirstOrThrow();
  const [latest] = await listAudit(ctx.db, {
    limit: 1,
    action: 'subscriber.verification.',
    target: { type: 'subscriber', id: subscriberId },
  });
  const reason = (latest?.detail as { reason?: unknown } | null | undefined)?.reason;
  return {
    status: row.status,
    decision: latest ? latest.action.slice('subscriber.verification.'.length) : null,
    reason: typeof reason === 'string' ? reason : null,
    decidedAt: latest?.at ?? null,
  };
}
