import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendNotice } from '../../src/notices/index.js';
import { setNoticeContact } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber, publishAgreementVersion } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { freePort, TestMailbox } from './smtp.js';

/**
 * Notices reach subscribers by e-mail through a real SMTP server started here, and in the portal
 * inbox. The operator publishes version 2 of the agreement on 31 March: Alice (who reads English)
 * and Bob (Chinese) are e-mailed in their language and find it unread in the portal. Then the mail
 * server goes down: a notice to Alice is retried with backoff as time passes and arrives once, when
 * the server is back. A delivery given up on shows in the console, and staff retry it.
 */
describe.each(engines)('notice delivery on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let mailbox: TestMailbox;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;

    const deliver = async (at: Date | string) => {
      const outcome = await service.jobs.runOnce('notices.deliver', new Date(at));
      if (outcome.status !== 'ran') throw new Error(`job did not run: ${JSON.stringify(outcome)}`);
      return outcome.result as { events: number; sent: number; skipped: number; failed: number; dead: number };
    };
    const portal = (person: ActiveSubscriber, method: 'GET' | 'POST', url: string) =>
      service.app.inject({ method, url, headers: { cookie: person.cookie } });
    const deliveriesOf = async (key: string) =>
      service.ctx.db
        .selectFrom('notice_deliveries as d')
        .innerJoin('notices as n', 'n.id', 'd.notice_id')
        .select(['d.id', 'd.channel', 'd.status', 'd.attempts', 'd.next_attempt_at', 'd.last_error', 'd.recipient'])
        .where('n.key', '=', key)
        .execute();
    const mailsWithSubject = (subject: string) => mailbox.received.filter((m) => m.mail.subject === subject);

    beforeAll(async () => {
      mailbox = new TestMailbox(await freePort());
      await mailbox.start();
      service = await startTestService(engine, { start: '2026-03-30T01:00:00Z', env: { SMTP_URL: mailbox.url } });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '艾丽丝');
      bob = await activeIndividual(service, reviewer, '鲍勃');
      // Alice gives her e-mail address and chooses English in the portal; Bob's is set for him (Chinese by default).
      const put = (payload: object) =>
        service.app.inject({ method: 'PUT', url: '/api/portal/notice-contact', headers: { cookie: alice.cookie }, payload });
      expect((await put({ email: 'not an address' })).statusCode).toBe(400);
      const saved = await put({ email: ' alice@example.test ', language: 'en' });
      expect(saved.statusCode).toBe(200);
      expect(saved.json()).toEqual({ email: 'alice@example.test', language: 'en' });
      const stored = await service.ctx.db
        .selectFrom('subscribers')
        .select('contact_email_sealed')
        .where('id', '=', alice.id)
        .executeTakeFirstOrThrow();
      expect(stored.contact_email_sealed).not.toContain('alice');
      expect(await setNoticeContact(service.ctx, bob.id, { email: 'bob@example.test' })).toMatchObject({ ok: true });
    }, 120_000);
    afterAll(async () => {
      await service?.close();
      await mailbox?.stop();
    });

    it('a terms change published reaches Alice in English and Bob in Chinese by e-mail, and each portal inbox once', async () => {
      service.clock.set('2026-03-31T01:00:00Z');
      const admin = await signInCookie(service, await addStaff(service, ['administrator']));
      const published = await publishAgreementVersion(service, admin, 2, 'Clause 15 says where and by when to object');
      expect(published.statusCode).toBe(201);

      // (Signing in moved the test clock on by the TOTP step.)
      const publishedAt = service.clock.now();
      const pass = await deliver(new Date(publishedAt.getTime() + 2_000));
      expect(pass).toMatchObject({ events: 2, sent: 2, failed: 0 });
      expect(mailbox.received).toHaveLength(2);
      const toAlice = mailbox.received.find((m) => m.envelopeTo.includes('alice@example.test'))!;
      expect(toAlice.mail.to).toMatchObject({ text: 'alice@example.test' });
      expect(toAlice.mail.from?.value).toEqual([{ name: 'Videophone', address: 'noreply@videophone.example' }]);
      expect(toAlice.mail.subject).toBe('[Videophone] The service agreement changes (version 2)');
      expect(toAlice.mail.text).toContain('Version 2 of the service agreement takes effect on 2026-05-01');
      expect(toAlice.mail.text).toContain('you may object in the portal until 2026-04-30');
      expect(toAlice.mail.text).toContain('Clause 15 says where and by when to object');
      expect(toAlice.mail.messageId).toMatch(/^<notice-[0-9a-f-]{36}@videophone\.example>$/);
      const toBob = mailbox.received.find((m) => m.envelopeTo.includes('bob@example.test'))!;
      expect(toBob.mail.subject).toBe('【视频电话】服务协议变更（第 2 版）');
      expect(toBob.mail.text).toContain('服务协议第 2 版将于 2026-05-01 生效');

      // Another pass sends nothing again.
      expect(await deliver(new Date(publishedAt.getTime() + 10_000))).toMatchObject({ events: 0, sent: 0 });
      expect(mailbox.received).toHaveLength(2);

      // The portal inbox: one unread notice, in the reader's language; the read receipt counts once.
      const inbox = await portal(alice, 'GET', '/api/portal/notices?lang=en');
      expect(inbox.statusCode).toBe(200);
      expect(inbox.json()).toMatchObject({
        unreadCount: 1,
        notices: [{ kind: 'terms-change', title: 'The service agreement changes (version 2)', readAt: null }],
      });
      const id = inbox.json().notices[0].id as string;
      const chinese = await service.app.inject({
        method: 'GET',
        url: `/api/portal/notices/${id}`,
        headers: { cookie: alice.cookie, 'accept-language': 'zh-CN,zh;q=0.9' },
      });
      expect(chinese.json()).toMatchObject({ language: 'zh-CN', title: '服务协议变更（第 2 版）' });
      expect(chinese.json().body).toContain('服务协议第 2 版将于 2026-05-01 生效');
      service.clock.set('2026-03-31T02:00:00Z');
      const read = await portal(alice, 'POST', `/api/portal/notices/${id}/read?lang=en`);
      expect(read.statusCode).toBe(200);
      expect(read.json()).toMatchObject({ readAt: '2026-03-31T02:00:00.000Z', language: 'en' });
      service.clock.set('2026-03-31T03:00:00Z');
      expect((await portal(alice, 'POST', `/api/portal/notices/${id}/read`)).json().readAt).toBe('2026-03-31T02:00:00.000Z');
      expect((await portal(alice, 'GET', '/api/portal/notices')).json().unreadCount).toBe(0);
      expect((await portal(bob, 'GET', '/api/portal/notices')).json().unreadCount).toBe(1);
      // Nobody reads another's notice.
      expect((await portal(bob, 'GET', `/api/portal/notices/${id}`)).statusCode).toBe(404);
      expect((await portal(bob, 'POST', `/api/portal/notices/${id}/read`)).statusCode).toBe(404);
      expect((await portal(bob, 'GET', '/api/portal/notices/not-an-id')).statusCode).toBe(404);
    });

    it('the notices consumer handed the same events again adds no notice and sends nothing', async () => {
      const before = await service.ctx.db
        .selectFrom('notices')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      // At least once: the cursor is wound back as after a crash between the handler and the cursor.
      await sql`update event_consumers set last_event_id = 0 where consumer = 'notices.events'`.execute(service.ctx.db);
      expect(await deliver('2026-03-31T03:00:05Z')).toMatchObject({ events: 2, sent: 0 });
      const after = await service.ctx.db
        .selectFrom('notices')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(after.n)).toBe(Number(before.n));
      expect(mailbox.received).toHaveLength(2);
      expect((await portal(bob, 'GET', '/api/portal/notices')).json().notices).toHaveLength(1);
    });

    it('with the mail server down, a notice is retried with backoff and arrives exactly once when it is back', async () => {
      await mailbox.stop();
      const t0 = new Date('2026-04-01T00:00:00Z');
      const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
      service.clock.set(t0);
      await sendNotice(service.ctx.db, {
        key: 'test:down',
        kind: 'service',
        urgency: 'normal',
        subscriberIds: [alice.id],
        title: { en: 'Mail server test', 'zh-CN': '邮件服务器测试' },
        body: { en: 'Delivered once.', 'zh-CN': '仅送达一次。' },
        occurredAt: t0,
      });
      expect(await deliver(at(0))).toMatchObject({ sent: 0, failed: 1 });
      let [email] = await deliveriesOf('test:down');
      expect(email).toMatchObject({ channel: 'email', status: 'failed', attempts: 1 });
      expect(email!.last_error).toMatch(/ECONNREFUSED|connect/i);
      expect(email!.next_attempt_at.toISOString()).toBe(at(30).toISOString());

      // Not due yet: nothing is tried.
      expect(await deliver(at(20))).toMatchObject({ failed: 0 });
      expect((await deliveriesOf('test:down'))[0]).toMatchObject({ attempts: 1 });
      // Due at +30 s: tried again, and the wait doubles to 60 s.
      expect(await deliver(at(30))).toMatchObject({ failed: 1 });
      [email] = await deliveriesOf('test:down');
      expect(email).toMatchObject({ status: 'failed', attempts: 2 });
      expect(email!.next_attempt_at.toISOString()).toBe(at(90).toISOString());

      await mailbox.start();
      expect(await deliver(at(60))).toMatchObject({ sent: 0 });
      expect(mailsWithSubject('[Videophone] Mail server test')).toHaveLength(0);
      expect(await deliver(at(90))).toMatchObject({ sent: 1 });
      expect(await deliver(at(200))).toMatchObject({ sent: 0 });
      expect(await deliver(at(7200))).toMatchObject({ sent: 0 });
      const received = mailsWithSubject('[Videophone] Mail server test');
      expect(received).toHaveLength(1);
      expect(received[0]!.envelopeTo).toEqual(['alice@example.test']);
      expect(received[0]!.mail.text).toContain('Delivered once.');
      expect((await deliveriesOf('test:down'))[0]).toMatchObject({ status: 'sent', attempts: 3, recipient: 'alice@example.test' });
    });

    it('a delivery given up on shows in the console, and a retry by staff delivers it (audited)', async () => {
      await mailbox.stop();
      const t0 = new Date('2026-04-02T00:00:00Z');
      service.clock.set(t0);
      await sendNotice(service.ctx.db, {
        key: 'test:dead',
        kind: 'service',
        urgency: 'normal',
        subscriberIds: [bob.id],
        title: { en: 'Given up', 'zh-CN': '已放弃' },
        body: { en: 'Retried by staff.', 'zh-CN': '由工作人员重试。' },
        occurredAt: t0,
      });
      // Eight attempts, each when it is due: then the delivery is dead.
      let next = t0;
      for (let attempt = 1; attempt <= 8; attempt++) {
        await deliver(next);
        const [email] = await deliveriesOf('test:dead');
        expect(email).toMatchObject({ attempts: attempt, status: attempt < 8 ? 'failed' : 'dead' });
        next = email!.next_attempt_at;
      }
      expect(await deliver(new Date(next.getTime() + 86_400_000))).toMatchObject({ failed: 0, dead: 0 });

      const technician = await signInCookie(service, await addStaff(service, ['technician']));
      const agent = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      const forbidden = await service.app.inject({ method: 'GET', url: '/api/console/notice-deliveries', headers: { cookie: agent } });
      expect(forbidden.statusCode).toBe(403);
      const listed = await service.app.inject({
        method: 'GET',
        url: '/api/console/notice-deliveries?status=dead',
        headers: { cookie: technician },
      });
      expect(listed.statusCode).toBe(200);
      const [dead] = listed.json().deliveries;
      expect(listed.json().deliveries).toHaveLength(1);
      expect(dead).toMatchObject({ channel: 'email', status: 'dead', attempts: 8, subscriberId: bob.id, title: { en: 'Given up' } });
      expect(dead.lastError).toMatch(/ECONNREFUSED|connect/i);
      const bad = await service.app.inject({
        method: 'GET',
        url: '/api/console/notice-deliveries?status=lost',
        headers: { cookie: technician },
      });
      expect(bad.statusCode).toBe(400);

      await mailbox.start();
      service.clock.set('2026-04-05T00:00:00Z');
      const supervisor = await signInCookie(service, await addStaff(service, ['technician']));
      const retryAt = service.clock.now().toISOString();
      const retried = await service.app.inject({
        method: 'POST',
        url: `/api/console/notice-deliveries/${dead.id}/retry`,
        headers: { cookie: supervisor },
      });
      expect(retried.statusCode).toBe(200);
      expect(retried.json()).toMatchObject({ status: 'pending', nextAttemptAt: retryAt });
      const again = await service.app.inject({
        method: 'POST',
        url: `/api/console/notice-deliveries/${dead.id}/retry`,
        headers: { cookie: supervisor },
      });
      expect(again.statusCode).toBe(404);
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('action', '=', 'notices.delivery.retry')
        .execute();
      expect(audit).toEqual([{ action: 'notices.delivery.retry', target_id: dead.id }]);

      expect(await deliver(new Date(Date.parse(retryAt) + 1_000))).toMatchObject({ sent: 1 });
      expect(mailsWithSubject('【视频电话】已放弃')).toHaveLength(1);
      const empty = await service.app.inject({ method: 'GET', url: '/api/console/notice-deliveries', headers: { cookie: supervisor } });
      expect(empty.json().deliveries).toEqual([]);
    });
  });
});
