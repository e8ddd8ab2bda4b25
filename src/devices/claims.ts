import { sql, type Selectable, type Transaction } from 'kysely';
import { recordAudit, type Actor } from '../audit/index.js';
import { postAdjustment, type BillingContext } from '../billing/index.js';
import { sendNotice } from '../notices/index.js';
import type { ServiceContext } from '../platform/context.js';
import type { Database, Executor } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';
import { localDateOf } from '../platform/zoned-calendar.js';
import { claimNoticeText, type ClaimStep } from './claim-notices.js';
import type { ClaimStatus, WarrantyClaimsTable } from './tables.js';
import { changeUnit, move, readUnit, type TerminalUnit, type UnitRow } from './units.js';
import {
  assessCoverage,
  decideFiling,
  isExclusionReason,
  replacementWarrantyEnd,
  type ClaimCause,
  type ExclusionReason,
} from './warranty-rules.js';

/**
 * Warranty claims (clause 4). The subscriber notifies technical support in writing, from the
 * portal, with photos; a claim after the warranty ended is refused with the day it ended. A
 * technician assesses: the exclusions of 4(1), a tamper finding (4(5)), repair or replace (the
 * operator's choice). Covered work costs nothing; otherwise the subscriber gets a quote to accept
 * (charged on the next bill) or decline. Parts taken out return to the operator's stock (4(3)); a
 * replacement keeps the original warranty's end. The subscriber is notified at every step.
 */

export interface ClaimPhotoMeta {
  id: string;
  name: string;
  type: string;
}

export interface ClaimStepView {
  at: string;
  step: string;
  actorType: string;
  note: string | null;
}

export interface PartView {
  direction: 'used' | 'returned-to-stock';
  part: string;
  serialNumber: string | null;
  at: string;
}

export interface WarrantyClaim {
  id: string;
  unitId: string;
  unitSerial: string;
  unitModel: string;
  subscriberId: string;
  cause: ClaimCause;
  description: string;
  filedAt: string;
  filedOn: string;
  coverageWhenFiled: 'covered' | 'not-covered';
  warrantyEndsOn: string | null;
  status: ClaimStatus;
  exclusions: ExclusionReason[];
  tamperFound: boolean;
  covered: boolean | null;
  decision: 'repair' | 'replace' | null;
  assessmentNote: string | null;
  assessedAt: string | null;
  quoteFen: number | null;
  quoteResponse: 'accepted' | 'declined' | null;
  replacementUnitId: string | null;
  completedAt: string | null;
  photos: ClaimPhotoMeta[];
  steps: ClaimStepView[];
  parts: PartView[];
}

export const PHOTO_TYPES = ['image/png', 'image/jpeg'] as const;
export const MAX_PHOTO_BYTES = 1_000_000;
export const MAX_PHOTOS = 4;

export interface NewClaim {
  unitId: string;
  subscriberId: string;
  description: string;
  photos?: { name: string; type: string; content: Buffer }[] | undefined;
}

