import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, systemActor } from '../../src/audit/index.js';
import { createCreditLimitOption, createPlan, createTerminalModel, findPlanByCode, listPlanVersions } from '../../src/catalog/index.js';
import { addCall, addSubscriber, advanceTo, chargesOfCall, local, noDunning } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Catalogue editing (issue #14) through the console API, as the administrator Zhang does it. On
 * 10 March (Shanghai) Basic costs ¥30.00 a month and ¥0.15 a minute. Zhang schedules ¥35.00 and ¥0.12
 * from 1 April: until then the public list and new orders keep the old version; from 1 April they get
 * the new one, and billing rates each subscriber's calls by the version their order was made on.
 */
describe.each(engines)('catalogue editing on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let adminStaff: TestStaff;
    let admin: string;
    let clerk: string;
    let april: { id: string };

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-03-10T02:00:00Z', env: noDunning });
      adminStaff = await addStaff(service, ['administrator'], 'zhang-admin');
      admin = await signInCookie(service, adminStaff);
      clerk = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      const basic = await createPlan(
        service.ctx,
        {
          code: 'basic',
          nameZh: '基础套餐',
          nameEn: 'Basic',
          monthlyRentFen: 30_00,
          includedMinutes: 0,
          perMinuteRatePrecise: 15_0000,
          billingIncrementSeconds: 6,
        },
        systemActor,
      );
      if (!basic.ok) throw new Error(basic.failure.message);
      for (const amountFen of [100_00, 200_00]) {
        const option = await createCreditLimitOption(service.ctx, { amountFen, isDefault: amountFen === 200_00 }, systemActor);
        if (!option.ok) throw new Error(option.failure.message);
      }
      const terminal = await createTerminalModel(
        service.ctx,
        { code: 'vp-t100', nameZh: '桌面视频电话', nameEn: 'Desk videophone', priceFen: 399_00 },
        systemActor,
      );
      if (!terminal.ok) throw new Error(terminal.failure.message);
    });
    afterAll(() => service?.close());

    const api = (method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object, cookie = admin) =>
      service.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    const publicList = async () => (await service.app.inject('/api/catalog/price-list?lang=en')).json();
    const preview = async (date: string) => {
      const response = await api('GET', `/api/console/catalog/price-list?lang=en&date=${date}`);
      expect(response.statusCode).toBe(200);
      return response.json();
    };
    const basicOf = (list: { plans: { code: string; monthlyRent: { fen: number }; perMinuteRate: { precise: number } }[] }) => {
      const plan = list.plans.find((p) => p.code === 'basic')!;
      return { rentFen: plan.monthlyRent.fen, ratePrecise: plan.perMinuteRate.precise };
    };

    it('Zhang schedules Basic at ¥35.00 and ¥0.12 a minute from 1 April; it begins at 00:00 that day in Shanghai', async () => {
      const response = await api('POST', '/api/console/catalog/plans/basic/versions', {
        monthlyRentFen: 35_00,
        perMinuteRatePrecise: 12_0000,
        effectiveFrom: '2026-04-01',
      });
      expect(response.statusCode).toBe(201);
      april = response.json();
      expect(april).toMatchObject({
        code: 'basic',
        nameZh: '基础套餐',
        monthlyRentFen: 35_00,
        perMinuteRatePrecise: 12_0000,
        billingIncrementSeconds: 6,
        validFrom: '2026-03-31T16:00:00.000Z',
        validTo: null,
        status: 'scheduled',
      });
      const audit = await listAudit(service.ctx.db, { limit: 1, action: 'catalog.plan.revise' });
      expect(audit[0]).toMatchObject({ actorType: 'staff', actorName: 'zhang-admin', after: { monthlyRentFen: 35_00 } });
    });

    it('the public list still shows ¥30.00 and ¥0.15; the preview for 1 April shows the new version, for 31 March the old', async () => {
      expect(basicOf(await publicList())).toEqual({ rentFen: 30_00, ratePrecise: 15_0000 });
      expect(basicOf(await preview('2026-03-31'))).toEqual({ rentFen: 30_00, ratePrecise: 15_0000 });
      const aprilList = await preview('2026-04-01');
      expect(basicOf(aprilList)).toEqual({ rentFen: 35_00, ratePrecise: 12_0000 });
      expect(aprilList.plans[0].exampleCall).toMatchObject({ billableSeconds: 66, charge: { fen: 13 } });
      expect(aprilList.asOf).toBe('2026-03-31T16:00:00.000Z');
    });

    it('a date that has begun, or one another version already starts on, is refused next to the field', async () => {
      const past = await api('POST', '/api/console/catalog/plans/basic/versions', { monthlyRentFen: 1_00, effectiveFrom: '2026-03-10' });
      expect(past.statusCode).toBe(400);
      expect(past.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(past.json().errors).toEqual([expect.objectContaining({ pointer: '/body/effectiveFrom', code: 'in-the-past' })]);
      const taken = await api('POST', '/api/console/catalog/plans/basic/versions', { monthlyRentFen: 1_00, effectiveFrom: '2026-04-01' });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().errors).toEqual([expect.objectContaining({ field: 'effectiveFrom', code: 'taken' })]);
      const tooDear = await api('POST', '/api/console/catalog/plans/basic/versions', {
        monthlyRentFen: 1_000_000_01,
        effectiveFrom: '2026-05-01',
      });
      expect(tooDear.statusCode).toBe(400);
      expect(tooDear.json().errors).toEqual([expect.objectContaining({ field: 'monthlyRentFen', code: 'too-large' })]);
    });

    it('a billing clerk may read the list but not edit the catalogue', async () => {
      expect((await api('GET', '/api/console/catalog', undefined, clerk)).statusCode).toBe(403);
      const refused = await api('POST', '/api/console/catalog/plans/basic/versions', { effectiveFrom: '2026-05-01' }, clerk);
      expect(refused.statusCode).toBe(403);
    });

    let alice: { id: string; number: string };
    let bob: { id: string; number: string };
    let aliceCall: string;
    let bobCall: string;

    it('Alice orders Basic on 20 March: her order is on the March version, and billing rates her 61-second call at ¥0.15 (¥0.17)', async () => {
      service.clock.set(local('2026-03-20 10:00'));
      const offered = (await findPlanByCode(service.ctx, 'basic'))!;
      expect(offered.perMinuteRatePrecise).toBe(15_0000);
      alice = await addSubscriber(service, offered.id, '2026-03-20');
      aliceCall = await addCall(service, alice.number, { answeredAt: local('2026-03-25 09:00'), durationMs: 61_000 });
      await advanceTo(service, '2026-03-31 23:00');
      expect(await chargesOfCall(service, aliceCall)).toEqual([expect.objectContaining({ charged: 66, fen: 17 })]);
    });

    it('on 1 April the public list shows ¥35.00; Bob orders then and billing rates his call at ¥0.12 (¥0.13), Alice stays on hers', async () => {
      await advanceTo(service, '2026-04-01 00:00');
      expect(basicOf(await publicList())).toEqual({ rentFen: 35_00, ratePrecise: 12_0000 });
      service.clock.set(local('2026-04-02 10:00'));
      const offered = (await findPlanByCode(service.ctx, 'basic'))!;
      expect(offered.id).toBe(april.id);
      bob = await addSubscriber(service, offered.id, '2026-04-02');
      bobCall = await addCall(service, bob.number, { answeredAt: local('2026-04-03 09:00'), durationMs: 61_000 });
      const aliceAprilCall = await addCall(service, alice.number, { answeredAt: local('2026-04-03 10:00'), durationMs: 61_000 });
      await advanceTo(service, '2026-04-05 00:00');
      // Days have passed since Zhang signed in: the console session has expired, so Zhang signs in again.
      admin = await signInCookie(service, adminStaff);
      expect(await chargesOfCall(service, bobCall)).toEqual([expect.objectContaining({ charged: 66, fen: 13 })]);
      expect(await chargesOfCall(service, aliceAprilCall)).toEqual([expect.objectContaining({ charged: 66, fen: 17 })]);
    });

    it('once in effect the April version is frozen: withdrawing it is refused with 409 catalogue-version-frozen', async () => {
      const refused = await api('DELETE', `/api/console/catalog/plan-versions/${april.id}`);
      expect(refused.statusCode).toBe(409);
      expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(refused.json()).toMatchObject({ code: 'catalogue-version-frozen', status: 409 });
      const march = (await listPlanVersions(service.ctx, 'basic'))[0]!;
      expect((await api('DELETE', `/api/console/catalog/plan-versions/${march.id}`)).json().code).toBe('catalogue-version-frozen');
      expect((await listPlanVersions(service.ctx, 'basic')).map((v) => v.monthlyRentFen)).toEqual([30_00, 35_00]);
    });

    it('a version for June, then one for 15 May fitted before it, then the May one withdrawn: April runs to June again', async () => {
      const june = await api('POST', '/api/console/catalog/plans/basic/versions', { monthlyRentFen: 40_00, effectiveFrom: '2026-06-01' });
      expect(june.statusCode).toBe(201);
      const may = await api('POST', '/api/console/catalog/plans/basic/versions', { monthlyRentFen: 38_00, effectiveFrom: '2026-05-15' });
      expect(may.statusCode).toBe(201);
      expect(may.json()).toMatchObject({ validFrom: '2026-05-14T16:00:00.000Z', validTo: '2026-05-31T16:00:00.000Z' });
      expect(basicOf(await preview('2026-05-20'))).toMatchObject({ rentFen: 38_00 });

      const withdrawn = await api('DELETE', `/api/console/catalog/plan-versions/${may.json().id}`);
      expect(withdrawn.statusCode).toBe(200);
      const windows = (await listPlanVersions(service.ctx, 'basic')).map((v) => [v.monthlyRentFen, v.validTo?.toISOString() ?? null]);
      expect(windows).toEqual([
        [30_00, '2026-03-31T16:00:00.000Z'],
        [35_00, '2026-05-31T16:00:00.000Z'],
        [40_00, null],
      ]);
      expect(basicOf(await preview('2026-05-20'))).toMatchObject({ rentFen: 35_00 });
      const audit = await listAudit(service.ctx.db, { limit: 1, action: 'catalog.plan.withdraw' });
      expect(audit[0]).toMatchObject({ before: { monthlyRentFen: 38_00 } });
    });

    it('a new plan from 1 May appears in the May preview only', async () => {
      const created = await api('POST', '/api/console/catalog/plans', {
        code: 'family',
        nameZh: '家庭套餐',
        nameEn: 'Family',
        monthlyRentFen: 68_00,
        includedMinutes: 300,
        perMinuteRatePrecise: 10_0000,
        billingIncrementSeconds: 60,
        validFrom: '2026-05-01',
      });
      expect(created.statusCode).toBe(201);
      expect((await publicList()).plans.map((p: { code: string }) => p.code)).not.toContain('family');
      expect((await preview('2026-05-01')).plans.map((p: { code: string }) => p.code)).toContain('family');
    });

    it('a ¥300 credit limit announced for 1 May can be withdrawn; one in effect cannot; ¥100 can be ended from June', async () => {
      const announced = await api('POST', '/api/console/catalog/credit-limits', { amountFen: 300_00, validFrom: '2026-05-01' });
      expect(announced.statusCode).toBe(201);
      expect(announced.json()).toMatchObject({ status: 'scheduled', validFrom: '2026-04-30T16:00:00.000Z' });
      const amounts = (list: { creditLimits: { amount: { fen: number } }[] }) => list.creditLimits.map((c) => c.amount.fen);
      expect(amounts(await publicList())).toEqual([100_00, 200_00]);
      expect(amounts(await preview('2026-05-01'))).toEqual([100_00, 200_00, 300_00]);
      expect((await api('DELETE', '/api/console/catalog/credit-limits/30000')).statusCode).toBe(200);
      expect(amounts(await preview('2026-05-01'))).toEqual([100_00, 200_00]);

      const frozen = await api('DELETE', '/api/console/catalog/credit-limits/10000');
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json().code).toBe('catalogue-version-frozen');
      const ended = await api('POST', '/api/console/catalog/credit-limits/10000/end', { validTo: '2026-06-01' });
      expect(ended.statusCode).toBe(200);
      expect(amounts(await preview('2026-05-31'))).toEqual([100_00, 200_00]);
      expect(amounts(await preview('2026-06-01'))).toEqual([200_00]);
    });

    it('the VP-T100 costs ¥349.00 from 1 May; its current price is frozen, the May one can be withdrawn', async () => {
      const priced = await api('POST', '/api/console/catalog/terminals/vp-t100/prices', { priceFen: 349_00, validFrom: '2026-05-01' });
      expect(priced.statusCode).toBe(201);
      const terminalPrice = (list: { terminals: { code: string; price: { fen: number } }[] }) =>
        list.terminals.find((t) => t.code === 'vp-t100')?.price.fen;
      expect(terminalPrice(await publicList())).toBe(399_00);
      expect(terminalPrice(await preview('2026-05-01'))).toBe(349_00);

      const catalogue = (await api('GET', '/api/console/catalog')).json();
      const prices = catalogue.terminals.find((t: { code: string }) => t.code === 'vp-t100').prices;
      expect(prices.map((p: { priceFen: number; status: string }) => [p.priceFen, p.status])).toEqual([
        [399_00, 'in-effect'],
        [349_00, 'scheduled'],
      ]);
      expect((await api('DELETE', `/api/console/catalog/terminal-prices/${prices[0].id}`)).json().code).toBe('catalogue-version-frozen');
      expect((await api('DELETE', `/api/console/catalog/terminal-prices/${prices[1].id}`)).statusCode).toBe(200);
      expect(terminalPrice(await preview('2026-05-01'))).toBe(399_00);
    });

    it('a terminal model first on sale from 1 May is in the May preview only', async () => {
      const created = await api('POST', '/api/console/catalog/terminals', {
        code: 'vp-t500',
        nameZh: '大屏视频电话',
        nameEn: 'Large-screen videophone',
        priceFen: 1299_00,
        validFrom: '2026-05-01',
      });
      expect(created.statusCode).toBe(201);
      const codes = (list: { terminals: { code: string }[] }) => list.terminals.map((t) => t.code);
      expect(codes(await publicList())).toEqual(['vp-t100']);
      expect(codes(await preview('2026-05-01'))).toEqual(['vp-t100', 'vp-t500']);
    });

    it('the console list shows every version with its status', async () => {
      const catalogue = (await api('GET', '/api/console/catalog')).json();
      expect(catalogue).toMatchObject({ today: '2026-04-05', timeZone: 'Asia/Shanghai' });
      expect(
        catalogue.plans
          .filter((p: { code: string }) => p.code === 'basic')
          .map((p: { status: string; monthlyRentFen: number }) => p.status),
      ).toEqual(['ended', 'in-effect', 'scheduled']);
    });
  });
});
