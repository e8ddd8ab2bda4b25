import { inflateSync } from 'node:zlib';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { billBalances, ledgerBalance } from '../../src/billing/index.js';
import { cjkFontPath } from '../../src/billing/bill-pdf.js';
import { signWebhook } from '../../src/billing/webhook.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { addPlan, addSubscriber, advanceTo, billingFingerprint } from './support.js';

const SECRET = 'alipay-test-secret-0123456789';

describe.each(engines)('billing over HTTP on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let clerkStaff: TestStaff;
    let supportStaff: TestStaff;
    // Console sessions end after an idle hour; the stories jump months, so each signs in afresh.
    let clerk: string;
    let support: string;
    let subscriber: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z', env: { PAYMENT_WEBHOOK_SECRETS: `alipay:${SECRET}` } });
      subscriber = await addSubscriber(service, await addPlan(service), '2026-01-01');
      clerkStaff = await addStaff(service, ['billing_clerk']);
      supportStaff = await addStaff(service, ['support_agent']);
      await advanceTo(service, '2026-02-01 00:00');
    });
    beforeEach(async () => {
      clerk = await signInCookie(service, clerkStaff);
      support = await signInCookie(service, supportStaff);
    });
    afterAll(() => service?.close());

    const deliver = (body: object, options: { secret?: string; timestamp?: number } = {}) => {
      const raw = JSON.stringify(body);
      const timestamp = options.timestamp ?? Math.floor(service.clock.now().getTime() / 1000);
      return service.app.inject({
        method: 'POST',
        url: '/api/payments/webhook/alipay',
        headers: {
          'content-type': 'application/json',
          'x-vp-timestamp': String(timestamp),
          'x-vp-signature': signWebhook(options.secret ?? SECRET, timestamp, raw),
        },
        payload: raw,
      });
    };

    it('the provider delivers the same payment notification three times: one payment of 30.00 pays the January bill', async () => {
      const body = { reference: 'ali-2026-0001', subscriberId: subscriber.id, amountFen: 30_00, paidAt: service.clock.now().toISOString() };
      const first = await deliver(body);
      expect(first.statusCode).toBe(200);
      expect(first.json()).toMatchObject({ duplicate: false });
      const before = await billingFingerprint(service);
      for (let i = 0; i < 2; i += 1) {
        const again = await deliver(body);
        expect(again.statusCode).toBe(200);
        expect(again.json()).toEqual({ paymentId: first.json().paymentId, duplicate: true });
      }
      expect(await billingFingerprint(service)).toEqual(before);
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(0);
    });

    it('a wrong signature, a body changed after signing, or a notification replayed ten minutes later are refused with 401', async () => {
      const body = { reference: 'ali-2026-0002', subscriberId: subscriber.id, amountFen: 1_00, paidAt: service.clock.now().toISOString() };
      const wrong = await deliver(body, { secret: 'someone-else-s-secret-000000' });
      expect(wrong.statusCode).toBe(401);
      expect(wrong.headers['content-type']).toContain('application/problem+json');
      expect(wrong.json()).toMatchObject({ code: 'invalid-signature', detail: 'signature does not match' });
      const old = await deliver(body, { timestamp: Math.floor(service.clock.now().getTime() / 1000) - 600 });
      expect(old.json()).toMatchObject({ code: 'invalid-signature', detail: 'timestamp outside the tolerance' });
      const timestamp = Math.floor(service.clock.now().getTime() / 1000);
      const tampered = await service.app.inject({
        method: 'POST',
        url: '/api/payments/webhook/alipay',
        headers: {
          'content-type': 'application/json',
          'x-vp-timestamp': String(timestamp),
          'x-vp-signature': signWebhook(SECRET, timestamp, JSON.stringify(body)),
        },
        payload: JSON.stringify({ ...body, amountFen: 100_00 }),
      });
      expect(tampered.statusCode).toBe(401);
      const unknown = await service.app.inject({ method: 'POST', url: '/api/payments/webhook/paypal', payload: body });
      expect(unknown.statusCode).toBe(404);
      // Correctly signed, but dated two days ahead: it would be allocated late and draw late fees it does not owe.
      const ahead = await deliver({ ...body, paidAt: new Date(service.clock.now().getTime() + 2 * 86_400_000).toISOString() });
      expect(ahead.statusCode).toBe(400);
      expect(ahead.json()).toMatchObject({ code: 'invalid-request', detail: 'A payment cannot be dated in the future' });
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(0);
    });

    it('a billing clerk records a desk payment (audited); a support agent may look but not record', async () => {
      const payload = { subscriberId: subscriber.id, amountFen: 5_00, reference: 'desk-001' };
      const denied = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie: support },
        payload,
      });
      expect(denied.statusCode).toBe(403);
      const recorded = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/payments',
        headers: { cookie: clerk },
        payload,
      });
      expect(recorded.statusCode).toBe(201);
      expect(recorded.json()).toMatchObject({ creditFen: 5_00 });
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_type'])
        .where('action', '=', 'billing.payment.record')
        .execute();
      expect(audit).toEqual([{ action: 'billing.payment.record', actor_type: 'staff' }]);
      const view = await service.app.inject({
        method: 'GET',
        url: `/api/console/billing/subscribers/${subscriber.id}`,
        headers: { cookie: support },
      });
      expect(view.statusCode).toBe(200);
      expect(view.json()).toMatchObject({ balance: { balanceFen: -5_00, creditFen: 5_00 }, dunning: { stage: 'current' } });
      // Support answers from the balance; the ledger line by line is for those who move money.
      expect(view.json()).not.toHaveProperty('ledger');
      const deskView = await service.app.inject({
        method: 'GET',
        url: `/api/console/billing/subscribers/${subscriber.id}`,
        headers: { cookie: clerk },
      });
      expect(deskView.json().ledger.map((e: { kind: string }) => e.kind)).toEqual(['rent', 'payment', 'payment']);
    });

    it('a bank file is previewed (nothing recorded), then imported: good rows paid, bad rows reported with reasons, known references skipped', async () => {
      await advanceTo(service, '2026-03-01 00:00');
      clerk = await signInCookie(service, clerkStaff);
      const csv = [
        'date,amount,reference,subscriber_id',
        `2026-02-27,30.00,BANK-1,${subscriber.id}`,
        `2026-02-27,30.001,BANK-2,${subscriber.id}`,
        `2026-02-30,1.00,BANK-3,${subscriber.id}`,
        `2026-02-27,1.00,BANK-4,00000000-0000-0000-0000-000000000000`,
        `2026-02-27,1.00,,${subscriber.id}`,
        `2026-02-27,30.00,BANK-1,${subscriber.id}`,
      ].join('\n');
      const preview = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/reconciliation/preview',
        headers: { cookie: clerk },
        payload: { fileName: 'feb.csv', csv },
      });
      expect(preview.statusCode).toBe(200);
      expect(preview.json()).toMatchObject({ accepted: 1, rejected: 5, totalAcceptedFen: 30_00 });
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(30_00 - 5_00);

      const imported = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/reconciliation/import',
        headers: { cookie: clerk },
        payload: { fileName: 'feb.csv', csv },
      });
      const report = imported.json();
      expect(report).toMatchObject({ accepted: 1, duplicates: 0, rejected: 5 });
      expect(
        report.rows.map((r: { line: number; status: string; problem: string | null; reason: string | null }) => [
          r.line,
          r.status,
          r.problem,
          r.reason,
        ]),
      ).toEqual([
        [2, 'accepted', null, null],
        [3, 'rejected', 'bad-amount', 'amount is not a positive amount with at most two decimals'],
        [4, 'rejected', 'bad-date', 'date is not YYYY-MM-DD'],
        [5, 'rejected', 'no-account', 'no billing account for this subscriber'],
        [6, 'rejected', 'no-reference', 'no reference'],
        [7, 'rejected', 'repeated-reference', 'the reference appears twice in this file'],
      ]);
      const again = await service.app.inject({
        method: 'POST',
        url: '/api/console/billing/reconciliation/import',
        headers: { cookie: clerk },
        payload: { fileName: 'feb.csv', csv },
      });
      expect(again.json()).toMatchObject({ accepted: 0, duplicates: 1 });
      // 5.00 credit + 30.00 paid the February bill (30.00) and leaves 5.00 credit.
      expect((await billBalances(service.ctx.db, subscriber.id)).map((b) => b.outstandingFen)).toEqual([0, 0]);
      expect(await ledgerBalance(service.ctx.db, subscriber.id)).toBe(-5_00);
    });

    it('the console lists bill runs with progress and the receivables ageing; portal routes need a signed-in subscriber', async () => {
      const runs = await service.app.inject({ method: 'GET', url: '/api/console/billing/bill-runs', headers: { cookie: support } });
      expect(
        runs
          .json()
          .runs.map((r: { period: string; subscribersBilled: number; subscribersTotal: number }) => [
            r.period,
            r.subscribersBilled,
            r.subscribersTotal,
          ]),
      ).toEqual([
        ['2026-02-01', 1, 1],
        ['2026-01-01', 1, 1],
      ]);
      const ageing = await service.app.inject({
        method: 'GET',
        url: '/api/console/billing/receivables/ageing',
        headers: { cookie: clerk },
      });
      expect(ageing.json().buckets).toHaveLength(5);
      const portal = await service.app.inject({ method: 'GET', url: '/api/portal/bills' });
      expect(portal.statusCode).toBe(401);
    });

    it('an idempotency key sent again with the same request answers the first result; with another amount, reason, kind or subscriber, 409', async () => {
      const adjust = (subscriberId: string, body: Record<string, unknown>) =>
        service.app.inject({
          method: 'POST',
          url: `/api/console/billing/subscribers/${subscriberId}/adjustments`,
          headers: { cookie: clerk },
          payload: { kind: 'adjustment', amountFen: 10_00, reason: 'Technician visit', idempotencyKey: 'form-7f3a9c21', ...body },
        });
      const first = await adjust(subscriber.id, {});
      expect(first.statusCode).toBe(201);
      const retried = await adjust(subscriber.id, {});
      expect(retried.statusCode).toBe(200);
      expect(retried.json()).toEqual({ entryId: first.json().entryId, duplicate: true });

      const other = await addSubscriber(service, await addPlan(service), '2026-03-01');
      for (const [subscriberId, changed] of [
        [subscriber.id, { amountFen: 20_00 }],
        [subscriber.id, { reason: 'Something else' }],
        [subscriber.id, { kind: 'credit_note' }],
        [other.id, {}],
      ] as const) {
        const reused = await adjust(subscriberId, changed);
        expect(reused.statusCode, JSON.stringify(changed)).toBe(409);
        expect(reused.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(reused.json()).toMatchObject({ code: 'idempotency-key-reused', status: 409 });
      }
      const ledger = await service.ctx.db
        .selectFrom('ledger_entries')
        .select(['amount_fen'])
        .where('kind', 'in', ['adjustment', 'credit_note'])
        .execute();
      expect(ledger.map((e) => Number(e.amount_fen))).toEqual([10_00]);

      // A desk payment's reference is its key: the same reference for another amount is refused the same way.
      const pay = (amountFen: number) =>
        service.app.inject({
          method: 'POST',
          url: '/api/console/billing/payments',
          headers: { cookie: clerk },
          payload: { subscriberId: subscriber.id, amountFen, reference: 'desk-idem-1' },
        });
      expect((await pay(3_00)).statusCode).toBe(201);
      expect((await pay(3_00)).statusCode).toBe(200);
      expect((await pay(4_00)).json()).toMatchObject({ status: 409, code: 'idempotency-key-reused' });
    });
  });
});

