import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { CompiledQuery, sql } from 'kysely';
import { CallRecorder, closeStaleCallsJob } from '../../src/calls/index.js';
import { endingsStatement, staleCallSearches } from '../../src/calls/call-records.js';
import { openPGlite, type DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { migrations } from '../../src/migrations.js';
import { available, engines, openTestDatabase } from '../support/engines.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';
import { eventually, startSipJsParty } from '../support/sip-clients.js';

describe.each(engines)('call records on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    let recorder: CallRecorder;
    const t0 = new Date('2026-07-01T10:00:00Z');
    const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
      recorder = new CallRecorder(database.db);
    });
    afterAll(() => database?.close());

    const call = (callId: string, sessionExpiresSeconds: number | null = null) =>
      recorder.started({ callId, fromTag: 'f1', caller: '5000', callee: '5001', callerDevice: 'test', at: t0, sessionExpiresSeconds });

    it('keeps one record per call attempt, however often the INVITE arrives', async () => {
      const first = await call('dup-call');
      const again = await call('dup-call');
      expect(again).toBe(first);
      const rows = await database.db.selectFrom('call_records').select('id').where('call_id', '=', 'dup-call').execute();
      expect(rows).toHaveLength(1);
    });

    it('a batch of endings finds its records through the dialog index, not by reading every record (no statistics yet)', async () => {
      // Thousands of answered calls, as a day of service leaves, in a table nothing has analysed yet
      // (the embedded database has no autovacuum): the planner's guesses are all it has.
      await sql`
        insert into call_records (id, call_id, from_tag, caller, callee, invited_at, answered_at, status, last_activity_at)
        select gen_random_uuid(), 'bulk-' || n, 'f1', '5000', '5001', ${t0}::timestamptz, ${t0}::timestamptz, 'answered', ${t0}::timestamptz
        from generate_series(1, 30000) as n`.execute(database.db);
      const endings = Array.from({ length: 100 }, (_, n) => ({
        callId: `bulk-${n * 97 + 1}`,
        at: at(60),
        byeFromTag: 'f1',
        reason: 'BYE',
      }));
      const plan = await database.db.transaction().execute(async (trx) => {
        const explained = await sql<{ 'QUERY PLAN': string }>`explain analyze ${endingsStatement(endings)}`.execute(trx);
        const [{ ended }] = (
          await sql<{
            ended: number;
          }>`select count(*)::int as ended from call_records where status = 'completed' and call_id like 'bulk-%'`.execute(trx)
        ).rows as [{ ended: number }];
        expect(ended).toBe(100);
        return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
      });
      expect(plan).not.toMatch(/Seq Scan on call_records/);
      await sql`delete from call_records where call_id like 'bulk-%'`.execute(database.db);
    });

    it('the stale-call job finds open calls through the open-calls index, not by reading every record', async () => {
      // With sequential scans priced out, a plan still reading every call record means no index
      // can serve the search at all: what the job's searches would then cost every 30 s grows with
      // every call ever made.
      const searches = staleCallSearches(database.db, { maxRingingSeconds: 120, maxCallSeconds: 4 * 3600 }, at(3600));
      for (const search of [searches.abandoned, searches.silent]) {
        const compiled = search.compile();
        const plan = await database.db.transaction().execute(async (trx) => {
          await sql`set local enable_seqscan = off`.execute(trx);
          const explained = await trx.executeQuery<{ 'QUERY PLAN': string }>(
            CompiledQuery.raw(`explain ${compiled.sql}`, [...compiled.parameters]),
          );
          return explained.rows.map((row) => row['QUERY PLAN']).join('\n');
        });
        expect(plan).toMatch(/call_records_open/);
        expect(plan).not.toMatch(/Seq Scan on call_records/);
      }
    });

    it('carries only the indexes the calls module reads by: none for a rating pass that no longer reads call records', async () => {
      const { rows } = await sql<{ indexname: string }>`
        select indexname from pg_indexes where tablename = 'call_records' and schemaname = current_schema() order by indexname`.execute(
        database.db,
      );
      expect(rows.map((row) => row.indexname)).toEqual([
        'call_records_callee',
        'call_records_caller',
        'call_records_dialog',
        'call_records_open',
        'call_records_pkey',
      ]);
    });

    it('times a call from answer to BYE, in milliseconds, and names who hung up by the BYE From tag', async () => {
      const id = await call('timed-call');
      await recorder.answered('timed-call', id, at(5.25), 'Bob tablet');
      await recorder.ended('timed-call', at(65.5), 'bob-tag', 'BYE');
      const row = await database.db.selectFrom('call_records').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        status: 'completed',
        duration_ms: 60_250,
        hung_up_by: 'callee',
        callee_device: 'Bob tablet',
        end_unseen: false,
      });
    });

    it('a BYE right after the answer still finds the call answered, on a connection pool too (20 rounds)', async () => {
      for (let round = 0; round < 20; round += 1) {
        const callId = `quick-${round}`;
        const id = await call(callId);
        // The proxy records the answer without waiting, then the caller hangs up at once.
        void recorder.answered(callId, id, at(1), null);
        await recorder.ended(callId, at(1.001), 'f1', 'BYE');
        const row = await database.db
          .selectFrom('call_records')
          .select(['status', 'hung_up_by'])
          .where('id', '=', id)
          .executeTakeFirstOrThrow();
        expect(row).toEqual({ status: 'completed', hung_up_by: 'caller' });
      }
    });

    it('closes calls whose end was never seen, as of T, flagged; running again for the same T changes nothing', async () => {
      const ringing = await call('lost-while-ringing');
      const timed = await call('lost-with-session-timer', 90);
      await recorder.answered('lost-with-session-timer', timed, at(10), null);
      await recorder.refreshed('lost-with-session-timer', at(40));
      const untimed = await call('lost-without-session-timer');
      await recorder.answered('lost-without-session-timer', untimed, at(10), null);
      const job = closeStaleCallsJob(database.db, { maxRingingSeconds: 120, maxCallSeconds: 4 * 3600 });

      await job.advanceTo(at(600));
      const snapshot = async () =>
        database.db
          .selectFrom('call_records')
          .select(['call_id', 'status', 'ended_at', 'duration_ms', 'end_unseen', 'end_reason'])
          .where('call_id', 'in', ['lost-while-ringing', 'lost-with-session-timer', 'lost-without-session-timer'])
          .orderBy('call_id')
          .execute();
      const after600 = await snapshot();
      expect(after600).toEqual([
        {
          call_id: 'lost-while-ringing',
          status: 'failed',
          ended_at: t0,
          duration_ms: 0,
          end_unseen: true,
          end_reason: 'setup never completed',
        },
        {
          call_id: 'lost-with-session-timer',
          status: 'completed',
          // Its last proof of life was the refresh at 40 s: that is when it ended, as far as anyone can prove.
          ended_at: at(40),
          duration_ms: 30_000,
          end_unseen: true,
          end_reason: 'session timer expired (RFC 4028)',
        },
        {
          call_id: 'lost-without-session-timer',
          status: 'answered',
          ended_at: null,
          duration_ms: null,
          end_unseen: false,
          end_reason: null,
        },
      ]);
      await job.advanceTo(at(600));
      expect(await snapshot()).toEqual(after600);

      await job.advanceTo(at(4 * 3600 + 11));
      const late = (await snapshot()).find((r) => r.call_id === 'lost-without-session-timer')!;
      expect(late).toMatchObject({
        status: 'completed',
        end_unseen: true,
        end_reason: 'maximum call duration',
        ended_at: at(10),
        duration_ms: 0,
      });
      void ringing;
    });
  });
});

