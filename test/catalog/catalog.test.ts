import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit, systemActor } from '../../src/audit/index.js';
import {
  createCreditLimitOption,
  createPlan,
  createTerminalModel,
  findPlanByCode,
  findPlanVersion,
  listCreditLimitOptions,
  listCurrentCatalogue,
  listPlanVersions,
  listTerminalModels,
  revisePlan,
  updateCreditLimitOption,
  updatePlanListing,
  updateTerminalModel,
  type NewPlan,
} from '../../src/catalog/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';

const basic: NewPlan = {
  code: 'basic',
  nameZh: '基础套餐',
  nameEn: 'Basic',
  monthlyRentFen: 30_00,
  includedMinutes: 100,
  perMinuteRatePrecise: 15_0000,
  billingIncrementSeconds: 6,
  sortOrder: 10,
};

const codes = (plans: { code: string }[]) => plans.map((plan) => plan.code);
const offered = ({ amountFen, isDefault, active }: { amountFen: number; isDefault: boolean; active: boolean }) => ({
  amountFen,
  isDefault,
  active,
});

describe.each(engines)('the catalogue on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-03-01T00:00:00.000Z' });
    });
    afterAll(() => service?.close());

    const catalogue = () => listCurrentCatalogue(service.ctx);

    it('the operator publishes Basic today and a spring offer for April only; in March only Basic is listed', async () => {
      const created = await createPlan(service.ctx, basic, systemActor);
      expect(created.ok).toBe(true);
      const spring = await createPlan(
        service.ctx,
        {
          ...basic,
          code: 'spring',
          nameZh: '春季特惠',
          nameEn: 'Spring offer',
          monthlyRentFen: 19_90,
          sortOrder: 5,
          validFrom: new Date('2026-04-01T00:00:00Z'),
          validTo: new Date('2026-05-01T00:00:00Z'),
        },
        systemActor,
      );
      expect(spring.ok).toBe(true);

      expect(codes((await catalogue()).plans)).toEqual(['basic']);
      expect(await findPlanByCode(service.ctx, 'spring')).toBeNull();
      expect(await findPlanByCode(service.ctx, 'basic')).toMatchObject({ monthlyRentFen: 30_00, perMinuteRatePrecise: 15_0000 });
    });

    it('on the first of April the spring offer is listed first; on the first of May it is gone again', async () => {
      service.clock.set('2026-04-01T00:00:00Z');
      expect(codes((await catalogue()).plans)).toEqual(['spring', 'basic']);
      service.clock.set('2026-04-30T23:59:59.999Z');
      expect(codes((await catalogue()).plans)).toEqual(['spring', 'basic']);
      service.clock.set('2026-05-01T00:00:00Z');
      expect(codes((await catalogue()).plans)).toEqual(['basic']);
      expect(await findPlanByCode(service.ctx, 'spring')).toBeNull();
    });

    it('a second plan with a code already in effect in that period is a conflict; bad fields are named', async () => {
      const again = await createPlan(service.ctx, { ...basic, nameEn: 'Basic again' }, systemActor);
      expect(again).toMatchObject({ ok: false, failure: { kind: 'conflict' } });

      const invalid = await createPlan(
        service.ctx,
        {
          ...basic,
          code: 'Bad Code',
          nameEn: ' ',
          monthlyRentFen: 30.5,
          perMinuteRatePrecise: -1,
          billingIncrementSeconds: 0,
          validFrom: new Date('2026-01-01T00:00:00Z'),
        },
        systemActor,
      );
      expect(invalid.ok).toBe(false);
      if (!invalid.ok) {
        expect(invalid.failure.fields?.map((f) => f.field)).toEqual([
          'code',
          'nameEn',
          'monthlyRentFen',
          'perMinuteRatePrecise',
          'billingIncrementSeconds',
          'validFrom',
        ]);
      }
    });

    it('Basic goes up to ¥35.00 from June: May still lists ¥30.00, June lists ¥35.00, and the May version stays readable for orders made on it', async () => {
      const mayVersion = await findPlanByCode(service.ctx, 'basic');
      const revised = await revisePlan(
        service.ctx,
        'basic',
        { monthlyRentFen: 35_00, effectiveFrom: new Date('2026-06-01T00:00:00Z') },
        systemActor,
      );
      expect(revised).toMatchObject({ ok: true, value: { monthlyRentFen: 35_00, includedMinutes: 100, nameZh: '基础套餐' } });

      expect((await catalogue()).plans[0]).toMatchObject({ code: 'basic', monthlyRentFen: 30_00 });
      service.clock.set('2026-06-01T00:00:00Z');
      expect((await catalogue()).plans[0]).toMatchObject({ code: 'basic', monthlyRentFen: 35_00 });

      expect(await findPlanVersion(service.ctx, mayVersion!.id)).toMatchObject({
        monthlyRentFen: 30_00,
        validTo: new Date('2026-06-01T00:00:00Z'),
      });
      expect((await listPlanVersions(service.ctx, 'basic')).map((v) => v.monthlyRentFen)).toEqual([30_00, 35_00]);

      const audit = await listAudit(service.ctx.db, { limit: 5, action: 'catalog.plan.revise' });
      expect(audit[0]).toMatchObject({ before: { monthlyRentFen: 30_00 }, after: { monthlyRentFen: 35_00 } });
    });

    it('published prices cannot be changed retroactively, and the database refuses to reprice a version in place', async () => {
      const past = await revisePlan(
        service.ctx,
        'basic',
        { monthlyRentFen: 1_00, effectiveFrom: new Date('2026-05-15T00:00:00Z') },
        systemActor,
      );
      expect(past).toMatchObject({ ok: false, failure: { kind: 'invalid', fields: [{ field: 'effectiveFrom' }] } });
      expect(await revisePlan(service.ctx, 'nothing', {}, systemActor)).toMatchObject({ ok: false, failure: { kind: 'not_found' } });

      await expect(sql`update plans set monthly_rent_fen = 1 where code = 'basic'`.execute(service.ctx.db)).rejects.toThrow(/immutable/);
      await expect(
        sql`update plans set valid_to = now() where code = 'basic' and valid_to is not null`.execute(service.ctx.db),
      ).rejects.toThrow(/immutable/);
      expect((await findPlanByCode(service.ctx, 'basic'))?.monthlyRentFen).toBe(35_00);
    });

    it('withdrawing a plan hides it from the list, while billing can still find the version its subscribers are on', async () => {
      const current = (await findPlanByCode(service.ctx, 'basic'))!;
      const withdrawn = await updatePlanListing(service.ctx, current.id, { active: false }, systemActor);
      expect(withdrawn).toMatchObject({ ok: true, value: { active: false, nameEn: 'Basic', monthlyRentFen: 35_00 } });
      expect((await catalogue()).plans).toEqual([]);
      expect(await findPlanByCode(service.ctx, 'basic')).toMatchObject({ active: false });
      await updatePlanListing(service.ctx, current.id, { active: true }, systemActor);
    });

    it('the name of a version in effect is what subscribers agreed to: renaming it is refused as frozen', async () => {
      const current = (await findPlanByCode(service.ctx, 'basic'))!;
      expect(await updatePlanListing(service.ctx, current.id, { nameEn: 'Basic (legacy)' }, systemActor)).toMatchObject({
        ok: false,
        failure: { kind: 'conflict', code: 'catalogue-version-frozen' },
      });
    });

    it('credit limits are offered smallest first with one default; choosing another default replaces it; the default cannot be withdrawn', async () => {
      for (const amountFen of [500_00, 100_00, 200_00]) {
        expect((await createCreditLimitOption(service.ctx, { amountFen, isDefault: amountFen === 200_00 }, systemActor)).ok).toBe(true);
      }
      expect(await createCreditLimitOption(service.ctx, { amountFen: 100_00 }, systemActor)).toMatchObject({
        ok: false,
        failure: { kind: 'conflict' },
      });
      expect(await createCreditLimitOption(service.ctx, { amountFen: 0 }, systemActor)).toMatchObject({
        ok: false,
        failure: { kind: 'invalid' },
      });
      expect((await catalogue()).creditLimits.map(offered)).toEqual([
        { amountFen: 100_00, isDefault: false, active: true },
        { amountFen: 200_00, isDefault: true, active: true },
        { amountFen: 500_00, isDefault: false, active: true },
      ]);

      expect(await updateCreditLimitOption(service.ctx, 500_00, { isDefault: true }, systemActor)).toMatchObject({ ok: true });
      expect(await updateCreditLimitOption(service.ctx, 500_00, { active: false }, systemActor)).toMatchObject({
        ok: false,
        failure: { kind: 'invalid' },
      });
      expect(await updateCreditLimitOption(service.ctx, 100_00, { active: false }, systemActor)).toMatchObject({ ok: true });
      expect((await catalogue()).creditLimits.map(offered)).toEqual([
        { amountFen: 200_00, isDefault: false, active: true },
        { amountFen: 500_00, isDefault: true, active: true },
      ]);
      expect(await listCreditLimitOptions(service.ctx, { includeInactive: true })).toHaveLength(3);
    });

    it('terminal models are listed in order; a new price applies to later orders; a withdrawn model is not listed', async () => {
      const model = { code: 'vp-t100', nameZh: '桌面视频电话', nameEn: 'Desk videophone', priceFen: 399_00, sortOrder: 10 };
      expect((await createTerminalModel(service.ctx, model, systemActor)).ok).toBe(true);
      expect((await createTerminalModel(service.ctx, { ...model, code: 'vp-t050', sortOrder: 20 }, systemActor)).ok).toBe(true);
      expect(await createTerminalModel(service.ctx, model, systemActor)).toMatchObject({ ok: false, failure: { kind: 'conflict' } });
      service.clock.advance({ minutes: 1 });
      expect(await updateTerminalModel(service.ctx, 'vp-t100', { priceFen: 349_00 }, systemActor)).toMatchObject({
        ok: true,
        value: { priceFen: 349_00, nameEn: 'Desk videophone' },
      });
      expect(await updateTerminalModel(service.ctx, 'vp-t100', { priceFen: -1 }, systemActor)).toMatchObject({
        ok: false,
        failure: { fields: [{ field: 'priceFen' }] },
      });
      expect(codes((await catalogue()).terminals)).toEqual(['vp-t100', 'vp-t050']);
      await updateTerminalModel(service.ctx, 'vp-t050', { active: false }, systemActor);
      expect(codes(await listTerminalModels(service.ctx))).toEqual(['vp-t100']);
    });
  });
});
