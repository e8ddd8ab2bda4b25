import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import pg from 'pg';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { correctAccountPlan, rateCompletedCalls } from '../../src/billing/index.js';
import { provisionSipAccounts } from '../../src/calls/index.js';
import { createPlan } from '../../src/catalog/index.js';
import { systemClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { ServiceContext } from '../../src/platform/context.js';
import { openPostgres, type DatabaseHandle } from '../../src/platform/db/database.js';
import { available, postgresUrl } from '../support/engines.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';
import { RawPhone } from '../support/raw-phone.js';

const until = async (check: () => Promise<boolean>, what: string, limitMs: number) => {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
};

/**
 * Clause 9 through a crash: the service is killed with SIGKILL during a call it was charging. The
 * restarted node holds nothing for the dead run's calls, and once the call ends its fees are what
 * the bill's rating pass makes of the same call.
 */
describe.skipIf(!available.postgres)('charging when the service is killed during a call', () => {
  const children: ChildProcess[] = [];
  const phones: RawPhone[] = [];
  const databaseName = `vp_crash_${randomBytes(4).toString('hex')}`;
  const databaseUrl = postgresUrl.replace(/\/[^/]*$/, `/${databaseName}`);
  let database: DatabaseHandle | undefined;

  afterAll(async () => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
    for (const phone of phones.splice(0)) phone.close();
    await database?.close();
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`drop database if exists ${databaseName} with (force)`);
    await admin.end();
  });

  it('after kill -9 and a restart no reservation of the dead run is held, and the month’s fees equal the rated call', async () => {
    const admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${databaseName}`);
    await admin.end();
    const httpPort = await freePort();
    const sipPort = await freePort();
    const env = {
      DATABASE_URL: databaseUrl,
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-charging-crash-')),
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SIP_PORT: String(sipPort),
      SIP_HOST: '127.0.0.1',
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
      SIP_SECRET: 'charging-crash-test-secret-not-for-production',
      NODE_ID: 'node-a',
      VP_CREDIT_SLICE_SECONDS: '30',
    };
    // Two subscribers applied, approved and signed the way real ones are.
    expect(await exited(runCli(['demo'], env))).toBe(0);
    database = await openPostgres(databaseUrl, 2);
    const db = database.db;
    const settings = loadConfig({ NODE_ENV: 'test' }).settings;
    const ctx = { db, clock: systemClock, settings, logger: pino({ level: 'silent' }) } as unknown as ServiceContext;
    const numbers = (await db.selectFrom('sip_accounts').select('number').orderBy('number').execute()).map((row) => row.number);
    expect(numbers).toHaveLength(2);
    const [aliceNumber, bobNumber] = numbers as [string, string];
    // Known SIP passwords for the test's phones.
    await provisionSipAccounts(
      db,
      'vp.test',
      numbers.map((number) => ({ number, password: `pw${number}` })),
      new Date(),
    );

    const start = async () => {
      const server = runCli(['serve'], env);
      children.push(server);
      collectOutput(server);
      await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 60_000);
      return server;
    };
    const server = await start();
    // Billing opens their accounts from the activation events (its job runs at start).
    await until(
      async () => (await db.selectFrom('billing_accounts').select('subscriber_id').execute()).length === 2,
      'billing accounts',
      30_000,
    );
    const plan = await createPlan(
      ctx,
      {
        code: 'per-minute',
        nameZh: '按分钟',
        nameEn: 'Per minute',
        monthlyRentFen: 10_00,
        includedMinutes: 0,
        perMinuteRatePrecise: 60_0000,
        billingIncrementSeconds: 6,
        sortOrder: 99,
      },
      systemActor,
    );
    if (!plan.ok) throw new Error(plan.failure.message);
    const alice = await db
      .selectFrom('billing_numbers')
      .select('subscriber_id')
      .where('number', '=', aliceNumber)
      .executeTakeFirstOrThrow();
    await correctAccountPlan(ctx, alice.subscriber_id, plan.value.id);
    // No wait for the running node's terms cache: nothing has asked it for these numbers' terms yet
    // (no phone registered, no call), so the first call reads the corrected plan. The last assertion
    // (6 fen an increment) would catch fees from the old plan.

    const open = async (number: string) => {
      const phone = await RawPhone.open({ number, domain: 'vp.test', proxyPort: sipPort });
      phones.push(phone);
      await phone.register();
      return phone;
    };
    const alicePhone = await open(aliceNumber);
    await open(bobNumber);
    const call = await alicePhone.call(bobNumber);
    // The call holds its first slice, tagged with this node.
    await until(
      async () =>
        (await db.selectFrom('charging_reservations').selectAll().execute()).some((r) => r.node_id === 'node-a' && r.state === 'answered'),
      'the answered call’s reservation',
      5_000,
    );
    await new Promise((resolve) => setTimeout(resolve, 3_000));

    server.kill('SIGKILL');
    await exited(server);
    expect(await db.selectFrom('charging_reservations').select('call_key').execute()).toHaveLength(1);

    await start();
    // The restarted node releases what the dead run held, at once (not after the slice).
    await until(async () => (await db.selectFrom('charging_reservations').select('call_key').execute()).length === 0, 'the release', 5_000);

    // The phones are still talking; Alice hangs up through the restarted proxy.
    alicePhone.send(alicePhone.inDialog('BYE', call));
    await alicePhone.nextResponse(/^SIP\/2\.0 200[\s\S]*CSeq: \d+ BYE/, 5_000);
    const record = () => db.selectFrom('call_records').selectAll().where('call_id', '=', call.callId).executeTakeFirstOrThrow();
    await until(async () => (await record()).status === 'completed', 'the record to complete', 5_000);
    const durationMs = Number((await record()).duration_ms);
    expect(durationMs).toBeGreaterThan(3_000);

    // Charging settles the call from its call.completed event (the meter that knew it died).
    const settled = async () =>
      Number(
        (await db.selectFrom('charging_months').select('settled_fen').where('subscriber_id', '=', alice.subscriber_id).executeTakeFirst())
          ?.settled_fen ?? 0,
      );
    await until(async () => (await settled()) > 0, 'the settlement', 10_000);
    await rateCompletedCalls(ctx, new Date());
    const rated = await sql<{ fen: number }>`
      select coalesce(sum(charge_fen), 0)::bigint as fen from call_charges where subscriber_id = ${alice.subscriber_id}`.execute(db);
    expect(await settled()).toBe(Number(rated.rows[0]!.fen));
    // 0.60 a minute is 6 fen an increment of 6 s.
    expect(await settled()).toBe(Math.ceil(durationMs / 6_000) * 6);
  }, 180_000);
});
