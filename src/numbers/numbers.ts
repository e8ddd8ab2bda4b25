import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { TimeDrivenJob } from '../platform/jobs/index.js';

/**
 * Videophone numbers: allocated from the operator's ranges when a subscriber is activated, released
 * at termination into a quarantine (default 90 days, clause 11) and only then handed out again.
 * This module owns the `numbers` table; others ask it which subscriber holds a number.
 */
export interface NumberRange {
  first: bigint;
  last: bigint;
  width: number;
}

export function parseNumberRanges(spec: string): NumberRange[] {
  return spec.split(',').map((part) => {
    const [first, last] = part.trim().split('-') as [string, string];
    if (first.length !== last.length) throw new RangeError(`number range ${part}: both ends need the same number of digits`);
    if (BigInt(first) > BigInt(last)) throw new RangeError(`number range ${part}: the first number is above the last`);
    return { first: BigInt(first), last: BigInt(last), width: first.length };
  });
}

const format = (value: bigint, width: number) => value.toString().padStart(width, '0');

type Db = Kysely<Database> | Transaction<Database>;

/**
 * Takes the next number for a subscriber: the lowest never-used number above those already handed
 * out in a range, else the number whose quarantine ended longest ago. `isTaken` lets the caller
 * exclude numbers in use elsewhere (provisioned terminals). Safe under concurrency: the primary key
 * decides, and a lost race tries the next number.
 */
export async function allocateNumber(
  db: Db,
  input: { subscriberId: string; ranges: NumberRange[]; now: Date; isTaken: (number: string) => Promise<boolean> },
): Promise<string | null> {
  for (const range of input.ranges) {
    const lo = format(range.first, range.width);
    const hi = format(range.last, range.width);
    const highest = await db
      .selectFrom('numbers')
      .select((eb) => eb.fn.max('number').as('max'))
      .where('number', '>=', lo)
      .where('number', '<=', hi)
      .where(sql<boolean>`length(number) = ${range.width}`)
      .executeTakeFirst();
    let candidate = highest?.max ? BigInt(highest.max) + 1n : range.first;
    for (let attempts = 0; candidate <= range.last && attempts < 1000; candidate++, attempts++) {
      const number = format(candidate, range.width);
      if (await input.isTaken(number)) continue;
      const inserted = await db
        .insertInto('numbers')
        .values({ number, subscriber_id: input.subscriberId, status: 'assigned', assigned_at: input.now, updated_at: input.now })
        .onConflict((oc) => oc.column('number').doNothing())
        .returning('number')
        .executeTakeFirst();
      if (inserted) return number;
    }
  }
  // Every fresh number is used: reuse one whose quarantine is over.
  const passedOver: string[] = [];
  for (let attempts = 0; attempts < 20; attempts++) {
    const reusable = await db
      .selectFrom('numbers')
      .select('number')
      .where((eb) =>
        eb.or([eb('status', '=', 'free'), eb.and([eb('status', '=', 'quarantined'), eb('quarantined_until', '<=', input.now)])]),
      )
      .$if(passedOver.length > 0, (query) => query.where('number', 'not in', passedOver))
      .orderBy('released_at')
      .limit(1)
      .executeTakeFirst();
    if (!reusable) return null;
    if (await input.isTaken(reusable.number)) {
      passedOver.push(reusable.number);
      continue;
    }
    const claimed = await db
      .updateTable('numbers')
      .set({
        subscriber_id: input.subscriberId,
        status: 'assigned',
        assigned_at: input.now,
        released_at: null,
        quarantined_until: null,
        updated_at: input.now,
      })
      .where('number', '=', reusable.number)
      .where('status', '!=', 'assigned')
      .executeTakeFirst();
    if (claimed.numUpdatedRows > 0n) return reusable.number;
  }
  return null;
}

/** Releases every number of a subscriber into quarantine; returns the numbers released. */
export async function releaseNumbers(db: Db, subscriberId: string, now: Date, quarantineDays: number): Promise<string[]> {
  const until = new Date(now.getTime() + quarantineDays * 86_400_000);
  const rows = await db
    .updateTable('numbers')
    .set({ subscriber_id: null, status: 'quarantined', released_at: now, quarantined_until: until, updated_at: now })
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'assigned')
    .returning('number')
    .execute();
  return rows.map((row) => row.number);
}

export async function numbersOfSubscriber(db: Db, subscriberId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('numbers')
    .select('number')
    .where('subscriber_id', '=', subscriberId)
    .where('status', '=', 'assigned')
    .orderBy('number')
    .execute();
  return rows.map((row) => row.number);
}

export async function subscriberIdForNumber(db: Db, number: string): Promise<string | null> {
  const row = await db
    .selectFrom('numbers')
    .select('subscriber_id')
    .where('number', '=', number)
    .where('status', '=', 'assigned')
    .executeTakeFirst();
  return row?.subscriber_id ?? null;
}

/** Ends quarantines that are over by T. Idempotent: a second run for the same T finds nothing. */
export function endNumberQuarantineJob(db: Kysely<Database>): TimeDrivenJob {
  return {
    name: 'numbers.end-quarantine',
    intervalSeconds: 3600,
    async advanceTo(instant) {
      await db
        .updateTable('numbers')
        .set({ status: 'free', updated_at: instant })
        .where('status', '=', 'quarantined')
        .where('quarantined_until', '<=', instant)
        .execute();
    },
  };
}

/**
 * Assigned numbers starting with these digits (the whole number matches too), for staff search. A
 * range on the primary key rather than LIKE, so the index serves it under any collation.
 */
export async function assignedNumbersStartingWith(
  db: Db,
  digits: string,
  limit: number,
): Promise<{ number: string; subscriberId: string }[]> {
  if (!/^\d+$/.test(digits)) return [];
  let query = db.selectFrom('numbers').select(['number', 'subscriber_id']).where('status', '=', 'assigned').where('number', '>=', digits);
  const next = followingDigits(digits);
  if (next !== null) query = query.where('number', '<', next);
  const rows = await query.orderBy('number').limit(limit).execute();
  return rows.map((row) => ({ number: row.number, subscriberId: row.subscriber_id! }));
}

/** The smallest digit string greater than every string starting with `digits` ("7199" → "72"), or null for "99…9". */
function followingDigits(digits: string): string | null {
  const trimmed = digits.replace(/9+$/, '');
  if (trimmed === '') return null;
  return trimmed.slice(0, -1) + String(Number(trimmed.at(-1)) + 1);
}

/** Each subscriber's first assigned number, for lists that show one. */
export async function firstNumbersOf(db: Db, subscriberIds: readonly string[]): Promise<Map<string, string>> {
  if (subscriberIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('numbers')
    .select(['subscriber_id', 'number'])
    .where('subscriber_id', 'in', subscriberIds)
    .where('status', '=', 'assigned')
    .orderBy('number')
    .execute();
  const first = new Map<string, string>();
  for (const row of rows) if (row.subscriber_id && !first.has(row.subscriber_id)) first.set(row.subscriber_id, row.number);
  return first;
}
