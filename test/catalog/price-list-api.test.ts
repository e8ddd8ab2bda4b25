import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findPlanByCode, listCurrentCatalogue, rateCall } from '../../src/catalog/index.js';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { formatMoney } from '../../src/platform/money.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';

describe.each(engines)('the published price list on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;

    beforeAll(async () => {
      service = await startTestService(engine, {
        env: { VP_PROVIDER_NAME: '示例宽带有限公司', VP_PROVIDER_WEBSITE: 'https://broadband.example.cn' },
      });
      await loadDemoCatalogue(service.ctx);
    });
    afterAll(() => service?.close());

    const priceList = async (query = '') => {
      const response = await service.app.inject({ method: 'GET', url: `/api/catalog/price-list${query}` });
      expect(response.statusCode).toBe(200);
      return response.json();
    };

    it('a visitor who is not signed in reads the plans in English, in fen and as printed', async () => {
      const list = await priceList('?lang=en');
      expect(list).toMatchObject({
        language: 'en',
        currency: 'CNY',
        asOf: '2026-03-01T02:00:00.000Z',
        provider: { name: '示例宽带有限公司', website: 'https://broadband.example.cn' },
        rounding: 'Each call is charged on its own, rounded to the nearest ¥0.01 (halves up).',
      });
      expect(list.plans).toHaveLength(3);
      expect(list.plans[0]).toMatchObject({
        code: 'basic',
        name: 'Basic',
        monthlyRent: { fen: 30_00, formatted: '¥30.00' },
        includedMinutes: 100,
        perMinuteRate: { precise: 15_0000, formatted: '¥0.15' },
        billingIncrement: { seconds: 6, description: 'per 6 seconds, rounded up per call' },
        exampleCall: { durationSeconds: 61, billableSeconds: 66, charge: { fen: 17, formatted: '¥0.17' } },
        validTo: null,
      });
      expect(list.plans[1]).toMatchObject({ name: 'Standard', monthlyRent: { fen: 58_00, formatted: '¥58.00' } });
      expect(list.plans[2]).toMatchObject({
        name: 'Business',
        monthlyRent: { fen: 128_00, formatted: '¥128.00' },
        perMinuteRate: { precise: 10_0000, formatted: '¥0.10' },
        billingIncrement: { seconds: 60, description: 'per minute, rounded up per call' },
        exampleCall: { billableSeconds: 120, charge: { fen: 20, formatted: '¥0.20' } },
      });
      expect(list.creditLimits).toEqual([
        { amount: { fen: 100_00, formatted: '¥100.00' }, isDefault: false },
        { amount: { fen: 200_00, formatted: '¥200.00' }, isDefault: true },
        { amount: { fen: 500_00, formatted: '¥500.00' }, isDefault: false },
        { amount: { fen: 1000_00, formatted: '¥1,000.00' }, isDefault: false },
      ]);
      expect(list.terminals.map((t: { code: string; price: { fen: number } }) => [t.code, t.price.fen])).toEqual([
        ['vp-t100', 399_00],
        ['vp-t300', 899_00],
      ]);
      expect(list.terminals[0].name).toBe('VP-T100 desk videophone');
    });

    it('reads them in Chinese, which is also the language when none is asked for', async () => {
      const list = await priceList('?lang=zh-CN');
      expect(await priceList()).toEqual(list);
      expect(list.language).toBe('zh-CN');
      expect(list.rounding).toBe('每次通话单独计费，费用四舍五入到 ¥0.01。');
      expect(list.plans.map((p: { name: string }) => p.name)).toEqual(['基础套餐', '标准套餐', '商务套餐']);
      expect(list.plans[0].billingIncrement.description).toBe('按 6 秒计费，每次通话不足 6 秒按 6 秒计');
      expect(list.plans[2].billingIncrement.description).toBe('按分钟计费，每次通话不足 1 分钟按 1 分钟计');
      expect(list.plans[0].monthlyRent).toEqual({ fen: 30_00, formatted: '¥30.00' });
      expect(list.terminals[1].name).toBe('VP-T300 高清视频电话');
    });

    it('publishes exactly what the catalogue holds and billing will charge', async () => {
      const list = await priceList('?lang=en');
      const catalogue = await listCurrentCatalogue(service.ctx);
      for (const [index, published] of list.plans.entries()) {
        const plan = (await findPlanByCode(service.ctx, published.code))!;
        expect(catalogue.plans[index]?.id).toBe(plan.id);
        expect(published.id).toBe(plan.id);
        expect(published.monthlyRent.fen).toBe(plan.monthlyRentFen);
        expect(published.perMinuteRate.precise).toBe(plan.perMinuteRatePrecise);
        expect(published.exampleCall.charge.fen).toBe(rateCall(plan, 61_000).chargeFen);
        expect(published.monthlyRent.formatted).toBe(formatMoney(plan.monthlyRentFen, 'CNY', 'en'));
      }
    });

    it('refuses a language it does not publish in', async () => {
      const response = await service.app.inject('/api/catalog/price-list?lang=fr');
      expect(response.statusCode).toBe(400);
      expect(response.json().code).toBe('invalid-request');
    });

    it('is described in the OpenAPI document with its response shape', async () => {
      const document = (await service.app.inject('/api/openapi.json')).json();
      const operation = document.paths['/api/catalog/price-list'].get;
      expect(operation.tags).toEqual(['catalog']);
      expect(operation.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ name: 'lang', in: 'query' })]));
      const schema = operation.responses['200'].content['application/json'].schema;
      expect(schema.required).toEqual(expect.arrayContaining(['currency', 'plans', 'creditLimits', 'terminals', 'provider']));
      expect(Object.keys(schema.properties.plans.items.properties)).toEqual(
        expect.arrayContaining(['monthlyRent', 'perMinuteRate', 'billingIncrement', 'includedMinutes']),
      );
    });

    it('loading the demo catalogue again changes nothing', async () => {
      const before = await priceList('?lang=en');
      await loadDemoCatalogue(service.ctx);
      expect(await priceList('?lang=en')).toEqual(before);
    });
  });
});
