import { recordAudit } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { fail, ok, type FieldError, type Result } from '../platform/result.js';
import { fieldsOf, minimumPurposeLength, revealOwnIdentity, type IdentityField } from './identity.js';

/**
 * Disclosure of identity data to a third party (clause 1: never without consent unless the law
 * requires it) happens only here: a legal officer (`legal.orders`, checked by the route) records
 * the requesting authority, the legal basis and the document that demands it, and the fields. The
 * request, one identity reveal per disclosed field and the audit entry are written in one
 * transaction before any value is opened: no record, no disclosure.
 *
 * The subscriber sees each disclosure in the own-data export. PIPL art. 18 lets the law or the
 * authority defer telling the person (e.g. during an investigation); such a deferral is not
 * modelled yet: every disclosure is listed at once.
 */
export interface LegalRequestInput {
  subscriberId: string;
  authority: string;
  legalBasis: string;
  documentReference: string;
  fields: string[];
  purpose: string;
}

export interface LegalRequest {
  id: string;
  at: string;
  subscriberId: string;
  authority: string;
  legalBasis: string;
  documentReference: string;
  fields: string[];
  purpose: string;
  staffId: string;
  staffUsername: string;
  ip: string | null;
}

const uuidPattern = /^[0-9a-f-]{36}$/i;

function validate(input: LegalRequestInput): FieldError[] {
  const errors: FieldError[] = [];
  const required = (field: keyof LegalRequestInput, value: string, min: number) => {
    if (value.trim().length < min) errors.push({ field, message: `required, at least ${min} characters` });
  };
  required('authority', input.authority, 2);
  required('legalBasis', input.legalBasis, 2);
  required('documentReference', input.documentReference, 2);
  required('purpose', input.purpose, minimumPurposeLength);
  if (input.fields.length === 0) errors.push({ field: 'fields', message: 'name at least one identity field' });
  return errors;
}

/** Records a legal request and discloses the named identity fields of one subscriber. */
export async function discloseUnderLegalRequest(
  ctx: ServiceContext,
  input: LegalRequestInput,
  staff: { id: string; username: string; ip: string | null; userAgent?: string | null },
): Promise<Result<{ request: LegalRequest; values: Partial<Record<IdentityField, string>> }>> {
  const errors = validate(input);
  if (errors.length > 0)
    return fail('invalid', 'invalid-request', 'A legal request needs its authority, basis, document and purpose', { fields: errors });
  if (!uuidPattern.test(input.subscriberId)) return fail('not_found', 'not-found', 'No such subscriber');
  const subscriber = await ctx.db.selectFrom('subscribers').select(['id', 'kind']).where('id', '=', input.subscriberId).executeTakeFirst();
  if (!subscriber) return fail('not_found', 'not-found', 'No such subscriber');
  const known = fieldsOf(subscriber.kind);
  const unknown = input.fields.filter((f) => !known.includes(f as IdentityField));
  if (unknown.length > 0) {
    return fail('invalid', 'invalid-request', `No identity field ${unknown.join(', ')} for this subscriber`, {
      fields: [{ field: 'fields', message: `unknown: ${unknown.join(', ')}` }],
    });
  }
  const fields = [...new Set(input.fields)] as IdentityField[];
  const now = ctx.clock.now();
  const text = {
    authority: input.authority.trim(),
    legalBasis: input.legalBasis.trim(),
    documentReference: input.documentReference.trim(),
    purpose: input.purpose.trim(),
  };
  const row = await ctx.db.transaction().execute(async (trx) => {
    const inserted = await trx
      .insertInto('legal_requests')
      .values({
        at: now,
        subscriber_id: subscriber.id,
        authority: text.authority,
        legal_basis: text.legalBasis,
        document_reference: text.documentReference,
        fields: JSON.stringify(fields),
        purpose: text.purpose,
        staff_id: staff.id,
        staff_username: staff.username,
        ip: staff.ip,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await trx
      .insertInto('identity_reveals')
      .values(
        fields.map((field) => ({
          at: now,
          subscriber_id: subscriber.id,
          field,
          staff_id: staff.id,
          staff_username: staff.username,
          purpose: `legal request ${inserted.id}: ${text.purpose}`,
          ip: staff.ip,
        })),
      )
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: { type: 'staff', id: staff.id, name: staff.username, ip: staff.ip, userAgent: staff.userAgent ?? null },
      action: 'subscriber.legal-request.disclose',
      target: { type: 'subscriber', id: subscriber.id },
      detail: { legalRequestId: inserted.id, ...text, fields },
    });
    return inserted;
  });
  // Opened only after the record is committed.
  const identity = (await revealOwnIdentity(ctx, subscriber.id)) ?? {};
  const values: Partial<Record<IdentityField, string>> = {};
  for (const field of fields) if (identity[field] !== undefined) values[field] = identity[field];
  return ok({ request: toLegalRequest(row), values });
}

function toLegalRequest(row: {
  id: string;
  at: Date;
  subscriber_id: string;
  authority: string;
  legal_basis: string;
  document_reference: string;
  fields: unknown;
  purpose: string;
  staff_id: string;
  staff_username: string;
  ip: string | null;
}): LegalRequest {
  return {
    id: row.id,
    at: row.at.toISOString(),
    subscriberId: row.subscriber_id,
    authority: row.authority,
    legalBasis: row.legal_basis,
    documentReference: row.document_reference,
    fields: (typeof row.fields === 'string' ? JSON.parse(row.fields) : row.fields) as string[],
    purpose: row.purpose,
    staffId: row.staff_id,
    staffUsername: row.staff_username,
    ip: row.ip,
  };
}

/** Recorded legal requests, newest first (no identity values: only which fields left). */
export async function listLegalRequests(ctx: ServiceContext, filter: { subscriberId?: string; limit: number }): Promise<LegalRequest[]> {
  let query = ctx.db.selectFrom('legal_requests').selectAll().orderBy('at', 'desc').orderBy('id').limit(filter.limit);
  if (filter.subscriberId) query = query.where('subscriber_id', '=', filter.subscriberId);
  return (await query.execute()).map(toLegalRequest);
}
