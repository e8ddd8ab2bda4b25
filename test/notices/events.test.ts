import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { recordPayment } from '../../src/billing/index.js';
import { listNotices, noticeOfEvent } from '../../src/notices/index.js';
import { settingsSchema } from '../../src/platform/config/index.js';
import { setNoticeContact } from '../../src/subscribers/index.js';
import { advanceTo, billingOf, billsOf, local } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import Value from 'typebox/value';

const settings = Value.Default(settingsSchema, {}) as Parameters<typeof noticeOfEvent>[1];

describe('what a suspension notice says (clause 10)', () => {
  it('a judicial suspension is told neutrally, with how to reach support, never the order’s details', () => {
    const notice = noticeOfEvent(
      {
        id: 7,
        type: 'subscriber.suspension-started',
        aggregateType: 'subscriber',
        aggregateId: 'x',
        payload: { suspensionId: 's', cause: 'judicial', blocks: 'all', reason: 'Order (2026) 京0105刑初123号, State Security Bureau' },
        occurredAt: new Date('2026-04-01T00:00:00Z'),
      },
      settings,
    )!;
    expect(notice).toMatchObject({ kind: 'suspension', urgency: 'urgent' });
    expect(notice.body.en).toBe(
      'Your video phone service is suspended at the request of a competent authority. For questions, please contact customer service.',
    );
    expect(notice.body['zh-CN']).toBe('您的视频电话服务已暂停，系应有权机关的要求。如有疑问，请联系客户服务。');
    for (const text of [notice.title.en, notice.title['zh-CN'], notice.body.en, notice.body['zh-CN']]) {
      expect(text).not.toMatch(/123|Bureau|京|Order/);
    }
  });
});

/**
 * Alice's service starts in February; she does not pay. Each step of the billing story reaches her
 * inbox once: February's bill issued on Mar 1, the warning when it is overdue (with the day
 * suspension starts), the suspension, and the restoration after she pays. No e-mail server is
 * configured here, so e-mail deliveries are skipped with the reason.
 */
describe.each(engines)('billing events become notices on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;

    const deliver = async () => {
      const outcome = await service.jobs.runOnce('notices.deliver');
      if (outcome.status !== 'ran') throw new Error(`job did not run: ${JSON.stringify(outcome)}`);
      return outcome.result as { events: number; sent: number; skipped: number };
    };
    const inbox = async () =>
      (await listNotices(service.ctx.db, alice.id)).map((n) => ({ kind: n.kind, urgency: n.urgency, title: n.title.en }));

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-02-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '艾丽丝');
      await setNoticeContact(service.ctx, alice.id, { email: 'alice@example.test', language: 'en' });
    }, 120_000);
    afterAll(() => service?.close());

    it('February’s bill issued on Mar 1 is a notice with its total and due date', async () => {
      await advanceTo(service, '2026-03-01 08:00');
      const [february] = await billsOf(service, alice.id);
      expect(february).toMatchObject({ period: '2026-02-01', dueDate: '2026-03-21' });
      await deliver();
      expect(await inbox()).toEqual([{ kind: 'bill-issued', urgency: 'normal', title: 'Your bill for 2026-02' }]);
      const [notice] = await listNotices(service.ctx.db, alice.id);
      expect(notice!.body.en).toContain(`due on 2026-03-21`);
      expect(notice!.body['zh-CN']).toContain('请于 2026-03-21 前缴清');
      // No SMTP server configured: the e-mail delivery is skipped, with the reason.
      const deliveries = await service.ctx.db.selectFrom('notice_deliveries').select(['channel', 'status', 'last_error']).execute();
      expect(deliveries).toEqual([{ channel: 'email', status: 'skipped', last_error: 'e-mail is not configured (SMTP_URL)' }]);
    });

    it('once the bill is overdue she is warned, once, of the day suspension starts', async () => {
      await advanceTo(service, '2026-03-22 08:00');
      await advanceTo(service, '2026-03-23 08:00');
      await deliver();
      await advanceTo(service, '2026-03-24 08:00');
      await deliver();
      expect(await inbox()).toEqual([
        { kind: 'dunning-warning', urgency: 'urgent', title: 'Overdue bill: service will be suspended' },
        { kind: 'bill-issued', urgency: 'normal', title: 'Your bill for 2026-02' },
      ]);
      const [warning] = await listNotices(service.ctx.db, alice.id);
      expect(warning!.body.en).toContain('service is suspended from 2026-04-22');
      expect(warning!.body['zh-CN']).toContain('服务将自 2026-04-22 起暂停');
    });

    it('the suspension is an urgent notice, and paying restores service with another', async () => {
      await advanceTo(service, '2026-04-01 08:00');
      await advanceTo(service, '2026-04-22 08:00');
      await deliver();
      expect((await inbox()).slice(0, 2)).toEqual([
        { kind: 'suspension', urgency: 'urgent', title: 'Service suspended' },
        { kind: 'bill-issued', urgency: 'normal', title: 'Your bill for 2026-03' },
      ]);
      // An urgent notice also goes by SIP and SMS: here no messenger or SMS provider is bound.
      const suspension = (await listNotices(service.ctx.db, alice.id))[0]!;
      const channels = await service.ctx.db
        .selectFrom('notice_deliveries')
        .select(['channel', 'status', 'last_error'])
        .where('notice_id', '=', suspension.id)
        .orderBy('channel')
        .execute();
      expect(channels).toEqual([
        { channel: 'email', status: 'skipped', last_error: 'e-mail is not configured (SMTP_URL)' },
        { channel: 'sip', status: 'skipped', last_error: 'no SIP messenger' },
        { channel: 'sms', status: 'skipped', last_error: 'no SMS provider bound' },
      ]);

      service.clock.set(local('2026-04-23 10:00'));
      const owed = (await billsOf(service, alice.id)).reduce((sum, bill) => sum + bill.outstandingFen, 0);
      const paid = await recordPayment(
        billingOf(service),
        {
          subscriberId: alice.id,
          provider: 'cashier',
          externalReference: 'all',
          amountFen: owed,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      );
      expect(paid.ok).toBe(true);
      await deliver();
      expect((await inbox())[0]).toEqual({ kind: 'restoration', urgency: 'normal', title: 'Service restored' });
    });
  });
});