const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The subscriber's written claim (or staff writing it down for them). */
export async function fileClaim(ctx: ServiceContext, input: NewClaim, actor: Actor): Promise<Result<WarrantyClaim>> {
  const description = input.description.trim();
  if (description === '' || description.length > 4000)
    return fail('invalid', 'invalid-request', 'A description of 1 to 4000 characters is required', {
      fields: [{ field: 'description', message: 'required, at most 4000 characters' }],
    });
  const photos = input.photos ?? [];
  if (
    photos.length > MAX_PHOTOS ||
    photos.some((p) => !(PHOTO_TYPES as readonly string[]).includes(p.type) || p.content.length === 0 || p.content.length > MAX_PHOTO_BYTES)
  )
    return fail('invalid', 'invalid-request', `At most ${MAX_PHOTOS} photos, each a PNG or JPEG of at most 1 MB`, {
      fields: [{ field: 'photos', message: `at most ${MAX_PHOTOS}, PNG or JPEG, 1 MB each` }],
    });
  if (!uuid.test(input.unitId)) return fail('not_found', 'not-found', 'No such terminal');
  const now = ctx.clock.now();
  const filedOn = localDateOf(now, ctx.settings.timeZone);
  const created = await ctx.db.transaction().execute(async (trx): Promise<Result<string>> => {
    const unit = await trx.selectFrom('terminal_units').select('id').where('id', '=', input.unitId).forUpdate().executeTakeFirst();
    const row = unit ? await readUnit(trx, unit.id) : undefined;
    if (!row || row.subscriber_id !== input.subscriberId) return fail('not_found', 'not-found', 'No such terminal');
    if (row.state !== 'delivered') return fail('conflict', 'conflict', `The terminal is ${row.state}, not with the subscriber`);
    const decision = decideFiling({ warrantyEndsOn: row.warranty_ends_on, tamperedOn: row.tampered_on }, 'fault', filedOn);
    if (!decision.accept) return warrantyEnded(decision.endedOn);
    const open = await openClaimOf(trx, row.id);
    if (open) return fail('conflict', 'conflict', 'A claim about this terminal is open', { extra: { claimId: open } });
    const id = await insertClaim(
      ctx,
      trx,
      row,
      { cause: 'fault', description, coverage: decision.coverage, endsOn: decision.endsOn },
      actor,
    );
    for (const photo of photos)
      await trx
        .insertInto('warranty_claim_photos')
        .values({
          claim_id: id,
          name: photo.name.slice(0, 200),
          content_type: photo.type as 'image/png',
          content: photo.content,
          uploaded_at: now,
        })
        .execute();
    return ok(id);
  });
  if (!created.ok) return created;
  return ok((await loadClaim(ctx.db, created.value))!);
}

/** The refusal of a claim after the warranty (clause 4), in both languages, with the day it ended. */
function warrantyEnded<T>(endedOn: string): Result<T> {
  return fail('conflict', 'warranty-ended', `The warranty ended on ${endedOn}; a claim must be made within it (clause 4)`, {
    extra: {
      endedOn,
      messages: {
        en: `The warranty of this terminal ended on ${endedOn}. Clause 4 of the agreement requires the written claim within the warranty.`,
        'zh-CN': `该终端的保修期已于 ${endedOn} 结束。根据协议第四条，保修申请须在保修期内以书面形式提出。`,
      },
    },
  });
}

/**
 * Opens a claim in the caller's transaction (used by filing and by a delivery with damage
 * reported), writes its first step and tells the subscriber.
 */