describe.each(engines)('a bill as PDF on %s', (engine) => {
  describe.skipIf(!available[engine] || !cjkFontPath())('', () => {
    let service: TestService;
    let subscriber: { id: string; number: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      subscriber = await addSubscriber(service, await addPlan(service), '2026-01-01');
      await advanceTo(service, '2026-02-01 00:00');
    });
    afterAll(() => service?.close());

    it('is a PDF with the Chinese font embedded and the Chinese words mapped to their characters', async () => {
      const support = await signInCookie(service, await addStaff(service, ['support_agent']));
      const [bill] = await billBalances(service.ctx.db, subscriber.id);
      const response = await service.app.inject({
        method: 'GET',
        url: `/api/console/billing/bills/${bill!.billId}/pdf`,
        headers: { cookie: support },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toBe('application/pdf');
      const pdf = response.rawPayload;
      expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const text = pdf.toString('latin1');
      // The embedded subset of WenQuanYi Zen Hei, and a ToUnicode map that turns glyphs back into 账 (U+8D26) and 单 (U+5355).
      expect(text).toMatch(/\/BaseFont \/[A-Z]{6}\+WenQuanYiZenHei/);
      const streams = [...text.matchAll(/stream\r?\n([\s\S]*?)\r?\nendstream/g)].map((m) => {
        try {
          return inflateSync(Buffer.from(m[1]!, 'latin1')).toString('latin1');
        } catch {
          return '';
        }
      });
      const toUnicode = streams.find((stream) => stream.includes('beginbfrange') || stream.includes('beginbfchar')) ?? '';
      expect(toUnicode.toLowerCase()).toContain('<8d26>');
      expect(toUnicode.toLowerCase()).toContain('<5355>');
    });
  });
});
