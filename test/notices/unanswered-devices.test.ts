import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts } from '../../src/calls/index.js';
import type { JobRunOutcome } from '../../src/platform/jobs/index.js';
import { available, engines } from '../support/engines.js';
import { RawPhone } from '../support/raw-phone.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { activeIndividual, type ActiveSubscriber, publishAgreementVersion } from '../support/subscribers.js';
import { addStaff, signInCookie } from '../support/test-service.js';

/**
 * Urgent notices go to subscribers' phones as SIP MESSAGEs (RFC 3428), and a phone whose NAT binding
 * died never answers: its MESSAGE is given up on only at Timer F, 64*T1 = 32 s with the RFC 3261
 * timers this service runs. Three such phones must not be waited for one after the other (the
 * batch's lease is 5 minutes), and a service that stops meanwhile must not wait them out either:
 * it gives the deliveries back, uncounted, and the next pass delivers them.
 */
describe.each(engines)('notices to phones that do not answer on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: SipTestService;
    let admin: string;
    const subscribers: ActiveSubscriber[] = [];
    const phones: RawPhone[] = [];

    beforeAll(async () => {
      service = await startSipTestService({ engine, start: '2026-03-30T01:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      for (const name of ['甲', '乙', '丙']) subscribers.push(await activeIndividual(service, reviewer, `测试${name}`));
      admin = await signInCookie(service, await addStaff(service, ['administrator']));
      // Each number's own credentials set to what the raw phone signs in with.
      await provisionSipAccounts(
        service.ctx.db,
        service.domain,
        subscribers.map(({ number }) => ({ number, password: `pw${number}` })),
        service.clock.now(),
      );
      for (const { number } of subscribers) {
        const phone = await RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
        phones.push(phone);
        await phone.register();
        phone.autoAnswer = false;
      }
    }, 120_000);
    afterAll(async () => {
      for (const phone of phones) phone.close();
      await service?.close();
    });

    const sipDeliveries = () =>
      service.ctx.db
        .selectFrom('notice_deliveries')
        .select(['status', 'attempts', 'claimed_until'])
        .where('channel', '=', 'sip')
        .orderBy('id')
        .execute();

    it('all three phones get their MESSAGE at once; a stop during the wait gives the deliveries back, and the next pass delivers them', async () => {
      const published = await publishAgreementVersion(service, admin, 2, 'Clause 15 says where and by when to object');
      expect(published.statusCode).toBe(201);
      const passAt = new Date(service.clock.now().getTime() + 2_000);
      const pass = service.jobs.runOnce('notices.deliver', passAt);

      // Side by side: the third MESSAGE does not wait for the first two to time out.
      for (const phone of phones) expect(await phone.nextRequest(/^MESSAGE /, 10_000)).toContain('Priority: urgent');

      // The service stops while every phone is silent: the pass ends without waiting for Timer F.
      const stopped = service.jobs.stop();
      const bound = new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 15_000).unref());
      const outcome = (await Promise.race([pass, bound])) as JobRunOutcome | 'still waiting';
      expect(outcome).not.toBe('still waiting');
      await stopped;
      expect(outcome).toMatchObject({ status: 'ran', result: { sent: 0, failed: 0, dead: 0, interrupted: 3 } });
      // Given back as if never tried: due now, unclaimed, no attempt counted.
      expect(await sipDeliveries()).toEqual(Array.from({ length: 3 }, () => ({ status: 'pending', attempts: 0, claimed_until: null })));

      // The next pass (after a restart, or on another node) finds the phones answering and delivers each.
      for (const phone of phones) phone.autoAnswer = true;
      const next = await service.jobs.runOnce('notices.deliver', new Date(passAt.getTime() + 1_000));
      expect(next).toMatchObject({ status: 'ran', result: { sent: 3, failed: 0, interrupted: 0 } });
      expect((await sipDeliveries()).map(({ status, attempts }) => ({ status, attempts }))).toEqual(
        Array.from({ length: 3 }, () => ({ status: 'sent', attempts: 1 })),
      );
    });
  });
});
