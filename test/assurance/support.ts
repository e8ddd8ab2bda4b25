import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { recordOutage, type OutageFacts } from '../../src/assurance/index.js';
import { systemActor } from '../../src/audit/index.js';
import { ledgerOf, openBillingAccount } from '../../src/billing/index.js';
import type { TestService } from '../support/test-service.js';
import { local } from '../billing/support.js';

export { local };

/** A subscriber known to billing, with the number given, in service from `serviceStart` (a local date). */
export async function subscriberWithNumber(service: TestService, planId: string, number: string, serviceStart: string): Promise<string> {
  const id = randomUUID();
  await openBillingAccount(service.ctx, { subscriberId: id, planId, serviceStart, numbers: [number], numbersFrom: local(serviceStart) });
  return id;
}

/** Staff record an outage at the local instant `at` (the clock moves there). */
export async function outage(
  service: TestService,
  at: string,
  facts: Omit<OutageFacts, 'startsAt' | 'endsAt' | 'descriptionZh' | 'descriptionEn'> & { from: string; to: string | null },
): Promise<string> {
  service.clock.set(local(at));
  const result = await recordOutage(
    service.ctx,
    {
      startsAt: local(facts.from),
      endsAt: facts.to ? local(facts.to) : null,
      cause: facts.cause,
      scope: facts.scope,
      descriptionZh: '视频呼叫中断',
      descriptionEn: 'Video calls interrupted',
    },
    systemActor,
  );
  if (!result.ok) throw new Error(JSON.stringify(result.failure));
  return result.value.id;
}

/** Moves the clock to a local instant and runs the outage-credit job as the scheduler would. */
export async function creditRun(service: TestService, localInstant: string): Promise<{ outages: number; documents: number }> {
  service.clock.set(local(localInstant));
  const outcome = await service.jobs.runOnce('assurance.outage-credits');
  if (outcome.status !== 'ran') throw new Error(`assurance.outage-credits did not run: ${JSON.stringify(outcome)}`);
  return outcome.result as { outages: number; documents: number };
}

/** The subscriber's credit notes and adjustments, oldest first, with their words. */
export async function creditDocuments(
  service: TestService,
  subscriberId: string,
): Promise<{ kind: string; amountFen: number; description: string }[]> {
  const ledger = await ledgerOf(service.ctx.db, subscriberId);
  return ledger
    .filter((e) => e.kind === 'credit_note' || e.kind === 'adjustment')
    .map((e) => ({ kind: e.kind, amountFen: e.amountFen, description: e.description }));
}

/** Row counts and sums of the ledger and of outage credits: equal snapshots mean a re-run changed nothing. */
export async function creditFingerprint(service: TestService): Promise<unknown> {
  const { rows } = await sql<{ entries: number; ledger: number; credits: number; credited: number }>`
    select (select count(*) from ledger_entries)::int as entries,
           (select coalesce(sum(amount_fen), 0) from ledger_entries)::bigint as ledger,
           (select count(*) from outage_credits)::int as credits,
           (select coalesce(sum(amount_fen), 0) from outage_credits)::bigint as credited`.execute(service.ctx.db);
  expect(rows).toHaveLength(1);
  return rows[0];
}
