import type { Executor } from '../platform/db/index.js';
import { referenceOf } from './outages.js';

/** A credit document an outage gave a subscriber, as the console and the portal list it. */
export interface CreditDocument {
  outageId: string;
  reference: string;
  version: number;
  subscriberId: string;
  seq: number;
  amountFen: number;
  entitledFen: number;
  affectedMinutes: number;
  reason: string;
  posted: boolean;
  createdAt: string;
}

function query(executor: Executor) {
  return executor
    .selectFrom('outage_credits as c')
    .innerJoin('outages as o', 'o.id', 'c.outage_id')
    .select([
      'c.outage_id',
      'o.number',
      'c.version',
      'c.subscriber_id',
      'c.seq',
      'c.amount_fen',
      'c.entitled_fen',
      'c.affected_minutes',
      'c.reason',
      'c.ledger_entry_id',
      'c.created_at',
    ]);
}

type Row = Awaited<ReturnType<ReturnType<typeof query>['execute']>>[number];

const toDocument = (row: Row): CreditDocument => ({
  outageId: row.outage_id,
  reference: referenceOf(row.number),
  version: row.version,
  subscriberId: row.subscriber_id,
  seq: row.seq,
  amountFen: Number(row.amount_fen),
  entitledFen: Number(row.entitled_fen),
  affectedMinutes: row.affected_minutes,
  reason: row.reason,
  posted: row.ledger_entry_id !== null,
  createdAt: row.created_at.toISOString(),
});

export async function creditsOfOutage(executor: Executor, outageId: string): Promise<CreditDocument[]> {
  const rows = await query(executor).where('c.outage_id', '=', outageId).orderBy('c.subscriber_id').orderBy('c.seq').execute();
  return rows.map(toDocument);
}

export async function creditsOfSubscriber(executor: Executor, subscriberId: string): Promise<CreditDocument[]> {
  const rows = await query(executor)
    .where('c.subscriber_id', '=', subscriberId)
    .orderBy('c.created_at', 'desc')
    .orderBy('c.seq', 'desc')
    .execute();
  return rows.map(toDocument);
}
