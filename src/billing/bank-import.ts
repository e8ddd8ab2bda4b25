import { parse } from 'csv-parse/sync';
import { recordAudit, type Actor } from '../audit/index.js';
import { parseMoney, type Fen } from '../platform/money.js';
import { daysInMonth, parseDate, startOfLocalDay } from '../platform/zoned-calendar.js';
import type { BillingContext } from './context.js';
import { recordPayment } from './payments.js';

/**
 * The bank's reconciliation file (clause 5, payments by transfer): CSV with a header row naming
 * `date` (the value date, YYYY-MM-DD in the operator's zone), `amount` (yuan, e.g. 30.00),
 * `reference` (the bank's own, unique) and `subscriber_id`. A preview says what would happen to each
 * row; the import records the accepted rows as payments of provider `bank` (a reference imported
 * before is a duplicate, not a second payment) and keeps the report of rejected rows.
 */
/** Why a row was not imported, for the console to say in the clerk's language (`reason` is the English). */
export type RowProblem =
  | 'unreadable'
  | 'no-reference'
  | 'bad-date'
  | 'bad-amount'
  | 'bad-subscriber-id'
  | 'repeated-reference'
  | 'no-account'
  | 'future-date'
  | 'reference-conflict'
  | 'imported-before'
  | 'payment-refused';

export interface ReconciliationRow {
  line: number;
  status: 'accepted' | 'duplicate' | 'rejected';
  problem: RowProblem | null;
  reason: string | null;
  reference: string | null;
  subscriberId: string | null;
  amountFen: Fen | null;
  date: string | null;
}

export interface ReconciliationReport {
  importId: string | null;
  accepted: number;
  duplicates: number;
  rejected: number;
  totalAcceptedFen: Fen;
  rows: ReconciliationRow[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
export const BANK_PROVIDER = 'bank';

function isCalendarDate(text: string): boolean {
  if (!DATE.test(text)) return false;
  const { year, month, day } = parseDate(text);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

export async function previewReconciliation(ctx: BillingContext, csv: string): Promise<ReconciliationReport> {
  return reconcile(ctx, csv, null);
}

export async function importReconciliation(
  ctx: BillingContext,
  csv: string,
  fileName: string,
  actor: Actor,
): Promise<ReconciliationReport> {
  return reconcile(ctx, csv, { fileName, actor });
}

async function reconcile(
  ctx: BillingContext,
  csv: string,
  commit: { fileName: string; actor: Actor } | null,
): Promise<ReconciliationReport> {
  let records: Record<string, string>[];
  const rows: ReconciliationRow[] = [];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    rows.push({
      line: 0,
      status: 'rejected',
      problem: 'unreadable',
      reason: `not readable as CSV: ${(error as Error).message}`,
      reference: null,
      subscriberId: null,
      amountFen: null,
      date: null,
    });
    return { importId: null, accepted: 0, duplicates: 0, rejected: 1, totalAcceptedFen: 0, rows };
  }
  const seen = new Set<string>();
  for (const [index, record] of records.entries()) {
    const line = index + 2; // the header is line 1
    const reference = record.reference?.trim() || null;
    const subscriberId = record.subscriber_id?.trim() || null;
    const date = record.date?.trim() || null;
    const amountFen = record.amount ? parseMoney(record.amount, ctx.settings.currency) : null;
    const base = { line, reference, subscriberId, amountFen, date };
    const reject = (problem: RowProblem, reason: string) => rows.push({ ...base, status: 'rejected', problem, reason });
    if (!reference) {
      reject('no-reference', 'no reference');
      continue;
    }
    if (!date || !isCalendarDate(date)) {
      reject('bad-date', 'date is not YYYY-MM-DD');
      continue;
    }
    if (amountFen === null || amountFen <= 0) {
      reject('bad-amount', 'amount is not a positive amount with at most two decimals');
      continue;
    }
    if (!subscriberId || !UUID.test(subscriberId)) {
      reject('bad-subscriber-id', 'subscriber_id is not a subscriber id');
      continue;
    }
    if (seen.has(reference)) {
      reject('repeated-reference', 'the reference appears twice in this file');
      continue;
    }
    seen.add(reference);
    const account = await ctx.db
      .selectFrom('billing_accounts')
      .select('subscriber_id')
      .where('subscriber_id', '=', subscriberId)
      .executeTakeFirst();
    if (!account) {
      reject('no-account', 'no billing account for this subscriber');
      continue;
    }
    const paidAt = startOfLocalDay(date, ctx.settings.timeZone);
    if (paidAt > ctx.clock.now()) {
      reject('future-date', 'the value date is in the future');
      continue;
    }
    const existing = await ctx.db
      .selectFrom('payments')
      .select(['subscriber_id', 'amount_fen'])
      .where('provider', '=', BANK_PROVIDER)
      .where('external_reference', '=', reference)
      .executeTakeFirst();
    if (existing) {
      if (existing.subscriber_id !== subscriberId || Number(existing.amount_fen) !== amountFen)
        reject('reference-conflict', 'the reference was imported before with another subscriber or amount');
      else rows.push({ ...base, status: 'duplicate', problem: 'imported-before', reason: 'imported before' });
      continue;
    }
    if (commit) {
      const result = await recordPayment(
        ctx,
        { subscriberId, provider: BANK_PROVIDER, externalReference: reference, amountFen, paidAt, channel: 'bank-file' },
        commit.actor,
      );
      if (!result.ok) {
        reject('payment-refused', result.failure.message);
        continue;
      }
    }
    rows.push({ ...base, status: 'accepted', problem: null, reason: null });
  }
  const count = (status: ReconciliationRow['status']) => rows.filter((r) => r.status === status).length;
  const report: ReconciliationReport = {
    importId: null,
    accepted: count('accepted'),
    duplicates: count('duplicate'),
    rejected: count('rejected'),
    totalAcceptedFen: rows.filter((r) => r.status === 'accepted').reduce((s, r) => s + (r.amountFen ?? 0), 0),
    rows,
  };
  if (commit) {
    const now = ctx.clock.now();
    const saved = await ctx.db
      .insertInto('bank_imports')
      .values({
        file_name: commit.fileName,
        imported_at: now,
        imported_by: commit.actor.id,
        accepted: report.accepted,
        duplicates: report.duplicates,
        rejected: report.rejected,
        report: JSON.stringify(rows),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    report.importId = saved.id;
    await recordAudit(ctx.db, {
      at: now,
      actor: commit.actor,
      action: 'billing.reconciliation.import',
      target: { type: 'bank-import', id: saved.id },
      detail: {
        fileName: commit.fileName,
        accepted: report.accepted,
        duplicates: report.duplicates,
        rejected: report.rejected,
        totalAcceptedFen: report.totalAcceptedFen,
      },
    });
  }
  return report;
}
