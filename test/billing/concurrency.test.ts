import { setTimeout as pause } from 'node:timers/promises';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import {
  billBalances,
  correctAccountPlan,
  ledgerBalance,
  openBillingAccount,
  rateCompletedCalls,
  recordPayment,
  refundCredit,
  rerateSubscriber,
  runBills,
  unappliedCredit,
  type BillRunProgress,
} from '../../src/billing/index.js';
import type { Period } from '../../src/platform/zoned-calendar.js';
import { available, postgresUrl } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addCall, addPlan, addSubscriber, advanceTo, billFor, billingOf, local, noDunning } from './support.js';

/**
 * Races on PostgreSQL only: the embedded PGlite has one connection, so nothing there runs at the same
 * time. Each race is made deterministic by a second connection of the test's own that holds the bill
 * run's progress row once its first batch (someone else) has committed: the run bills one account a
 * batch, so in the second it does all its work on the subject's account (bill written, credit read and
 * applied) and then waits, its transaction open, to count the batch. The refund or payment starts then; it either finishes at once (nothing
 * keeps it from the account) or waits for the run, which is told apart by asking PostgreSQL who blocks
 * whom, never by sleeping.
 */
class BillRunPause {
  /** Taken once, after the first batch; released once. */
  private state: 'waiting' | 'held' | 'released' = 'waiting';

  private constructor(
    /** Holds the row in its own transaction. */
    private readonly holder: pg.Client,
    private readonly holderPid: number,
    /** Watches who waits for whom, outside any transaction: pg_stat_activity is read once per transaction. */
    private readonly observer: pg.Client,
  ) {}

