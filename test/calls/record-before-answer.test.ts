import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/engines.js';
import { header, randomToken, statusLine } from '../support/raw-sip.js';
import { RawPhone } from '../support/raw-phone.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * A call's record is written while the callee's devices ring, and no final response reaches the
 * caller before it is durable: ringing does not wait for the database, an answer does. The record's
 * INSERT is held up for real, by a lock another PostgreSQL session takes on the table.
 */
describe('the call record and the answer', () => {
  let service: SipTestService;
  let alice: RawPhone;
  let bob: RawPhone;
  let schema: string;
  const records = (callId: string) =>
    service.ctx.db.selectFrom('call_records').select(['status', 'answered_at']).where('call_id', '=', callId).execute();

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3300', '3301'], engine: 'postgres' });
    schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(service.ctx.db)).rows[0]!.schema;
    const open = (number: string) => RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
    alice = await open('3300');
    bob = await open('3301');
    await alice.register();
    await bob.register();
    bob.autoAnswer = false;
  });
  afterAll(async () => {
    alice?.close();
    bob?.close();
    await service?.close();
  });

  /** Another session holds a lock that makes every INSERT into call_records wait, until `release`. */
  async function holdRecordInserts(): Promise<{ release: () => Promise<void> }> {
    const other = new pg.Client({ connectionString: postgresUrl });
    await other.connect();
    await other.query('begin');
    await other.query(`lock table "${schema}".call_records in share mode`);
    return {
      release: async () => {
        await other.query('commit');
        await other.end();
      },
    };
  }

  it('rings while the record is written, and passes the answer on only once it is durable', async () => {
    const lock = await holdRecordInserts();
    let established: Awaited<ReturnType<RawPhone['call']>> | null = null;
    const calling = alice.call('3301').then((call) => (established = call));
    try {
      // Bob's phone rings although the record cannot be written yet.
      const invite = await bob.nextRequest(/^INVITE /);
      const callId = header(invite, 'Call-ID')!;
      const toTag = randomToken();
      bob.respond(invite, 180, 'Ringing', toTag);
      expect(statusLine(await alice.nextResponse(/^SIP\/2\.0 180/))).toBe('SIP/2.0 180 Ringing');
      bob.respond(invite, 200, 'OK', toTag, [`Contact: ${bob.contact}`]);
      // The answer is held while the record is not durable.
      await new Promise((resolve) => setTimeout(resolve, 700));
      expect(established).toBeNull();
      expect(alice.received.filter((m) => /^SIP\/2\.0 200/.test(m))).toEqual([]);
      expect(await records(callId)).toEqual([]);

      await lock.release();
      const call = await calling;
      expect(call.callId).toBe(callId);
      await expect.poll(async () => (await records(callId))[0]?.status, { timeout: 5_000 }).toBe('answered');
      bob.autoAnswer = true;
      alice.send(alice.inDialog('BYE', call));
      await alice.nextResponse(/^SIP\/2\.0 200 [\s\S]*CSeq: \d+ BYE/);
      await expect.poll(async () => (await records(callId))[0]?.status, { timeout: 5_000 }).toBe('completed');
    } finally {
      bob.autoAnswer = false;
      await lock.release().catch(() => undefined);
      await calling.catch(() => undefined);
    }
  }, 30_000);

  it('gives the call up with 500 and cancels the ringing device when the record cannot be written', async () => {
    await sql
      .raw(
        `create function refuse_call_records() returns trigger language plpgsql as $$ begin raise exception 'no call records today'; end $$;
         create trigger refuse_call_records before insert on call_records for each row execute function refuse_call_records()`,
      )
      .execute(service.ctx.db);
    try {
      const calling = alice.call('3301').catch((error: unknown) => error);
      const final = await alice.nextResponse(/^SIP\/2\.0 [3-6]\d\d/);
      expect(statusLine(final)).toBe('SIP/2.0 500 Server Internal Error');
      // If Bob's phone was reached before the write failed, it is told to stop ringing.
      const invite = bob.requests.find((m) => m.startsWith('INVITE '));
      if (invite) {
        bob.respond(invite, 180, 'Ringing');
        await bob.nextRequest(/^CANCEL /);
      }
      await calling;
    } finally {
      await sql.raw('drop trigger refuse_call_records on call_records; drop function refuse_call_records()').execute(service.ctx.db);
    }
  }, 30_000);
});