describe('a call record survives the proxy being killed mid-call', () => {
  const children: ChildProcess[] = [];
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  it('Alice calls Bob, Bob answers, the server dies with SIGKILL; the record is on disk, answered, exactly once', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-kill-'));
    const httpPort = await freePort();
    const env = {
      DATA_DIR: dataDir,
      HOST: '127.0.0.1',
      PORT: String(httpPort),
      SIP_PORT: String(await freePort()),
      SIP_HOST: '127.0.0.1',
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
    };
    const provision = runCli(['sip', 'provision', '--from', '6000', '--to', '6001'], env);
    expect(await exited(provision)).toBe(0);

    const server = runCli(['serve'], env);
    children.push(server);
    collectOutput(server);
    await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 20_000);
    const wsUrl = `ws://127.0.0.1:${httpPort}/sip`;
    const alice = await startSipJsParty(wsUrl, 'vp.test', '6000');
    const bob = await startSipJsParty(wsUrl, 'vp.test', '6001');
    const inviter = new Inviter(alice.ua, UserAgent.makeURI('sip:6001@vp.test')!);
    await inviter.invite();
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    await bob.invitations[0]!.accept();
    await eventually(() => inviter.state === SessionState.Established, 'the call');
    // Give the answer's record update its moment to land, as it would in any real call.
    await new Promise((resolve) => setTimeout(resolve, 300));

    server.kill('SIGKILL');
    await exited(server);
    await alice.abandon();
    await bob.abandon();

    const database = await openPGlite(path.join(dataDir, 'pglite'));
    try {
      const rows = await database.db.selectFrom('call_records').selectAll().execute();
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ caller: '6000', callee: '6001', status: 'answered', ended_at: null });
      expect(rows[0]!.answered_at).not.toBeNull();
    } finally {
      await database.close();
    }
  }, 120_000); // two CLI processes started with tsx: slow on a busy 2-core machine
});
