import { recordAudit, type Actor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { appendEvent } from '../platform/events/index.js';
import type { Transaction } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { fail, ok, type Failure, type Result } from '../platform/result.js';
import { searchTokensOf } from './search-tokens.js';
import { writeSearchTokens } from './subscriber-search.js';
import type { SubscriberKind, SubscriberStatus } from './tables.js';

/**
 * Identity data of agreement clause 1 and how it is protected: sealed field by field at rest,
 * masked wherever it is shown, and revealed only to a staff member with the permission who states
 * a purpose, each reveal recorded for auditors. Values never enter logs, events or the audit trail.
 */
export const individualFields = ['fullName', 'birthDate', 'address', 'idType', 'idNumber', 'employer', 'contactPhone'] as const;
export const organisationFields = ['legalName', 'creditCode', 'address', 'contactName', 'contactPhone'] as const;
export type IdentityField = (typeof individualFields)[number] | (typeof organisationFields)[number];

export type IdentityData = Partial<Record<IdentityField, string>>;

export function fieldsOf(kind: SubscriberKind): readonly IdentityField[] {
  return kind === 'individual' ? individualFields : organisationFields;
}

function sealContext(subscriberId: string, field: IdentityField): string {
  return `subscriber_identities.${field}:${subscriberId}`;
}

/** Masks that keep enough to recognise a record and nothing to misuse it. */
export function maskIdentityValue(field: IdentityField, value: string): string {
  const chars = [...value];
  const keep = (head: number, tail: number) =>
    chars.length <= head + tail
      ? '*'.repeat(chars.length)
      : chars.slice(0, head).join('') + '*'.repeat(chars.length - head - tail) + chars.slice(chars.length - tail).join('');
  switch (field) {
    case 'idNumber':
    case 'creditCode':
      return keep(4, 4);
    case 'contactPhone':
      return keep(3, 4);
    case 'birthDate':
      return value.length >= 4 ? `${value.slice(0, 4)}-**-**` : '****';
    case 'fullName':
    case 'contactName':
      return chars.length <= 1 ? '*' : chars[0] + '*'.repeat(chars.length - 1);
    case 'idType':
      return value; // the kind of document is not secret
    default:
      return keep(Math.min(6, Math.floor(chars.length / 3)), 0);
  }
}

export interface MaskedSubscriber {
  id: string;
  kind: SubscriberKind;
  status: SubscriberStatus;
  createdAt: string;
  identity: IdentityData;
}

/** Creates a subscriber and seals its identity; the caller has validated the fields. */
export async function createSubscriberWithIdentity(
  ctx: ServiceContext,
  input: { kind: SubscriberKind; identity: IdentityData; idType: string; idNumber: string },
  actor: Actor,
  /** More rows of the same application (order, portal login), written in the same transaction. */
  alsoWrite?: (trx: Transaction<Database>, subscriberId: string) => Promise<Result<null>>,
): Promise<Result<{ id: string; duplicateIdNumber: boolean }>> {
  const now = ctx.clock.now();
  const index = ctx.cipher.blindIndex(input.idNumber, `${input.kind}:${input.idType}`);
  try {
    return await writeApplication();
  } catch (error) {
    if (error instanceof RolledBack) return { ok: false, failure: error.failure };
    throw error;
  }
  async function writeApplication() {
    return ctx.db.transaction().execute(async (trx) => {
      const duplicate = await trx
        .selectFrom('subscriber_identities')
        .select('subscriber_id')
        .where('id_number_index', '=', index)
        .executeTakeFirst();
      const subscriber = await trx
        .insertInto('subscribers')
        .values({ kind: input.kind, status: 'applied', created_at: now, updated_at: now })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sealed: Record<string, string> = {};
      for (const field of fieldsOf(input.kind)) {
        const value = input.identity[field];
        if (value !== undefined && value !== '') sealed[field] = ctx.cipher.seal(value, sealContext(subscriber.id, field));
      }
      await trx
        .insertInto('subscriber_identities')
        .values({
          subscriber_id: subscriber.id,
          id_type: input.idType,
          id_number_index: index,
          sealed: JSON.stringify(sealed),
          updated_at: now,
        })
        .execute();
      // The keyed tokens staff search by (search-tokens.ts), written with the identity they come from.
      await writeSearchTokens(trx, subscriber.id, searchTokensOf(ctx.cipher, input.kind, input.identity, input.idNumber));
      if (alsoWrite) {
        const more = await alsoWrite(trx, subscriber.id);
        if (!more.ok) throw new RolledBack(more.failure);
      }
      await recordAudit(trx, {
        at: now,
        actor,
        action: 'subscriber.apply',
        target: { type: 'subscriber', id: subscriber.id },
        detail: { kind: input.kind, idType: input.idType, duplicateIdNumber: duplicate !== undefined },
      });
      await appendEvent(trx, {
        type: 'subscriber.applied',
        aggregateType: 'subscriber',
        aggregateId: subscriber.id,
        payload: { kind: input.kind },
        occurredAt: now,
      });
      return ok({ id: subscriber.id, duplicateIdNumber: duplicate !== undefined });
    });
  }
}

/** Carries an expected failure out of a transaction so that everything written in it is undone. */
class RolledBack extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}

