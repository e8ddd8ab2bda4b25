import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { issueDeviceCredentials } from '../../src/calls/index.js';
import { setNoticeContact } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { activeIndividual, type ActiveSubscriber, publishAgreementVersion } from '../support/subscribers.js';
import { addStaff, signInCookie } from '../support/test-service.js';
import { freePort, TestMailbox } from './smtp.js';

/**
 * Issue #13's first story, every channel at once with real servers: the operator publishes version 2
 * of the agreement, and Zhou, whose browser phone (SIP.js over the service's WebSocket) is
 * registered, gets it by e-mail (read back from an SMTP server started here), in the portal inbox,
 * and as a SIP MESSAGE (RFC 3428) from the operator on the phone, in Chinese.
 */
describe.each(engines)('a terms change reaches the subscriber by e-mail, portal and phone on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: SipTestService;
    let mailbox: TestMailbox;
    let zhou: ActiveSubscriber;
    let phone: SipJsParty;

    beforeAll(async () => {
      mailbox = new TestMailbox(await freePort());
      await mailbox.start();
      service = await startSipTestService({ engine, start: '2026-03-30T01:00:00Z', env: { SMTP_URL: mailbox.url } });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      zhou = await activeIndividual(service, reviewer, '周小川');
      expect(await setNoticeContact(service.ctx, zhou.id, { email: 'zhou@example.test' })).toMatchObject({ ok: true });
      // The phone registers on the day of publication (a binding lives minutes, not the test clock's days).
      service.clock.set('2026-03-31T00:59:00Z');
      const device = await issueDeviceCredentials(service.ctx.db, {
        number: zhou.number,
        realm: service.domain,
        deviceName: 'browser',
        now: service.clock.now(),
      });
      phone = await startSipJsParty(service.wsUrl, service.domain, zhou.number, {
        credentials: { username: device.authorizationUsername, password: device.password },
      });
    }, 120_000);
    afterAll(async () => {
      await phone?.stop();
      await service?.close();
      await mailbox?.stop();
    });

    it('publishing version 2 e-mails Zhou, puts it in the inbox, and sends a MESSAGE to the registered phone, once each', async () => {
      const admin = await signInCookie(service, await addStaff(service, ['administrator']));
      const published = await publishAgreementVersion(service, admin, 2, 'Clause 15 says where and by when to object');
      expect(published.statusCode).toBe(201);

      const pass = async (seconds: number) => {
        const outcome = await service.jobs.runOnce('notices.deliver', new Date(service.clock.now().getTime() + seconds * 1000));
        expect(outcome.status).toBe('ran');
      };
      await pass(2);

      // E-mail, in Chinese (Zhou chose no language).
      await eventually(() => mailbox.received.length === 1, 'the e-mail to arrive');
      expect(mailbox.received[0]!.envelopeTo).toEqual(['zhou@example.test']);
      expect(mailbox.received[0]!.mail.subject).toBe('【视频电话】服务协议变更（第 2 版）');

      // The phone: a MESSAGE from the operator's notice identity, with the title and the deadline.
      await eventually(() => phone.messages.length === 1, 'the SIP MESSAGE to reach the phone');
      const message = phone.messages[0]!.request;
      expect(message.from.uri.toString()).toBe(`sip:notices@${service.domain}`);
      expect(message.getHeader('Priority')).toBe('urgent');
      expect(message.body).toContain('服务协议变更（第 2 版）');
      expect(message.body).toContain('2026-04-30');

      // The portal inbox.
      const inbox = await service.app.inject({ method: 'GET', url: '/api/portal/notices', headers: { cookie: zhou.cookie } });
      expect(inbox.json()).toMatchObject({ unreadCount: 1, notices: [{ kind: 'terms-change', title: '服务协议变更（第 2 版）' }] });

      // Each channel was delivered once: later passes send nothing again.
      const deliveries = await service.ctx.db
        .selectFrom('notice_deliveries')
        .select(['channel', 'status'])
        .where('notice_id', '=', inbox.json().notices[0].id)
        .orderBy('channel')
        .execute();
      expect(deliveries).toEqual([
        { channel: 'email', status: 'sent' },
        { channel: 'sip', status: 'sent' },
        { channel: 'sms', status: 'skipped' },
      ]);
      await pass(60);
      await pass(600);
      expect(mailbox.received).toHaveLength(1);
      expect(phone.messages).toHaveLength(1);
    });
  });
});
