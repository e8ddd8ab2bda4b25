import { sql, type Transaction } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SipAccountStore } from '../../src/calls/index.js';
import { callPolicy, onCallRightsChanged, suspendWithin, withdrawCallRights } from '../../src/entitlements/index.js';
import { afterCommit, inTransaction, type Database } from '../../src/platform/db/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

const staff = { type: 'staff' as const, id: null, name: 'test' };

/**
 * A change of call rights made inside a larger transaction (a judicial order, a false-data finding,
 * the credit limit, a termination) is announced to the SIP nodes only once it has committed. A node
 * that hears of it reads the account again at once; told before the commit, it would read the old
 * rights and keep them for a cache lifetime. On PostgreSQL the listener's read goes over another
 * connection of the pool, so it sees exactly what has committed when it runs.
 */
describe.each(engines)('call rights announced after the commit on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;
    let policy: ReturnType<typeof callPolicy>;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '李雷');
      bob = await activeIndividual(service, reviewer, '韩梅梅');
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    });
    afterAll(() => service?.close());

    /**
     * Makes `change` inside a transaction that goes on for 200 ms more (the rest of a decision's
     * work), and returns what a node finds that reads `number`'s rights as soon as it hears of the
     * change: it must hear nothing before the commit, and once after it.
     */
    async function readOnAnnouncement(number: string, change: (trx: Transaction<Database>) => Promise<unknown>) {
      const reads: Promise<{ allow: boolean; status?: number }>[] = [];
      const stop = onCallRightsChanged((numbers) => {
        if (numbers.includes(number)) reads.push(policy.authorizeCall({ caller: number, callee: bob.number, at: service.clock.now() }));
      });
      try {
        await inTransaction(service.ctx.db, async (trx) => {
          await change(trx);
          await sql`select pg_sleep(0.2)`.execute(trx);
          expect(reads).toHaveLength(0);
        });
        expect(reads).toHaveLength(1);
        return await reads[0];
      } finally {
        stop();
      }
    }

    it('a suspension opened inside a transaction is heard of after it commits, and the first read sees it', async () => {
      const read = await readOnAnnouncement(alice.number, (trx) =>
        suspendWithin(
          trx,
          service.ctx.settings,
          { subscriberId: alice.id, cause: 'judicial', reference: 'after-commit' },
          staff,
          service.clock.now(),
        ),
      );
      expect(read).toMatchObject({ allow: false, status: 403 });
    });

    it('call rights withdrawn at termination are heard of after the commit', async () => {
      const read = await readOnAnnouncement(bob.number, (trx) =>
        withdrawCallRights(trx, [bob.number], 'Agreement ended', service.clock.now()),
      );
      expect(read).toMatchObject({ allow: false });
    });

    it('a transaction that rolls back announces nothing', async () => {
      const heard: string[][] = [];
      const stop = onCallRightsChanged((numbers) => heard.push([...numbers]));
      try {
        await expect(
          inTransaction(service.ctx.db, async (trx) => {
            afterCommit(trx, () => heard.push(['queued']));
            await suspendWithin(
              trx,
              service.ctx.settings,
              { subscriberId: alice.id, cause: 'abuse', reference: 'rolled-back' },
              staff,
              service.clock.now(),
            );
            throw new Error('the decision failed');
          }),
        ).rejects.toThrow('the decision failed');
        expect(heard).toEqual([]);
      } finally {
        stop();
      }
    });

    it('outside a transaction an action runs at once', () => {
      const ran: string[] = [];
      afterCommit(service.ctx.db, () => ran.push('now'));
      expect(ran).toEqual(['now']);
    });
  });
});
