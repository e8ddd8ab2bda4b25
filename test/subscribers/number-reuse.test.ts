import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { completeTermination } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

describe.each(engines)('a number goes back to the pool after its quarantine, on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let reviewer: TestStaff;

    beforeAll(async () => {
      // One number in the range, and a 30-day quarantine.
      service = await startTestService(engine, {
        start: '2026-02-01T02:00:00Z',
        env: { VP_NUMBER_RANGES: '7300000-7300000', VP_NUMBER_QUARANTINE_DAYS: '30' },
      });
      reviewer = await addStaff(service, ['verification_reviewer']);
    });
    afterAll(() => service?.close());

    const sipAccount = (number: string) =>
      service.ctx.db.selectFrom('sip_accounts').select(['status', 'status_reason']).where('number', '=', number).executeTakeFirstOrThrow();

    it('Ann leaves; nobody gets her number for 30 days; then Ben is given it with a working SIP account', async () => {
      const ann = await activeIndividual(service, await signInCookie(service, reviewer), '安娜');
      expect(ann.number).toBe('7300000');
      await completeTermination(service.ctx, ann.id, 'requested by the subscriber', { location: null }, systemActor);
      expect(await sipAccount('7300000')).toMatchObject({ status: 'terminated' });

      service.clock.advance({ days: 10 });
      await expect(activeIndividual(service, await signInCookie(service, reviewer), '本杰明')).rejects.toThrow(/No number is free/);

      service.clock.advance({ days: 21 });
      expect((await service.jobs.runOnce('numbers.end-quarantine')).status).toBe('ran');
      const ben = await activeIndividual(service, await signInCookie(service, reviewer), '本');
      expect(ben.number).toBe('7300000');
      expect(await sipAccount('7300000')).toEqual({ status: 'active', status_reason: null });
    });
  });
});