  static async open(service: TestService): Promise<BillRunPause> {
    const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(service.ctx.db);
    const connect = async () => {
      const client = new pg.Client({ connectionString: postgresUrl, options: `-c search_path=${rows[0]!.schema}` });
      await client.connect();
      return client;
    };
    const holder = await connect();
    const holderPid = (await holder.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
    return new BillRunPause(holder, holderPid, await connect());
  }

  /** The run's hooks: after its first batch commits, the progress row is held until `release`. */
  hooksFor(period: Period) {
    return {
      afterBatch: async () => {
        if (this.state !== 'waiting') return;
        this.state = 'held';
        await this.holder.query('begin');
        await this.holder.query('select 1 from bill_runs where period = $1::date for update', [period]);
      },
    };
  }

  /** Resolves with the run's backend once it waits on the held row, its batch done but not committed. */
  async runWaiting(run: Promise<unknown>): Promise<number> {
    const pid = await this.firstBlockedBy([this.holderPid], run);
    if (pid === null) throw new Error('the bill run finished without reaching the held progress row');
    return pid;
  }

  /** Resolves once `operation` waits for the run's backend, or has finished while the run was paused. */
  async waitingOrDone(runPid: number, operation: Promise<unknown>): Promise<void> {
    await this.firstBlockedBy([runPid], operation);
  }

  async release(): Promise<void> {
    if (this.state === 'held') await this.holder.query('commit');
    this.state = 'released';
  }

  async close(): Promise<void> {
    await this.release().catch(() => undefined);
    await this.holder.end();
    await this.observer.end();
  }

  private async firstBlockedBy(blockers: number[], unless: Promise<unknown>): Promise<number | null> {
    let settled = false;
    void unless.then(
      () => (settled = true),
      () => (settled = true),
    );
    for (;;) {
      const { rows } = await this.observer.query<{ pid: number }>(
        'select pid from pg_stat_activity where pg_blocking_pids(pid) && $1::int[] order by pid limit 1',
        [blockers],
      );
      if (rows[0]) return rows[0].pid;
      if (settled) return null;
      // Polls the server's lock table: the wait is for a lock state, not for time to pass.
      await pause(5);
    }
  }
}

/**
 * Runs the bill run for `period` one account a batch, and while it holds the subject's batch open,
 * starts `operation`; once that waits for the run or has finished, lets the run commit.
 */
async function raceBillRun<T>(
  service: TestService,
  period: Period,
  operation: () => Promise<T>,
): Promise<{ run: BillRunProgress; outcome: T }> {
  const billRunPause = await BillRunPause.open(service);
  try {
    const run = runBills(billingOf(service), period, { batchSize: 1, hooks: billRunPause.hooksFor(period) });
    run.catch(() => undefined); // awaited below; a rejection before then must not go unhandled
    const runPid = await billRunPause.runWaiting(run);
    const pending = operation();
    pending.catch(() => undefined); // likewise
    await billRunPause.waitingOrDone(runPid, pending);
    await billRunPause.release();
    return { run: await run, outcome: await pending };
  } finally {
    await billRunPause.close();
  }
}

/** Billed in the run's first batch, before any random id: the batch after it, the subject's, is the one held. */
const FIRST_IN_ORDER = '00000000-0000-4000-8000-000000000000';

/** The subject, and someone whose account the bill run reaches first (the run bills in subscriber id order). */
async function subjectBilledSecond(service: TestService, planId: string, serviceStart: string): Promise<{ id: string; number: string }> {
  await openBillingAccount(service.ctx, { subscriberId: FIRST_IN_ORDER, planId, serviceStart });
  const subject = await addSubscriber(service, planId, serviceStart);
  expect(subject.id > FIRST_IN_ORDER).toBe(true);
  return subject;
}

/**
 * The money invariants: unapplied credit is never negative (no refund took more than there was, no
 * credit paid twice), no credit lies unapplied while a bill is owed (every payment reached the bills),
 * and the ledger balances (what it sums to is what the bills owe, plus charges not billed, less credit).
 */
async function expectMoneyHolds(service: TestService, subscriberId: string): Promise<void> {
  const db = service.ctx.db;
  const credit = await unappliedCredit(db, subscriberId);
  const owed = (await billBalances(db, subscriberId)).reduce((sum, bill) => sum + bill.outstandingFen, 0);
  const unbilled = await sql<{ fen: number }>`
    select coalesce(sum(amount_fen), 0)::bigint as fen from ledger_entries e
    where subscriber_id = ${subscriberId} and kind in ('rent', 'usage', 'late_fee', 'adjustment', 'correction')
      and not exists (select 1 from bill_lines l where l.ledger_entry_id = e.id)`.execute(db);
  expect(credit, 'unapplied credit').toBeGreaterThanOrEqual(0);
  expect(owed === 0 || credit === 0, `${credit} fen of credit left unapplied while bills owe ${owed} fen`).toBe(true);
  expect(await ledgerBalance(db, subscriberId), 'ledger balance').toBe(owed + Number(unbilled.rows[0]!.fen) - credit);
}

describe.skipIf(!available.postgres)('a bill run racing a refund on PostgreSQL (the account lock)', () => {
  let service: TestService;
  let carol: { id: string; number: string };

  beforeAll(async () => {
    service = await startTestService('postgres', { start: '2025-12-31T00:00:00Z', env: noDunning });
    carol = await subjectBilledSecond(service, await addPlan(service), '2026-01-01');
  });
  afterAll(() => service?.close());
  afterEach(() => expectMoneyHolds(service, carol.id));

  it('Carol pays 50_00 ahead in January; while the Feb 1 run bills her 30_00 from that credit she asks for all 50_00 back: she gets the 20_00 left, not 50_00', async () => {
    service.clock.set(local('2026-01-15 10:00'));
    const paid = await recordPayment(
      billingOf(service),
      {
        subscriberId: carol.id,
        provider: 'bank',
        externalReference: 'carol-ahead',
        amountFen: 50_00,
        paidAt: service.clock.now(),
        channel: 'manual',
      },
      systemActor,
    );
    expect(paid.ok && paid.value).toMatchObject({ allocatedFen: 0, creditFen: 50_00 });

    service.clock.set(local('2026-02-01 00:00'));
    const race = await raceBillRun(service, '2026-01-01', () =>
      refundCredit(billingOf(service), { subscriberId: carol.id, amountFen: 50_00, reason: 'moving abroad' }, systemActor),
    );

    expect(race.run).toMatchObject({ subscribersBilled: 2, lastError: null });
    expect(race.outcome).toMatchObject({ ok: false, failure: { kind: 'conflict', extra: { creditFen: 20_00 } } });
    expect(await billFor(service, carol.id, '2026-01-01')).toMatchObject({ totalFen: 30_00, outstandingFen: 0 });
    expect(await unappliedCredit(service.ctx.db, carol.id)).toBe(20_00);
    const rest = await refundCredit(billingOf(service), { subscriberId: carol.id, amountFen: 20_00, reason: 'moving abroad' }, systemActor);
    expect(rest.ok && rest.value.creditFen).toBe(0);
  });
});

describe.skipIf(!available.postgres)('a bill run racing a payment on PostgreSQL (the account lock)', () => {
  let service: TestService;
  let dan: { id: string; number: string };

  beforeAll(async () => {
    service = await startTestService('postgres', { start: '2025-12-31T00:00:00Z', env: noDunning });
    dan = await subjectBilledSecond(service, await addPlan(service), '2026-01-01');
  });
  afterAll(() => service?.close());
  afterEach(() => expectMoneyHolds(service, dan.id));

  it('while the Feb 1 run writes Dan’s first bill, 30_00, he pays 30_00 at the desk: the payment pays that bill', async () => {
    service.clock.set(local('2026-02-01 00:00'));
    const race = await raceBillRun(service, '2026-01-01', () =>
      recordPayment(
        billingOf(service),
        {
          subscriberId: dan.id,
          provider: 'cashier',
          externalReference: 'dan-desk',
          amountFen: 30_00,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      ),
    );

    expect(race.run).toMatchObject({ subscribersBilled: 2, lastError: null });
    expect(race.outcome.ok && race.outcome.value).toMatchObject({ allocatedFen: 30_00, creditFen: 0 });
    expect(await billFor(service, dan.id, '2026-01-01')).toMatchObject({ totalFen: 30_00, outstandingFen: 0 });
  });
});

describe.skipIf(!available.postgres)('credit from a negative bill, raced by a refund on PostgreSQL', () => {
  let service: TestService;
  let erin: { id: string; number: string };

  beforeAll(async () => {
    service = await startTestService('postgres', { start: '2025-12-31T00:00:00Z', env: noDunning });
    // 1.50 a minute, where Erin should have had her calls free.
    const pricey = await addPlan(service, { perMinuteRatePrecise: 150_0000 });
    erin = await subjectBilledSecond(service, pricey, '2026-01-01');
  });
  afterAll(() => service?.close());
  afterEach(() => expectMoneyHolds(service, erin.id));

  it('Erin calls 100 minutes in January at 1.50: the Feb 1 bill is rent 30_00 plus usage 150_00, 180_00, unpaid', async () => {
    await addCall(service, erin.number, { answeredAt: local('2026-01-10 20:00'), durationMs: 100 * 60_000 });
    await advanceTo(service, '2026-02-01 00:00');
    expect(await billFor(service, erin.id, '2026-01-01')).toMatchObject({
      totalFen: 180_00,
      outstandingFen: 180_00,
      lines: [
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'usage', amountFen: 150_00 },
      ],
    });
  });

  it('her plan is corrected to free calls; while the Mar 1 run issues February at -120_00, staff refund 120_00: the credit pays January (60_00 left) and the refund is refused', async () => {
    service.clock.set(local('2026-02-10 09:00'));
    await correctAccountPlan(service.ctx, erin.id, await addPlan(service, { perMinuteRatePrecise: 0 }));
    expect(await rerateSubscriber(service.ctx, erin.id, '2026-01-01')).toEqual({ corrected: 1, deltaFen: -150_00 });

    service.clock.set(local('2026-03-01 00:00'));
    await rateCompletedCalls(service.ctx, service.clock.now());
    const race = await raceBillRun(service, '2026-02-01', () =>
      refundCredit(billingOf(service), { subscriberId: erin.id, amountFen: 120_00, reason: 'tariff correction' }, systemActor),
    );

    expect(race.run).toMatchObject({ subscribersBilled: 2, lastError: null });
    expect(race.outcome).toMatchObject({ ok: false, failure: { kind: 'conflict', extra: { creditFen: 0 } } });
    expect(await billFor(service, erin.id, '2026-02-01')).toMatchObject({
      totalFen: -120_00,
      lines: [
        { kind: 'rent', amountFen: 30_00 },
        { kind: 'correction', amountFen: -150_00 },
      ],
    });
    expect((await billFor(service, erin.id, '2026-01-01')).outstandingFen).toBe(60_00);
    expect(await unappliedCredit(service.ctx.db, erin.id)).toBe(0);
  });
});