async function loadSealed(ctx: ServiceContext, subscriberId: string) {
  if (!/^[0-9a-f-]{36}$/i.test(subscriberId)) return null;
  return ctx.db
    .selectFrom('subscribers')
    .innerJoin('subscriber_identities', 'subscriber_identities.subscriber_id', 'subscribers.id')
    .select(['subscribers.id', 'subscribers.kind', 'subscribers.status', 'subscribers.created_at', 'subscriber_identities.sealed'])
    .where('subscribers.id', '=', subscriberId)
    .executeTakeFirst();
}

function parseSealed(sealed: unknown): Record<string, string> {
  return (typeof sealed === 'string' ? JSON.parse(sealed) : sealed) as Record<string, string>;
}

/** Opens the named fields of a sealed identity row (for search's check and mask; callers never return them in clear). */
export function openIdentity(
  ctx: ServiceContext,
  subscriberId: string,
  kind: SubscriberKind,
  sealedColumn: unknown,
  fields: readonly IdentityField[],
): IdentityData {
  const sealed = parseSealed(sealedColumn);
  const identity: IdentityData = {};
  for (const field of fields) {
    const value = sealed[field];
    if (value && fieldsOf(kind).includes(field)) identity[field] = ctx.cipher.open(value, sealContext(subscriberId, field));
  }
  return identity;
}

export async function getMaskedSubscriber(ctx: ServiceContext, subscriberId: string): Promise<MaskedSubscriber | null> {
  const row = await loadSealed(ctx, subscriberId);
  if (!row) return null;
  const sealed = parseSealed(row.sealed);
  const identity: IdentityData = {};
  for (const field of fieldsOf(row.kind)) {
    const value = sealed[field];
    if (value) identity[field] = maskIdentityValue(field, ctx.cipher.open(value, sealContext(row.id, field)));
  }
  return { id: row.id, kind: row.kind, status: row.status, createdAt: row.created_at.toISOString(), identity };
}

export async function listMaskedSubscribers(ctx: ServiceContext, limit: number): Promise<MaskedSubscriber[]> {
  const rows = await ctx.db.selectFrom('subscribers').select('id').orderBy('created_at', 'desc').limit(limit).execute();
  const result: MaskedSubscriber[] = [];
  for (const row of rows) {
    const masked = await getMaskedSubscriber(ctx, row.id);
    if (masked) result.push(masked);
  }
  return result;
}

export const minimumPurposeLength = 10;

/**
 * Shows one identity value in clear to a staff member who holds `identity.reveal` (checked by the
 * route) and states why. The reveal is recorded before the value is returned: no record, no value.
 */
