import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';
import type { LedgerKind } from './tables.js';

/**
 * The ledger (clause 5): every charge (positive: the subscriber owes it) and every credit (negative)
 * is one append-only entry naming its source. A subscriber's balance is the sum of their entries, so
 * it can always be rebuilt; each entry has an idempotency key, so posting twice posts once.
 */
export interface NewLedgerEntry {
  subscriberId: string;
  kind: LedgerKind;
  amountFen: Fen;
  billId?: string | null;
  callRecordId?: string | null;
  paymentId?: string | null;
  refundId?: string | null;
  description: string;
  detail?: unknown;
  idempotencyKey: string;
  /** For keys a client chose: the hash of the request they came with (see `requestHash`). */
  requestHash?: string;
  postedAt: Date;
  actor?: string | null;
}

/** Kinds that charge the subscriber and appear as lines on the next bill. */
export const chargeKinds: readonly LedgerKind[] = ['rent', 'usage', 'late_fee', 'adjustment', 'correction'];
/** Kinds that credit or debit the subscriber's account outside bills. */
export const creditKinds: readonly LedgerKind[] = ['payment', 'refund', 'credit_note'];

/**
 * Posts one entry; returns its id and whether it is new (false: the key was posted before). When the
 * key was posted before, `sameRequest` says whether it came with the same request (or either side has
 * no hash, as for entries posted before requests were hashed).
 */
export async function postEntry(
  executor: Executor,
  entry: NewLedgerEntry,
): Promise<{ id: string; created: true } | { id: string; created: false; sameRequest: boolean }> {
  const inserted = await executor
    .insertInto('ledger_entries')
    .values({
      subscriber_id: entry.subscriberId,
      kind: entry.kind,
      amount_fen: entry.amountFen,
      bill_id: entry.billId ?? null,
      call_record_id: entry.callRecordId ?? null,
      payment_id: entry.paymentId ?? null,
      refund_id: entry.refundId ?? null,
      description: entry.description,
      detail: entry.detail === undefined ? null : JSON.stringify(entry.detail),
      idempotency_key: entry.idempotencyKey,
      request_hash: entry.requestHash ?? null,
      posted_at: entry.postedAt,
      actor: entry.actor ?? null,
    })
    .onConflict((oc) => oc.column('idempotency_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const existing = await executor
    .selectFrom('ledger_entries')
    .select(['id', 'request_hash'])
    .where('idempotency_key', '=', entry.idempotencyKey)
    .executeTakeFirstOrThrow();
  const sameRequest = existing.request_hash === null || entry.requestHash === undefined || existing.request_hash === entry.requestHash;
  return { id: existing.id, created: false, sameRequest };
}

/** SHA-256 of a request's fields in a fixed order: two requests hash alike exactly when they ask the same. */
export function requestHash(fields: Record<string, string | number | null>): string {
  const canonical = JSON.stringify(
    Object.keys(fields)
      .sort()
      .map((name) => [name, fields[name]]),
  );
  return createHash('sha256').update(canonical).digest('hex');
}

/** Many entries in one statement (bill runs); entries whose key exists are skipped. */
export async function postEntries(executor: Executor, entries: (NewLedgerEntry & { id: string })[]): Promise<void> {
  if (entries.length === 0) return;
  const col = <T>(pick: (e: NewLedgerEntry & { id: string }) => T) => entries.map(pick);
  await sql`
    insert into ledger_entries (id, subscriber_id, kind, amount_fen, bill_id, call_record_id, description, detail, idempotency_key, posted_at)
    select * from unnest(
      ${col((e) => e.id)}::uuid[], ${col((e) => e.subscriberId)}::uuid[], ${col((e) => e.kind)}::text[], ${col((e) => e.amountFen)}::bigint[],
      ${col((e) => e.billId ?? null)}::uuid[], ${col((e) => e.callRecordId ?? null)}::uuid[], ${col((e) => e.description)}::text[],
      ${col((e) => (e.detail === undefined ? null : JSON.stringify(e.detail)))}::jsonb[], ${col((e) => e.idempotencyKey)}::text[],
      ${col((e) => e.postedAt.toISOString())}::timestamptz[]
    )
    on conflict (idempotency_key) do nothing`.execute(executor);
}

/** What the subscriber owes (positive) or has in credit (negative), from the ledger alone. */
export async function ledgerBalance(executor: Executor, subscriberId: string): Promise<Fen> {
  const row = await sql<{ balance: number }>`
    select coalesce(sum(amount_fen), 0)::bigint as balance from ledger_entries where subscriber_id = ${subscriberId}`.execute(executor);
  return Number(row.rows[0]?.balance ?? 0);
}

/** Every subscriber's balance rebuilt from the ledger (the console's check and the property tests use it). */
export async function rebuildBalances(executor: Executor): Promise<Map<string, Fen>> {
  const { rows } = await sql<{ subscriber_id: string; balance: number }>`
    select subscriber_id, sum(amount_fen)::bigint as balance from ledger_entries group by subscriber_id`.execute(executor);
  return new Map(rows.map((r) => [r.subscriber_id, Number(r.balance)]));
}

export interface LedgerLine {
  id: string;
  seq: number;
  kind: LedgerKind;
  amountFen: Fen;
  billId: string | null;
  callRecordId: string | null;
  paymentId: string | null;
  description: string;
  detail: unknown;
  postedAt: string;
  onBillId: string | null;
  /** Position of the line on that bill. */
  position: number | null;
}

export async function ledgerOf(executor: Executor, subscriberId: string): Promise<LedgerLine[]> {
  const { rows } = await sql<{
    id: string;
    seq: number;
    kind: LedgerKind;
    amount_fen: number;
    bill_id: string | null;
    call_record_id: string | null;
    payment_id: string | null;
    description: string;
    detail: unknown;
    posted_at: Date;
    on_bill: string | null;
    position: number | null;
  }>`
    select e.id, e.seq, e.kind, e.amount_fen, e.bill_id, e.call_record_id, e.payment_id, e.description, e.detail, e.posted_at, l.bill_id as on_bill, l.position
    from ledger_entries e left join bill_lines l on l.ledger_entry_id = e.id
    where e.subscriber_id = ${subscriberId} order by e.seq`.execute(executor);
  return rows.map((r) => ({
    id: r.id,
    seq: Number(r.seq),
    kind: r.kind,
    amountFen: Number(r.amount_fen),
    billId: r.bill_id,
    callRecordId: r.call_record_id,
    paymentId: r.payment_id,
    description: r.description,
    detail: r.detail,
    postedAt: r.posted_at.toISOString(),
    onBillId: r.on_bill,
    position: r.position,
  }));
}
