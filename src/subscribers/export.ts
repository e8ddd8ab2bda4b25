import type { ServiceContext } from '../platform/context.js';
import { listContacts } from '../contacts/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import { revealOwnIdentity, type IdentityData } from './identity.js';
import { currentOrder } from './orders.js';
import { listLegalRequests } from './legal-requests.js';

/**
 * What the operator holds about a subscriber, for the subscriber (clause 1; PIPL art. 45 gives a
 * person the right to a copy): identity in clear, the order, numbers, signed agreements, documents
 * on file (not their content), and every time staff saw an identity value, with the stated purpose.
 */
export interface OwnDataExport {
  exportedAt: string;
  subscriber: { id: string; kind: string; status: string; createdAt: string; activatedAt: string | null; terminatedAt: string | null };
  identity: IdentityData;
  order: { plan: string; planVersionFrom: string; monthlyRentFen: number; creditLimitFen: number; terminal: string | null } | null;
  numbers: string[];
  agreements: { id: string; version: number; language: string; textSha256: string; signedAt: string }[];
  documents: { id: string; kind: string; contentType: string; sizeBytes: number; uploadedAt: string }[];
  identityReveals: { at: string; field: string; staff: string; purpose: string }[];
  contacts: { name: string; number: string; favourite: boolean }[];
  /** Disclosures to third parties under a legal request (listed at once; no deferral is modelled). */
  legalDisclosures: { at: string; authority: string; legalBasis: string; fields: string[] }[];
}

export async function exportOwnData(ctx: ServiceContext, subscriberId: string): Promise<OwnDataExport> {
  const row = await ctx.db.selectFrom('subscribers').selectAll().where('id', '=', subscriberId).executeTakeFirstOrThrow();
  const order = await currentOrder(ctx, subscriberId);
  const agreements = await ctx.db
    .selectFrom('agreement_signatures')
    .select(['id', 'version', 'language', 'text_sha256', 'signed_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('signed_at')
    .execute();
  const documents = await ctx.db
    .selectFrom('subscriber_documents')
    .select(['id', 'kind', 'content_type', 'size_bytes', 'uploaded_at'])
    .where('subscriber_id', '=', subscriberId)
    .orderBy('uploaded_at')
    .execute();
  const reveals = await ctx.db.selectFrom('identity_reveals').selectAll().where('subscriber_id', '=', subscriberId).orderBy('at').execute();
  return {
    exportedAt: ctx.clock.now().toISOString(),
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
    numbers: await numbersOfSubscriber(ctx.db, subscriberId),
    agreements: agreements.map((a) => ({
      id: a.id,
      version: a.version,
      language: a.language,
      textSha256: a.text_sha256,
      signedAt: a.signed_at.toISOString(),
    })),
    documents: documents.map((d) => ({
      id: d.id,
      kind: d.kind,
      contentType: d.content_type,
      sizeBytes: d.size_bytes,
      uploadedAt: d.uploaded_at.toISOString(),
    })),
    contacts: (await listContacts(ctx.db, subscriberId)).map((c) => ({ name: c.name, number: c.number, favourite: c.favourite })),
    identityReveals: reveals.map((r) => ({ at: r.at.toISOString(), field: r.field, staff: r.staff_username, purpose: r.purpose })),
    legalDisclosures: (await listLegalRequests(ctx, { subscriberId, limit: 1000 })).reverse().map((request) => ({
      at: request.at,
      authority: request.authority,
      legalBasis: request.legalBasis,
      fields: request.fields,
    })),
  };
}