export async function revealIdentityField(
  ctx: ServiceContext,
  request: { subscriberId: string; field: string; purpose: string; staff: { id: string; username: string }; ip: string | null },
): Promise<Result<{ field: IdentityField; value: string }>> {
  const purpose = request.purpose.trim();
  if (purpose.length < minimumPurposeLength) {
    return fail('invalid', 'invalid-request', `State the purpose of this reveal (at least ${minimumPurposeLength} characters)`, {
      fields: [{ field: 'purpose', message: 'required', code: 'required' }],
    });
  }
  const row = await loadSealed(ctx, request.subscriberId);
  if (!row) return fail('not_found', 'not-found', 'No such subscriber');
  const field = fieldsOf(row.kind).find((f) => f === request.field);
  if (!field)
    return fail('invalid', 'invalid-request', `No identity field ${request.field} for this subscriber`, {
      fields: [{ field: 'field', message: 'unknown', code: 'unknown' }],
    });
  const sealed = parseSealed(row.sealed)[field];
  if (!sealed) return fail('not_found', 'not-found', `No ${field} on file`);
  await recordReveal(ctx, {
    subscriberId: row.id,
    field,
    purpose,
    staff: request.staff,
    ip: request.ip,
    action: 'subscriber.identity.reveal',
    detail: { field, purpose },
  });
  return ok({ field, value: ctx.cipher.open(sealed, sealContext(row.id, field)) });
}

/**
 * One staff member saw one protected value (an identity field, a document) in clear: the reveal
 * record the subscriber's own-data export lists and the audit event, in one transaction. Callers
 * write it before they hand the value out.
 */
export async function recordReveal(
  ctx: ServiceContext,
  reveal: {
    subscriberId: string;
    field: string;
    purpose: string;
    staff: { id: string; username: string };
    ip: string | null;
    action: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  const now = ctx.clock.now();
  await ctx.db.transaction().execute(async (trx) => {
    await trx
      .insertInto('identity_reveals')
      .values({
        at: now,
        subscriber_id: reveal.subscriberId,
        field: reveal.field,
        staff_id: reveal.staff.id,
        staff_username: reveal.staff.username,
        purpose: reveal.purpose,
        ip: reveal.ip,
      })
      .execute();
    await recordAudit(trx, {
      at: now,
      actor: { type: 'staff', id: reveal.staff.id, name: reveal.staff.username, ip: reveal.ip },
      action: reveal.action,
      target: { type: 'subscriber', id: reveal.subscriberId },
      detail: reveal.detail,
    });
  });
}

export interface IdentityReveal {
  id: string;
  at: string;
  subscriberId: string;
  field: string;
  staffId: string;
  staffUsername: string;
  purpose: string;
  ip: string | null;
}

/** For auditors: who saw what, when and why, newest first. */
export async function listIdentityReveals(
  ctx: ServiceContext,
  filter: { subscriberId?: string; limit: number },
): Promise<IdentityReveal[]> {
  let query = ctx.db.selectFrom('identity_reveals').selectAll().orderBy('id', 'desc').limit(filter.limit);
  if (filter.subscriberId) query = query.where('subscriber_id', '=', filter.subscriberId);
  const rows = await query.execute();
  return rows.map((row) => ({
    id: String(row.id),
    at: row.at.toISOString(),
    subscriberId: row.subscriber_id,
    field: row.field,
    staffId: row.staff_id,
    staffUsername: row.staff_username,
    purpose: row.purpose,
    ip: row.ip,
  }));
}

/**
 * The subscriber's own identity in clear, for the subscriber (the portal's "my data" and export)
 * and for filling in their own documents. Not a staff reveal: nothing is recorded.
 */
export async function revealOwnIdentity(ctx: ServiceContext, subscriberId: string): Promise<IdentityData | null> {
  const row = await loadSealed(ctx, subscriberId);
  if (!row) return null;
  const sealed = parseSealed(row.sealed);
  const identity: IdentityData = {};
  for (const field of fieldsOf(row.kind)) {
    const value = sealed[field];
    if (value) identity[field] = ctx.cipher.open(value, sealContext(row.id, field));
  }
  return identity;
}
