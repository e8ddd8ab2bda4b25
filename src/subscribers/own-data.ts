import type { ServiceContext } from '../platform/context.js';
import { revealOwnIdentity, type IdentityData } from './identity.js';
import { currentOrder } from './orders.js';
import { listLegalRequests } from './legal-requests.js';

/**
 * Subscribers' part of what the operator holds about a subscriber (clause 1; PIPL art. 45): identity
 * in clear, the order, documents on file (not their content), every time staff saw an identity value
 * with the stated purpose, and disclosures under a legal request. The personal-data module puts it
 * together with the other modules' parts.
 */
export interface SubscriberOwnData {
  subscriber: { id: string; kind: string; status: string; createdAt: string; activatedAt: string | null; terminatedAt: string | null };
  identity: IdentityData;
  order: { plan: string; planVersionFrom: string; monthlyRentFen: number; creditLimitFen: number; terminal: string | null } | null;
  documents: { id: string; kind: string; contentType: string; sizeBytes: number; uploadedAt: string }[];
  identityReveals: { at: string; field: string; staff: string; purpose: string }[];
  /** Disclosures to third parties under a legal request (listed at once; no deferral is modelled). */
  legalDisclosures: { at: string; authority: string; legalBasis: string; fields: string[] }[];
}

export async function subscriberOwnData(ctx: ServiceContext, subscriberId: string): Promise<SubscriberOwnData> {
  const row = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', subscriberId).executeTakeFirstOrThrow();
  const order = await currentOrder(ctx, subscriberId);
  const documents = await ctx.db
    .selectFrom('subscriber_documents')
    .select(['id', 'kind', 'content_type', 'size_bytes', 'uploaded_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('uploaded_at')
    .execute();
  const reveals = await ctx.db.selectFrom('identity_reveals').selectAll().where('subscriber_id', '=', subscriberId).orderBy('at').execute();
  return {
    subscriber: {
      id: row.id,
      kind: row.kind,
      status: row.status,
      createdAt: row.created_at.toISOString(),
      activatedAt: row.activated_at?.toISOString() ?? null,
      terminatedAt: row.terminated_at?.toISOString() ?? null,
    },
    identity: (await revealOwnIdentity(ctx, subscriberId)) ?? {},
    order: order
      ? {
          plan: order.plan.code,
          planVersionFrom: order.plan.validFrom.toISOString(),
          monthlyRentFen: order.plan.monthlyRentFen,
          creditLimitFen: order.creditLimitFen,
          terminal: order.terminalCode,
        }
      : null,
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      contentType: d.content_type,
      sizeBytes: d.size_bytes,
      uploadedAt: d.uploaded_at.toISOString(),
    })),
    identityReveals: reveals.map((r) => ({ at: r.at.toISOString(), field: r.field, staff: r.staff_username, purpose: r.purpose })),
    legalDisclosures: (await listLegalRequests(ctx, { subscriberId, limit: 1000 })).reverse().map((request) => ({
      at: request.at,
      authority: request.authority,
      legalBasis: request.legalBasis,
      fields: request.fields,
    })),
  };
}
