import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billRunProgress, runBills } from '../../src/billing/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan, addSubscriber, billsOf, local } from './support.js';

describe.each(engines)('a bill run with two workers on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    const subscribers: string[] = [];

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-06-15T00:00:00Z' });
      const planId = await addPlan(service);
      for (let i = 0; i < 7; i += 1) subscribers.push((await addSubscriber(service, planId, '2026-06-15')).id);
    });
    afterAll(() => service?.close());

    it('bills each of 7 subscribers once, in batches of 2 taken by two workers; running it again bills nobody twice', async () => {
      service.clock.set(local('2026-07-01 00:00'));
      const run = await runBills(service.ctx, '2026-06-01', { batchSize: 2, concurrency: 2 });
      expect(run).toMatchObject({ subscribersTotal: 7, subscribersBilled: 7, lastError: null });
      for (const id of subscribers) {
        // June 15 … 30 is 16 of 30 days: 16.00.
        expect((await billsOf(service, id)).map((b) => b.lines)).toEqual([[{ kind: 'rent', amountFen: 16_00 }]]);
      }
      await runBills(service.ctx, '2026-06-01', { batchSize: 2, concurrency: 2 });
      expect(await billRunProgress(service.ctx.db, '2026-06-01')).toMatchObject({ subscribersBilled: 7 });
      expect(await service.ctx.db.selectFrom('bills').select('id').execute()).toHaveLength(7);
    });
  });
});