export async function insertClaim(
  ctx: ServiceContext,
  trx: Transaction<Database>,
  unit: UnitRow,
  claim: { cause: ClaimCause; description: string; coverage: 'covered' | 'not-covered'; endsOn: string | null },
  actor: Actor,
): Promise<string> {
  const now = ctx.clock.now();
  const { id } = await trx
    .insertInto('warranty_claims')
    .values({
      unit_id: unit.id,
      subscriber_id: unit.subscriber_id!,
      cause: claim.cause,
      description: claim.description,
      filed_at: now,
      filed_on: localDateOf(now, ctx.settings.timeZone),
      filed_by: actor.type,
      coverage_when_filed: claim.coverage,
      warranty_ends_on: claim.endsOn,
      status: 'filed',
      exclusions: '[]',
      tamper_found: false,
      covered: null,
      decision: null,
      assessment_note: null,
      assessed_at: null,
      assessed_by: null,
      quote_fen: null,
      quote_response: null,
      quote_answered_at: null,
      charge_entry_id: null,
      replacement_unit_id: null,
      completed_at: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await recordAudit(trx, {
    at: now,
    actor,
    action: 'warranty.claim.file',
    target: { type: 'terminal-unit', id: unit.id },
    detail: { claimId: id, cause: claim.cause, coverage: claim.coverage },
  });
  await step(ctx, trx, { id, unitSerial: unit.serial_number, subscriberId: unit.subscriber_id! }, actor, {
    step: 'filed',
    covered: claim.coverage === 'covered',
    endsOn: claim.endsOn,
  });
  return id;
}

export interface Assessment {
  exclusions: string[];
  tamperFound: boolean;
  decision: 'repair' | 'replace';
  note?: string | undefined;
  /** Required when the damage is not covered: what the repair or replacement costs the subscriber. */
  quoteFen?: number | undefined;
}

/** The technician's assessment (`warranty.assess`). */
export async function assessClaim(ctx: ServiceContext, claimId: string, input: Assessment, actor: Actor): Promise<Result<WarrantyClaim>> {
  const unknown = input.exclusions.filter((e) => !isExclusionReason(e));
  if (unknown.length > 0)
    return fail('invalid', 'invalid-request', `Not exclusions of clause 4: ${unknown.join(', ')}`, {
      fields: [
        {
          field: 'exclusions',
          message: 'accident, misuse, opened-case, power, ignored-instructions, unauthorised-repair, non-operator-equipment',
        },
      ],
    });
  const note = input.note?.trim() || null;
  return changeClaim(ctx, claimId, actor, 'warranty.claim.assess', async (trx, claim, unit) => {
    if (claim.status !== 'filed') return fail('conflict', 'conflict', `The claim is ${claim.status}, assessed already`);
    const outcome = assessCoverage({
      cause: claim.cause,
      coveredWhenFiled: claim.coverage_when_filed === 'covered',
      exclusions: input.exclusions as ExclusionReason[],
      tamperFound: input.tamperFound,
    });
    if (!outcome.covered && !(Number.isSafeInteger(input.quoteFen) && input.quoteFen! > 0))
      return fail('invalid', 'invalid-request', 'Not covered: a quote in fen is required', {
        fields: [{ field: 'quoteFen', message: 'a positive whole number of fen' }],
        extra: { why: outcome.why },
      });
    const now = ctx.clock.now();
    if (input.tamperFound) await recordTamperIn(ctx, trx, unit, actor, note);
    await trx
      .updateTable('warranty_claims')
      .set({
        status: outcome.covered ? 'in-service' : 'quoted',
        exclusions: JSON.stringify(outcome.covered ? input.exclusions : outcome.exclusions),
        tamper_found: input.tamperFound,
        covered: outcome.covered,
        decision: input.decision,
        assessment_note: note,
        assessed_at: now,
        assessed_by: actor.name ?? actor.id,
        quote_fen: outcome.covered ? null : input.quoteFen!,
      })
      .where('id', '=', claim.id)
      .execute();
    await step(
      ctx,
      trx,
      claimRef(claim, unit),
      actor,
      outcome.covered
        ? { step: 'assessed-covered', decision: input.decision }
        : { step: 'quoted', quoteFen: input.quoteFen!, why: outcome.why },
      note,
    );
    return ok(undefined);
  });
}

/**
 * Clause 4(5): a terminal opened by anyone unauthorised loses its warranty at once. Recorded by a
 * technician; the warranty ends on the day recorded and a later claim is quoted.
 */
export async function recordTamper(ctx: ServiceContext, unitId: string, note: string, actor: Actor): Promise<Result<TerminalUnit>> {
  return changeUnit(ctx, unitId, actor, 'warranty.tamper', async (trx, unit) => {
    if (unit.tampered_on) return fail('conflict', 'conflict', `Tamper was recorded on ${unit.tampered_on}`);
    await recordTamperIn(ctx, trx, unit, actor, note.trim() || null);
    return ok((await readUnit(trx, unit.id))!);
  });
}

async function recordTamperIn(ctx: ServiceContext, trx: Transaction<Database>, unit: UnitRow, actor: Actor, note: string | null) {
  if (unit.tampered_on) return;
  const today = localDateOf(ctx.clock.now(), ctx.settings.timeZone);
  await move(trx, unit, unit.state, actor, ctx.clock.now(), null, { tampered_on: today });
  await recordAudit(trx, {
    at: ctx.clock.now(),
    actor,
    action: 'warranty.tamper.record',
    target: { type: 'terminal-unit', id: unit.id },
    detail: { tamperedOn: today, note },
  });
}

/** The subscriber accepts the quote (a charge on the next bill) or declines it (the claim closes). */
export async function answerQuote(
  ctx: BillingContext,
  claimId: string,
  subscriberId: string,
  accept: boolean,
  actor: Actor,
): Promise<Result<WarrantyClaim>> {
  const claim = uuid.test(claimId) ? await loadClaim(ctx.db, claimId) : null;
  if (!claim || claim.subscriberId !== subscriberId) return fail('not_found', 'not-found', 'No such claim');
  if (claim.status !== 'quoted') return fail('conflict', 'conflict', `The claim is ${claim.status}, not awaiting an answer to a quote`);
  let chargeEntryId: string | null = null;
  if (accept) {
    const charged = await postAdjustment(
      ctx,
      {
        subscriberId,
        kind: 'adjustment',
        amountFen: claim.quoteFen!,
        reason: `Terminal ${claim.unitSerial}: ${claim.decision === 'replace' ? 'replacement' : 'repair'} outside the warranty (clause 4)`,
        idempotencyKey: `warranty-quote:${claim.id}`,
        source: { warrantyClaimId: claim.id },
      },
      actor,
    );
    if (!charged.ok) return charged;
    chargeEntryId = charged.value.entryId;
  }
  return changeClaim(ctx, claimId, actor, accept ? 'warranty.quote.accept' : 'warranty.quote.decline', async (trx, row, unit) => {
    if (row.status !== 'quoted') return fail('conflict', 'conflict', 'The quote was answered already');
    await trx
      .updateTable('warranty_claims')
      .set({
        status: accept ? 'in-service' : 'declined',
        quote_response: accept ? 'accepted' : 'declined',
        quote_answered_at: ctx.clock.now(),
        charge_entry_id: chargeEntryId,
        completed_at: accept ? null : ctx.clock.now(),
      })
      .where('id', '=', row.id)
      .execute();
    await step(
      ctx,
      trx,
      claimRef(row, unit),
      actor,
      accept ? { step: 'quote-accepted', quoteFen: row.quote_fen! } : { step: 'quote-declined' },
    );
    return ok(undefined);
  });
}

export interface Repair {
  partsUsed: { part: string; serialNumber?: string | undefined }[];
  /** Parts taken out: the operator's property, back in its stock (4(3)). */
  partsReturned: { part: string; serialNumber?: string | undefined }[];
  note?: string | undefined;
}

/** Records a repair: the unit is in repair, the parts fitted and the parts returned to stock. */
export async function recordRepair(ctx: ServiceContext, claimId: string, repair: Repair, actor: Actor): Promise<Result<WarrantyClaim>> {
  const all = [...repair.partsUsed, ...repair.partsReturned];
  if (repair.partsUsed.length === 0 || all.some((p) => p.part.trim() === '' || p.part.length > 200 || (p.serialNumber?.length ?? 0) > 64))
    return fail('invalid', 'invalid-request', 'At least one part used; each part named in 1–200 characters', {
      fields: [{ field: 'partsUsed', message: 'at least one, 1–200 characters each' }],
    });
  return changeClaim(ctx, claimId, actor, 'warranty.claim.repair', async (trx, claim, unit) => {
    if (claim.status !== 'in-service') return fail('conflict', 'conflict', `The claim is ${claim.status}, not in service`);
    const now = ctx.clock.now();
    const rows = [
      ...repair.partsUsed.map((p) => ({ ...p, direction: 'used' as const })),
      ...repair.partsReturned.map((p) => ({ ...p, direction: 'returned-to-stock' as const })),
    ].map((p) => ({
      claim_id: claim.id,
      unit_id: unit.id,
      direction: p.direction,
      part: p.part.trim(),
      serial_number: p.serialNumber?.trim() || null,
      at: now,
    }));
    await trx.insertInto('terminal_parts').values(rows).execute();
    if (unit.state !== 'in_repair') {
      const moved = await move(trx, unit, 'in_repair', actor, now, `claim ${claim.id}`, {});
      if (!moved.ok) return moved;
    }
    await step(ctx, trx, claimRef(claim, unit), actor, { step: 'repaired' }, repair.note?.trim() || null);
    return ok(undefined);
  });
}

/**
 * Replaces the claimed unit with one from stock: the replacement goes to the same subscriber and
 * order with the original warranty's end (4(3): no extension); the original becomes the operator's
 * again (returned). The claim is completed; the replacement ships like any unit.
 */
export async function replaceUnit(
  ctx: ServiceContext,
  claimId: string,
  replacementId: string,
  actor: Actor,
): Promise<Result<WarrantyClaim>> {
  if (!uuid.test(replacementId)) return fail('not_found', 'not-found', 'No such replacement unit');
  return changeClaim(ctx, claimId, actor, 'warranty.claim.replace', async (trx, claim, unit) => {
    if (claim.status !== 'in-service') return fail('conflict', 'conflict', `The claim is ${claim.status}, not in service`);
    const lock = await trx.selectFrom('terminal_units').select('id').where('id', '=', replacementId).forUpdate().executeTakeFirst();
    const replacement = lock ? await readUnit(trx, lock.id) : undefined;
    if (!replacement || replacement.id === unit.id) return fail('not_found', 'not-found', 'No such replacement unit');
    if (replacement.state !== 'in_stock') return fail('conflict', 'conflict', `The replacement is ${replacement.state}, not in stock`);
    const now = ctx.clock.now();
    const endsOn = replacementWarrantyEnd({ warrantyEndsOn: unit.warranty_ends_on, tamperedOn: unit.tampered_on });
    const reserved = await move(trx, replacement, 'reserved', actor, now, `replaces ${unit.serial_number} (claim ${claim.id})`, {
      order_id: unit.order_id,
      subscriber_id: unit.subscriber_id,
      replaces_unit_id: unit.id,
      warranty_ends_on: endsOn,
      delivered_at: unit.delivered_at,
      delivered_by: unit.delivered_by,
    });
    if (!reserved.ok) return reserved;
    const returned = await move(trx, unit, 'returned', actor, now, `replaced by ${replacement.serial_number} (claim ${claim.id})`, {});
    if (!returned.ok) return returned;
    await trx
      .updateTable('warranty_claims')
      .set({ status: 'completed', decision: 'replace', replacement_unit_id: replacement.id, completed_at: now })
      .where('id', '=', claim.id)
      .execute();
    await step(ctx, trx, claimRef(claim, unit), actor, { step: 'replaced', serialNumber: replacement.serial_number, endsOn });
    return ok(undefined);
  });
}

/** A repaired unit goes back to the subscriber: the claim is completed. */
export async function completeClaim(ctx: ServiceContext, claimId: string, actor: Actor): Promise<Result<WarrantyClaim>> {
  return changeClaim(ctx, claimId, actor, 'warranty.claim.complete', async (trx, claim, unit) => {
    if (claim.status !== 'in-service') return fail('conflict', 'conflict', `The claim is ${claim.status}, not in service`);
    const now = ctx.clock.now();
    if (unit.state === 'in_repair') {
      const back = await move(trx, unit, 'delivered', actor, now, `back from repair (claim ${claim.id})`, {});
      if (!back.ok) return back;
    }
    await trx.updateTable('warranty_claims').set({ status: 'completed', completed_at: now }).where('id', '=', claim.id).execute();
    await step(ctx, trx, claimRef(claim, unit), actor, { step: 'completed' });
    return ok(undefined);
  });
}

// ---- reading ----

const claimColumns = [
  'id',
  'unit_id',
  'subscriber_id',
  'cause',
  'description',
  'filed_at',
  sql<string>`filed_on::text`.as('filed_on'),
  'filed_by',
  'coverage_when_filed',
  sql<string | null>`warranty_ends_on::text`.as('warranty_ends_on'),
  'status',
  'exclusions',
  'tamper_found',
  'covered',
  'decision',
  'assessment_note',
  'assessed_at',
  'assessed_by',
  'quote_fen',
  'quote_response',
  'quote_answered_at',
  'charge_entry_id',
  'replacement_unit_id',
  'completed_at',
] as const;

type ClaimRow = Selectable<WarrantyClaimsTable>;

export async function loadClaim(db: Executor, id: string): Promise<WarrantyClaim | null> {
  if (!uuid.test(id)) return null;
  const row = await db.selectFrom('warranty_claims').select(claimColumns).where('id', '=', id).executeTakeFirst();
  if (!row) return null;
  return (await toClaims(db, [row]))[0]!;
}

export async function claimsOfSubscriber(db: Executor, subscriberId: string): Promise<WarrantyClaim[]> {
  if (!uuid.test(subscriberId)) return [];
  const rows = await db
    .selectFrom('warranty_claims')
    .select(claimColumns)
    .where('subscriber_id', '=', subscriberId)
    .orderBy('filed_at', 'desc')
    .orderBy('id')
    .execute();
  return toClaims(db, rows);
}

/** The technician's queue: claims to assess first, then those in service or awaiting an answer. */
export async function claimQueue(db: Executor, filter: { status?: ClaimStatus | undefined } = {}): Promise<WarrantyClaim[]> {
  const rows = await db
    .selectFrom('warranty_claims')
    .select(claimColumns)
    .$if(filter.status !== undefined, (qb) => qb.where('status', '=', filter.status!))
    .$if(filter.status === undefined, (qb) => qb.where('status', 'in', ['filed', 'quoted', 'in-service']))
    .orderBy(sql`case status when 'filed' then 0 when 'in-service' then 1 else 2 end`)
    .orderBy('filed_at')
    .orderBy('id')
    .limit(500)
    .execute();
  return toClaims(db, rows);
}

export async function claimPhoto(
  db: Executor,
  claimId: string,
  photoId: string,
): Promise<{ subscriberId: string; name: string; type: string; content: Buffer } | null> {
  if (!uuid.test(claimId) || !uuid.test(photoId)) return null;
  const claim = await db.selectFrom('warranty_claims').select('subscriber_id').where('id', '=', claimId).executeTakeFirst();
  if (!claim) return null;
  const photo = await db
    .selectFrom('warranty_claim_photos')
    .select(['name', 'content_type', 'content'])
    .where('id', '=', photoId)
    .where('claim_id', '=', claimId)
    .executeTakeFirst();
  return photo ? { subscriberId: claim.subscriber_id, name: photo.name, type: photo.content_type, content: photo.content } : null;
}

/** Parts the operator holds from repairs (4(3)), newest first. */
export async function partsInStock(db: Executor): Promise<(PartView & { claimId: string; unitId: string })[]> {
  const rows = await db
    .selectFrom('terminal_parts')
    .select(['claim_id', 'unit_id', 'direction', 'part', 'serial_number', 'at'])
    .where('direction', '=', 'returned-to-stock')
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
  return rows.map((r) => ({
    claimId: r.claim_id,
    unitId: r.unit_id,
    direction: r.direction,
    part: r.part,
    serialNumber: r.serial_number,
    at: r.at.toISOString(),
  }));
}

async function toClaims(db: Executor, rows: ClaimRow[]): Promise<WarrantyClaim[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [units, photos, steps, parts] = await Promise.all([
    db
      .selectFrom('terminal_units')
      .select(['id', 'serial_number', 'model_code'])
      .where('id', 'in', [...new Set(rows.map((r) => r.unit_id))])
      .execute(),
    db
      .selectFrom('warranty_claim_photos')
      .select(['id', 'claim_id', 'name', 'content_type'])
      .where('claim_id', 'in', ids)
      .orderBy('uploaded_at')
      .execute(),
    db
      .selectFrom('warranty_claim_steps')
      .select(['claim_id', 'at', 'step', 'actor_type', 'note'])
      .where('claim_id', 'in', ids)
      .orderBy('id')
      .execute(),
    db
      .selectFrom('terminal_parts')
      .select(['claim_id', 'direction', 'part', 'serial_number', 'at'])
      .where('claim_id', 'in', ids)
      .orderBy('id')
      .execute(),
  ]);
  const unitOf = new Map(units.map((u) => [u.id, u]));
  return rows.map((row) => ({
    id: row.id,
    unitId: row.unit_id,
    unitSerial: unitOf.get(row.unit_id)!.serial_number,
    unitModel: unitOf.get(row.unit_id)!.model_code,
    subscriberId: row.subscriber_id,
    cause: row.cause,
    description: row.description,
    filedAt: row.filed_at.toISOString(),
    filedOn: row.filed_on,
    coverageWhenFiled: row.coverage_when_filed,
    warrantyEndsOn: row.warranty_ends_on,
    status: row.status,
    exclusions: row.exclusions.filter(isExclusionReason),
    tamperFound: row.tamper_found,
    covered: row.covered,
    decision: row.decision,
    assessmentNote: row.assessment_note,
    assessedAt: row.assessed_at?.toISOString() ?? null,
    quoteFen: row.quote_fen === null ? null : Number(row.quote_fen),
    quoteResponse: row.quote_response,
    replacementUnitId: row.replacement_unit_id,
    completedAt: row.completed_at?.toISOString() ?? null,
    photos: photos.filter((p) => p.claim_id === row.id).map((p) => ({ id: p.id, name: p.name, type: p.content_type })),
    steps: steps
      .filter((s) => s.claim_id === row.id)
      .map((s) => ({ at: s.at.toISOString(), step: s.step, actorType: s.actor_type, note: s.note })),
    parts: parts
      .filter((p) => p.claim_id === row.id)
      .map((p) => ({ direction: p.direction, part: p.part, serialNumber: p.serial_number, at: p.at.toISOString() })),
  }));
}

// ---- internals ----

async function openClaimOf(db: Executor, unitId: string): Promise<string | null> {
  const row = await db
    .selectFrom('warranty_claims')
    .select('id')
    .where('unit_id', '=', unitId)
    .where('status', 'in', ['filed', 'quoted', 'in-service'])
    .executeTakeFirst();
  return row?.id ?? null;
}

function claimRef(claim: ClaimRow, unit: UnitRow) {
  return { id: claim.id, unitSerial: unit.serial_number, subscriberId: claim.subscriber_id };
}

/** One step of the claim: kept for the subscriber to follow, and told to them (sendNotice). */
async function step(
  ctx: ServiceContext,
  trx: Transaction<Database>,
  claim: { id: string; unitSerial: string; subscriberId: string },
  actor: Actor,
  what: ClaimStep,
  note: string | null = null,
): Promise<void> {
  const at = ctx.clock.now();
  await trx
    .insertInto('warranty_claim_steps')
    .values({ claim_id: claim.id, at, step: what.step, actor_type: actor.type, actor_id: actor.id, note })
    .execute();
  const text = claimNoticeText(what, claim.unitSerial, ctx.settings.currency);
  await sendNotice(trx, {
    key: `warranty:${claim.id}:${what.step}:${at.toISOString()}`,
    kind: 'service',
    urgency: 'normal',
    subscriberIds: [claim.subscriberId],
    title: text.title,
    body: text.body,
    link: `/portal/terminals#claim-${claim.id}`,
    occurredAt: at,
  });
}

/** Loads the claim and its unit for update, runs `change`, audits it, and reads the claim back. */
async function changeClaim(
  ctx: ServiceContext,
  claimId: string,
  actor: Actor,
  action: string,
  change: (trx: Transaction<Database>, claim: ClaimRow, unit: UnitRow) => Promise<Result<void>>,
): Promise<Result<WarrantyClaim>> {
  if (!uuid.test(claimId)) return fail('not_found', 'not-found', 'No such claim');
  const changed = await ctx.db.transaction().execute(async (trx): Promise<Result<void>> => {
    const claim = await trx.selectFrom('warranty_claims').select(claimColumns).where('id', '=', claimId).forUpdate().executeTakeFirst();
    if (!claim) return fail('not_found', 'not-found', 'No such claim');
    await trx.selectFrom('terminal_units').select('id').where('id', '=', claim.unit_id).forUpdate().execute();
    const unit = (await readUnit(trx, claim.unit_id))!;
    const result = await change(trx, claim, unit);
    if (!result.ok) return result;
    await recordAudit(trx, {
      at: ctx.clock.now(),
      actor,
      action,
      target: { type: 'warranty-claim', id: claim.id },
      before: { status: claim.status },
    });
    return ok(undefined);
  });
  if (!changed.ok) return changed;
  return ok((await loadClaim(ctx.db, claimId))!);
}
