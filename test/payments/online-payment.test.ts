import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../../src/audit/index.js';
import { amountOwedNow, correctAccountPlan, dunningStageOf, ledgerOf, recordPayment, unappliedCredit } from '../../src/billing/index.js';
import { activeSuspensions } from '../../src/entitlements/index.js';
import type { NotificationTransport, PaymentIntentView } from '../../src/payments/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, portalCookie } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService, startTestService } from '../support/test-service.js';
import { addPlan, advanceTo, billingOf, local } from '../billing/support.js';

/** Notifications delivered in process, as the simulator would over HTTP to a listening service. */
const injectTransport =
  (service: TestService): NotificationTransport =>
  async (url, notification) => {
    const answer = await service.app.inject({
      method: 'POST',
      url: new URL(url).pathname,
      headers: notification.headers,
      payload: notification.body,
    });
    return { status: answer.statusCode, body: answer.body };
  };
/** A notify URL that cannot be reached: the provider will try again. */
const unreachable: NotificationTransport = async () => {
  throw new Error('connect ECONNREFUSED');
};

describe.each(engines)('online payment through the simulator, on %s (issue #15)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: { id: string; phone: string };
    let cookie: string;
    const simulator = () => service.payments.simulator!;
    const signIn = async () => {
      cookie = await portalCookie(service, alice.phone);
    };
    const pay = async (body: Record<string, unknown>) =>
      service.app.inject({ method: 'POST', url: '/api/portal/payments', headers: { cookie }, payload: { provider: 'simulator', ...body } });
    const intent = async (id: string): Promise<PaymentIntentView> =>
      (await service.app.inject({ method: 'GET', url: `/api/portal/payments/${id}`, headers: { cookie } })).json();
    const tradeNoOf = (view: PaymentIntentView) => /\/simulator\/pay\/(SIM[0-9A-F]+)$/.exec(view.action!.content)![1]!;
    const payments = async () => (await ledgerOf(service.ctx.db, alice.id)).filter((line) => line.kind === 'payment');
    const effects = async (intentId: string) =>
      (
        await service.ctx.db
          .selectFrom('payment_notifications')
          .select('effect')
          .where('intent_id', '=', intentId)
          .orderBy('received_at')
          .execute()
      ).map((row) => row.effect);

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      const person = await activeIndividual(service, reviewer);
      await advanceTo(service, '2026-01-01 08:10');
      await correctAccountPlan(service.ctx, person.id, await addPlan(service));
      alice = { id: person.id, phone: person.phone };
    });
    afterAll(() => service?.close());

    let first: PaymentIntentView;

    it('Alice leaves two bills unpaid and is suspended for arrears on March 22', async () => {
      for (const at of ['2026-02-01 00:00', '2026-03-01 00:00', '2026-03-22 00:00']) await advanceTo(service, at);
      expect((await dunningStageOf(service.ctx, alice.id)).stage).toBe('suspended');
      expect((await activeSuspensions(service.ctx.db, alice.id)).map((s) => s.cause)).toContain('overdue');
    });

    it('she asks to pay her balance: the server decides the amount and answers a QR code pointing at the simulator’s page', async () => {
      service.clock.set(local('2026-03-22 09:00'));
      await signIn();
      const owed = (await amountOwedNow(service.ctx, alice.id)).totalFen;
      expect(owed).toBeGreaterThan(60_00);
      const options = (await service.app.inject({ method: 'GET', url: '/api/portal/payments/options', headers: { cookie } })).json();
      expect(options).toMatchObject({ providers: ['simulator'], amounts: { balance: owed } });
      const created = await pay({ purpose: 'balance', amountFen: 1 });
      expect(created.statusCode).toBe(201);
      first = created.json();
      expect(first).toMatchObject({ purpose: 'balance', amountFen: owed, status: 'pending', provider: 'simulator' });
      expect(first.action?.qrDataUrl).toMatch(/^data:image\/png;base64,/);
      expect(first.action?.content).toMatch(/^http:\/\/localhost(:\d+)?\/simulator\/pay\/SIM[0-9A-F]{24}$/);
      // Pressing "pay" again gives the same payment, not a second one.
      expect((await pay({ purpose: 'balance' })).json().id).toBe(first.id);
    });

    it('a forged notification is refused and changes nothing', async () => {
      const forged = simulator().notificationOf(
        { trade_no: tradeNoOf(first), merchant_reference: first.merchantReference, amount_fen: first.amountFen, paid_at: null },
        'succeeded',
      );
      const answer = await service.app.inject({
        method: 'POST',
        url: '/api/payments/notify/simulator',
        headers: { ...forged.headers, 'x-simulator-signature': '0'.repeat(64) },
        payload: forged.body,
      });
      expect(answer.statusCode).toBe(401);
      expect(await payments()).toEqual([]);
    });

    it('she pays on the simulator’s page; the notify URL is down, so the provider retries, and the retry restores her service at once', async () => {
      simulator().deliverThrough(unreachable);
      const tradeNo = tradeNoOf(first);
      const page = await service.app.inject({ method: 'GET', url: `/simulator/pay/${tradeNo}` });
      expect(page.statusCode).toBe(200);
      expect(page.body).toContain(`¥${(first.amountFen / 100).toFixed(2)}`);
      // Under `no-referrer` a browser's form post would carry `Origin: null`, refused as cross-site (site-wide policy).
      expect(page.headers['referrer-policy']).toBe('same-origin');
      const paid = await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNo}/pay` });
      expect(paid.statusCode).toBe(303);
      expect((await intent(first.id)).status).toBe('pending');
      expect(await payments()).toEqual([]);

      simulator().deliverThrough(injectTransport(service));
      service.clock.advance({ seconds: 15 });
      expect(await service.jobs.runOnce('payments.simulator-deliveries')).toMatchObject({ result: { sent: 1, acknowledged: 1 } });
      const receipt = await intent(first.id);
      expect(receipt).toMatchObject({ status: 'succeeded', providerReference: tradeNo, amountFen: first.amountFen, action: null });
      expect(receipt.paidAt).not.toBeNull();
      expect((await payments()).map((p) => -p.amountFen)).toEqual([first.amountFen]);
      expect((await activeSuspensions(service.ctx.db, alice.id)).map((s) => s.cause)).not.toContain('overdue');
      expect((await amountOwedNow(service.ctx, alice.id)).totalFen).toBe(0);
    });

    it('the same notification delivered again, and a stale "failed" after the success, change nothing', async () => {
      const tradeNo = tradeNoOf(first);
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNo}/duplicate` });
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNo}/duplicate` });
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNo}/out-of-order` });
      expect((await intent(first.id)).status).toBe('succeeded');
      expect((await payments()).map((p) => -p.amountFen)).toEqual([first.amountFen]);
      expect(await effects(first.id)).toEqual(['applied', 'duplicate', 'duplicate', 'ignored-out-of-order']);
    });

    let second: PaymentIntentView;

    it('her next bill is paid at the provider but no notification ever arrives: reconciliation applies it once and tells staff', async () => {
      await advanceTo(service, '2026-04-01 00:10');
      await signIn();
      const bills = (await service.app.inject({ method: 'GET', url: '/api/portal/bills', headers: { cookie } })).json().bills as {
        id: string;
        period: string;
        outstandingFen: number;
      }[];
      const march = bills.find((b) => b.period === '2026-03-01')!;
      second = (await pay({ purpose: 'bill', billId: march.id })).json();
      // What is left of March's bill: her balance payment already covered March's rent to the 22nd.
      expect(march.outstandingFen).toBeGreaterThan(0);
      expect(second).toMatchObject({ purpose: 'bill', billId: march.id, amountFen: march.outstandingFen, status: 'pending' });
      simulator().deliverThrough(unreachable);
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNoOf(second)}/pay` });
      expect((await intent(second.id)).status).toBe('pending');

      service.clock.advance({ minutes: 5 });
      expect(await service.jobs.runOnce('payments.reconcile')).toMatchObject({ result: { applied: 1 } });
      expect((await intent(second.id)).status).toBe('succeeded');
      expect(await service.jobs.runOnce('payments.reconcile')).toMatchObject({ result: { applied: 0, mismatches: 0 } });
      expect((await payments()).map((p) => -p.amountFen)).toEqual([first.amountFen, second.amountFen]);
      const staff = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      const list = (
        await service.app.inject({ method: 'GET', url: '/api/console/payments/mismatches', headers: { cookie: staff } })
      ).json();
      expect(list.mismatches).toContainEqual(
        expect.objectContaining({ kind: 'missed-notification', merchantReference: second.merchantReference }),
      );

      // The provider's retries get through later: a duplicate, nothing more.
      simulator().deliverThrough(injectTransport(service));
      service.clock.advance({ minutes: 5 });
      await service.jobs.runOnce('payments.simulator-deliveries');
      expect((await payments()).length).toBe(2);
      expect(await effects(second.id)).toEqual(['applied', 'duplicate']);
    });

    it('a payment never made expires once its time is up', async () => {
      await advanceTo(service, '2026-05-01 00:10');
      await signIn();
      const third: PaymentIntentView = (await pay({ purpose: 'balance' })).json();
      expect(third.status).toBe('pending');
      service.clock.advance({ minutes: 31 });
      await service.jobs.runOnce('payments.reconcile');
      expect((await intent(third.id)).status).toBe('expired');
      expect((await service.app.inject({ method: 'GET', url: `/simulator/pay/${tradeNoOf(third)}` })).body).toContain('已关闭');
    });

    it('a notification for another amount than the intent’s is set aside for staff, not applied', async () => {
      const fourth: PaymentIntentView = (await pay({ purpose: 'balance' })).json();
      const odd = simulator().notificationOf(
        {
          trade_no: tradeNoOf(fourth),
          merchant_reference: fourth.merchantReference,
          amount_fen: fourth.amountFen - 1,
          paid_at: service.clock.now(),
        },
        'succeeded',
      );
      const answer = await service.app.inject({
        method: 'POST',
        url: '/api/payments/notify/simulator',
        headers: odd.headers,
        payload: odd.body,
      });
      expect(answer.statusCode).toBe(200);
      expect((await intent(fourth.id)).status).toBe('pending');
      expect((await payments()).length).toBe(2);
      const staff = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      const open = (
        await service.app.inject({ method: 'GET', url: '/api/console/payments/mismatches?open=true', headers: { cookie: staff } })
      ).json();
      expect(open.openCount).toBeGreaterThanOrEqual(1);
      expect(open.mismatches).toContainEqual(
        expect.objectContaining({ kind: 'amount-differs', merchantReference: fourth.merchantReference }),
      );

      // She pays it properly; meanwhile the desk took the same money in cash, so the online payment is credit and refunded through the provider.
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNoOf(fourth)}/pay` });
      expect((await intent(fourth.id)).status).toBe('succeeded');
      const cash = await recordPayment(
        billingOf(service),
        {
          subscriberId: alice.id,
          provider: 'cashier',
          externalReference: 'desk-1',
          amountFen: 10_00,
          paidAt: service.clock.now(),
          channel: 'manual',
        },
        systemActor,
      );
      expect(cash.ok).toBe(true);
      const credit = await unappliedCredit(service.ctx.db, alice.id);
      // The desk's 10.00, and the day of May rent her balance payment covered ahead.
      expect(credit).toBeGreaterThanOrEqual(10_00);
      const tooMuch = await service.app.inject({
        method: 'POST',
        url: `/api/console/payments/online/${fourth.id}/refunds`,
        headers: { cookie: staff },
        payload: { amountFen: credit + 1, reason: 'paid twice' },
      });
      expect(tooMuch.statusCode).toBe(409);
      const refunded = await service.app.inject({
        method: 'POST',
        url: `/api/console/payments/online/${fourth.id}/refunds`,
        headers: { cookie: staff },
        payload: { amountFen: credit, reason: 'paid twice' },
      });
      expect(refunded.statusCode).toBe(201);
      expect(refunded.json()).toMatchObject({ status: 'succeeded', creditFen: 0 });
      expect(refunded.json().providerRefundReference).toMatch(/^SIMR/);
      expect(await unappliedCredit(service.ctx.db, alice.id)).toBe(0);
      const books = await service.ctx.db
        .selectFrom('payment_simulator_orders')
        .select('refunded_fen')
        .where('merchant_reference', '=', fourth.merchantReference)
        .executeTakeFirstOrThrow();
      expect(Number(books.refunded_fen)).toBe(credit);

      // The console lists the payment with what was refunded of it, and the clerk closes the mismatch saying what was done.
      const listed = (
        await service.app.inject({ method: 'GET', url: '/api/console/payments/online?status=succeeded', headers: { cookie: staff } })
      ).json();
      expect(listed.payments).toContainEqual(
        expect.objectContaining({ id: fourth.id, subscriberId: alice.id, amountFen: fourth.amountFen, refundedFen: credit }),
      );
      const mismatch = open.mismatches.find((m: { merchantReference: string }) => m.merchantReference === fourth.merchantReference);
      expect(mismatch.subscriberId).toBe(alice.id);
      const resolve = (resolution: string) =>
        service.app.inject({
          method: 'POST',
          url: `/api/console/payments/mismatches/${mismatch.id}/resolve`,
          headers: { cookie: staff },
          payload: { resolution },
        });
      const silent = await resolve('');
      expect(silent.statusCode).toBe(400);
      expect(silent.json().errors[0]).toMatchObject({ field: 'resolution' });
      const closed = await resolve('与支付机构核对：第二次通知金额正确，差额通知为误发');
      expect(closed.statusCode, closed.body).toBe(200);
      expect(closed.json()).toMatchObject({
        resolution: '与支付机构核对：第二次通知金额正确，差额通知为误发',
        resolvedBy: { name: expect.any(String) },
      });
      expect((await resolve('again')).statusCode).toBe(404);
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .select(['target_type', 'target_id'])
        .where('action', '=', 'payments.mismatch-resolve')
        .execute();
      expect(audit).toEqual([{ target_type: 'subscriber', target_id: alice.id }]);
    });

    it('she asks to end the agreement with fees still owed, settles them online, and the agreement ends at once', async () => {
      await advanceTo(service, '2026-05-10 10:00');
      await signIn();
      const asked = await service.app.inject({ method: 'POST', url: '/api/portal/termination', headers: { cookie } });
      expect(asked.json()).toMatchObject({ status: 'awaiting-settlement' });
      const owed = asked.json().outstandingFen as number;
      const settlement: PaymentIntentView = (await pay({ purpose: 'settlement' })).json();
      expect(settlement).toMatchObject({ purpose: 'settlement', amountFen: owed, status: 'pending' });
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNoOf(settlement)}/pay` });
      expect((await intent(settlement.id)).status).toBe('succeeded');
      const row = await service.ctx.db.selectFrom('subscribers').select(['status']).where('id', '=', alice.id).executeTakeFirstOrThrow();
      expect(row.status).toBe('terminated');
    });

    it('a failed payment stays failed, and nothing is recorded', async () => {
      const bob = await activeIndividual(service, await signInCookie(service, await addStaff(service, ['verification_reviewer'])), '李四');
      await advanceTo(service, '2026-06-01 00:10');
      const bobCookie = await portalCookie(service, bob.phone);
      const created = await service.app.inject({
        method: 'POST',
        url: '/api/portal/payments',
        headers: { cookie: bobCookie },
        payload: { provider: 'simulator', purpose: 'balance' },
      });
      expect(created.statusCode).toBe(201);
      const view: PaymentIntentView = created.json();
      await service.app.inject({ method: 'POST', url: `/simulator/pay/${tradeNoOf(view)}/fail` });
      const after = (
        await service.app.inject({ method: 'GET', url: `/api/portal/payments/${view.id}`, headers: { cookie: bobCookie } })
      ).json();
      expect(after.status).toBe('failed');
      expect((await ledgerOf(service.ctx.db, bob.id)).filter((l) => l.kind === 'payment')).toEqual([]);
    });
  });
});
