import { sql } from 'kysely';
import type { Executor } from '../platform/db/index.js';
import type { Fen } from '../platform/money.js';

export interface MoneyFigures {
  /** Billed (bill totals by period) and collected (payments by month paid, in `timeZone`). */
  months: { month: string; billedFen: Fen; collectedFen: Fen }[];
  /** What all subscribers owe, from the ledger (credits are not netted against debts). */
  receivablesFen: Fen;
  /** Accounts in a dunning stage other than current, and the sum handed to collections. */
  overdueAccounts: number;
  collectionsFen: Fen;
  /** Billed in the last complete period divided by the subscribers billed for it; null without bills. */
  arpuFen: Fen | null;
}

/** The managers' money figures, each one grouped query over the billing tables. */
export async function moneyFigures(db: Executor, since: Date, timeZone: string): Promise<MoneyFigures> {
  const [billed, collected, receivables, overdue, collections, arpu] = await Promise.all([
    sql<{ month: string; fen: string }>`
      select to_char(period, 'YYYY-MM') as month, sum(total_fen)::bigint as fen from bills
      where issued_at >= ${since} group by 1 order by 1`.execute(db),
    sql<{ month: string; fen: string }>`
      select to_char(paid_at at time zone ${timeZone}, 'YYYY-MM') as month, sum(amount_fen)::bigint as fen from payments
      where paid_at >= ${since} group by 1 order by 1`.execute(db),
    sql<{ fen: string | null }>`
      select sum(balance)::bigint as fen from (
        select sum(amount_fen) as balance from ledger_entries group by subscriber_id
      ) balances where balance > 0`.execute(db),
    sql<{ n: string }>`select count(*)::bigint as n from dunning_states where stage <> 'current'`.execute(db),
    sql<{ fen: string | null }>`select sum(total_fen)::bigint as fen from collections`.execute(db),
    sql<{ fen: string | null; n: string }>`
      select sum(total_fen)::bigint as fen, count(distinct subscriber_id)::bigint as n from bills
      where kind = 'regular' and period = (select max(period) from bills where kind = 'regular')`.execute(db),
  ]);
  const months = new Map<string, { month: string; billedFen: Fen; collectedFen: Fen }>();
  const monthOf = (month: string) => months.get(month) ?? months.set(month, { month, billedFen: 0, collectedFen: 0 }).get(month)!;
  for (const row of billed.rows) monthOf(row.month).billedFen = Number(row.fen);
  for (const row of collected.rows) monthOf(row.month).collectedFen = Number(row.fen);
  const arpuRow = arpu.rows[0];
  return {
    months: [...months.values()].sort((a, b) => a.month.localeCompare(b.month)),
    receivablesFen: Number(receivables.rows[0]?.fen ?? 0),
    overdueAccounts: Number(overdue.rows[0]?.n ?? 0),
    collectionsFen: Number(collections.rows[0]?.fen ?? 0),
    arpuFen: arpuRow && Number(arpuRow.n) > 0 ? Math.round(Number(arpuRow.fen) / Number(arpuRow.n)) : null,
  };
}
