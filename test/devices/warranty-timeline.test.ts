import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerOf } from '../../src/billing/index.js';
import { listNotices } from '../../src/notices/index.js';
import { available, engines } from '../support/engines.js';
import type { ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { deliverTerminal, local, portalOf, subscriberWithTerminal, technicianConsole, type Console } from './support.js';

/**
 * The warranty of clause 4 as the stories tell it, over HTTP: the subscriber in the portal,
 * the technician in the console. Each terminal is delivered on Jan 10, 2027 (Asia/Shanghai); the
 * warranty covers it through Jan 10, 2028.
 */
describe.each(engines)('the terminal warranty on %s (clause 4)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    // Each story runs on its own service: its clock moves on for a year and cannot go back.
    let service: TestService;
    let tech: Console;
    const people = {} as Record<'alice' | 'bob' | 'carol' | 'dan', ActiveSubscriber>;
    const story = (name: keyof typeof people, fullName: string) => {
      beforeAll(async () => {
        service = await startTestService(engine, { start: '2027-01-04T02:00:00Z' });
        const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
        const technician = await addStaff(service, ['technician'], 'tech-zhou');
        tech = technicianConsole(service, () => signInCookie(service, technician));
        people[name] = await subscriberWithTerminal(service, reviewer, fullName);
      }, 120_000);
      afterAll(() => service?.close());
    };

    const noticesOf = async (person: ActiveSubscriber) =>
      (await listNotices(service.ctx.db, person.id)).map((n) => n.title['zh-CN']).reverse();

    describe('Alice: delivered Jan 10; claim Dec 20 → covered; repaired with a new board, the old one to stock; replaced Feb 1 next year → the replacement’s warranty still ends Jan 10', () => {
      story('alice', '艾丽斯');
      let unitId: string;
      let claimId: string;
      let portal: Console;

      it('her terminal is delivered on Jan 10, 2027: the portal shows the warranty through Jan 10, 2028', async () => {
        portal = portalOf(service, people.alice);
        unitId = await deliverTerminal(
          service,
          tech,
          people.alice,
          { serialNumber: 'T100-A1', mac: '00:1a:2b:00:00:a1' },
          {
            shippedAt: '2027-01-08 15:00',
            deliveredAt: '2027-01-10 11:00',
          },
        );
        const mine = await portal('GET', '/api/portal/terminals');
        expect(mine.json().terminals).toMatchObject([{ id: unitId, state: 'delivered', warrantyEndsOn: '2028-01-10' }]);
      });

      it('on Dec 20 she files a written claim with a photo: it is covered', async () => {
        service.clock.set(local('2027-12-20 09:30'));
        const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
        const filed = await portal('POST', `/api/portal/terminals/${unitId}/claims`, {
          description: '屏幕不亮，重启无效',
          photos: [{ name: 'screen.png', type: 'image/png', contentBase64: png.toString('base64') }],
        });
        expect(filed.statusCode, filed.body).toBe(201);
        expect(filed.json()).toMatchObject({
          status: 'filed',
          coverageWhenFiled: 'covered',
          warrantyEndsOn: '2028-01-10',
          filedOn: '2027-12-20',
        });
        claimId = filed.json().id;
        const photo = await tech('GET', `/api/console/warranty/claims/${claimId}/photos/${filed.json().photos[0].id}`);
        expect(photo.rawPayload).toEqual(png);
      });

      it('on Dec 22 the technician finds no exclusion and chooses to repair, free of charge', async () => {
        service.clock.set(local('2027-12-22 10:00'));
        const assessed = await tech('POST', `/api/console/warranty/claims/${claimId}/assessment`, {
          exclusions: [],
          tamperFound: false,
          decision: 'repair',
          note: '主板故障',
        });
        expect(assessed.statusCode, assessed.body).toBe(200);
        expect(assessed.json()).toMatchObject({ status: 'in-service', covered: true, decision: 'repair', quoteFen: null });
      });

      it('on Dec 27 a new board is fitted and the old board returns to the operator’s stock', async () => {
        service.clock.set(local('2027-12-27 16:00'));
        const repaired = await tech('POST', `/api/console/warranty/claims/${claimId}/repair`, {
          partsUsed: [{ part: '主板 main board (new)', serialNumber: 'MB-NEW-0001' }],
          partsReturned: [{ part: '主板 main board', serialNumber: 'MB-OLD-0001' }],
        });
        expect(repaired.statusCode, repaired.body).toBe(200);
        expect(repaired.json().parts).toMatchObject([
          { direction: 'used', serialNumber: 'MB-NEW-0001' },
          { direction: 'returned-to-stock', serialNumber: 'MB-OLD-0001' },
        ]);
        const stock = await tech('GET', '/api/console/warranty/parts');
        expect(stock.json().parts).toMatchObject([{ claimId, unitId, serialNumber: 'MB-OLD-0001' }]);
      });

      it('on Feb 1, 2028 the operator replaces the terminal instead: the replacement’s warranty still ends Jan 10, 2028', async () => {
        service.clock.set(local('2028-02-01 09:00'));
        const spare = await tech('POST', '/api/console/devices/units', {
          modelCode: 'vp-t100',
          serialNumber: 'T100-A2',
          mac: '00:1a:2b:00:00:a2',
        });
        const replaced = await tech('POST', `/api/console/warranty/claims/${claimId}/replacement`, { unitId: spare.json().id });
        expect(replaced.statusCode, replaced.body).toBe(200);
        expect(replaced.json()).toMatchObject({ status: 'completed', decision: 'replace', replacementUnitId: spare.json().id });
        const shipped = await tech('POST', `/api/console/devices/units/${spare.json().id}/shipment`, {
          carrier: '顺丰速运',
          tracking: 'SF-A2',
        });
        expect(shipped.json()).toMatchObject({ state: 'shipped', warrantyEndsOn: '2028-01-10', replacesUnitId: unitId });
        service.clock.set(local('2028-02-03 14:00'));
        const delivered = await portal('POST', `/api/portal/terminals/${spare.json().id}/delivery`, {});
        expect(delivered.statusCode, delivered.body).toBe(200);
        expect(delivered.json()).toMatchObject({ state: 'delivered', warrantyEndsOn: '2028-01-10' });
        const mine = await portal('GET', '/api/portal/terminals');
        expect(mine.json().terminals.map((t: { serialNumber: string; state: string }) => [t.serialNumber, t.state])).toEqual(
          expect.arrayContaining([
            ['T100-A1', 'returned'],
            ['T100-A2', 'delivered'],
          ]),
        );
      });

      it('a claim on the replacement on Feb 5 is refused: the warranty ended Jan 10', async () => {
        service.clock.set(local('2028-02-05 09:00'));
        const replacement = (await portal('GET', '/api/portal/terminals'))
          .json()
          .terminals.find((t: { serialNumber: string }) => t.serialNumber === 'T100-A2');
        const refused = await portal('POST', `/api/portal/terminals/${replacement.id}/claims`, { description: '又坏了' });
        expect(refused.statusCode).toBe(409);
        expect(refused.json()).toMatchObject({ code: 'warranty-ended', endedOn: '2028-01-10' });
      });

      it('she was told at every step, in Chinese and English', async () => {
        const titles = await noticesOf(people.alice);
        expect(titles).toEqual([
          '已收到终端 T100-A1 的保修申请',
          '您的终端 T100-A1 属于保修范围',
          '终端 T100-A1 已维修',
          '终端 T100-A1 已更换',
        ]);
        const [first] = await listNotices(service.ctx.db, people.alice.id);
        expect(first!.body.en).toContain('does not extend');
        expect(first!.body['zh-CN']).toContain('2028-01-10');
      });
    });

    describe('Bob: claim on Jan 11 of the next year → refused, warranty ended Jan 10', () => {
      story('bob', '鲍勃');
      it('delivered Jan 10, 2027; his claim on Jan 11, 2028 is refused with the day the warranty ended, in both languages', async () => {
        const unitId = await deliverTerminal(
          service,
          tech,
          people.bob,
          { serialNumber: 'T100-B1', mac: '00:1a:2b:00:00:b1' },
          {
            shippedAt: '2027-01-08 15:00',
            deliveredAt: '2027-01-10 17:00',
          },
        );
        service.clock.set(local('2028-01-11 08:00'));
        const refused = await portalOf(service, people.bob)('POST', `/api/portal/terminals/${unitId}/claims`, { description: '无法开机' });
        expect(refused.statusCode).toBe(409);
        expect(refused.headers['content-type']).toContain('application/problem+json');
        expect(refused.json()).toMatchObject({ code: 'warranty-ended', endedOn: '2028-01-10' });
        expect(refused.json().messages['zh-CN']).toContain('2028-01-10');
        expect(refused.json().messages.en).toContain('ended on 2028-01-10');
        expect(
          (await tech('GET', '/api/console/warranty/claims')).json().claims.filter((c: { unitId: string }) => c.unitId === unitId),
        ).toEqual([]);
      });
    });

    describe('Carol: tamper recorded → the warranty ends that day and a later claim gets a quote', () => {
      story('carol', '卡萝尔');
      let unitId: string;
      let claimId: string;
      let portal: Console;

      it('the technician records on Jun 1, 2027 that her terminal was opened: the warranty ends that day', async () => {
        portal = portalOf(service, people.carol);
        unitId = await deliverTerminal(
          service,
          tech,
          people.carol,
          { serialNumber: 'T100-C1', mac: '00:1a:2b:00:00:c1' },
          {
            shippedAt: '2027-01-08 15:00',
            deliveredAt: '2027-01-10 12:00',
          },
        );
        service.clock.set(local('2027-06-01 15:00'));
        const tampered = await tech('POST', `/api/console/devices/units/${unitId}/tamper`, { note: '封条破损，外壳有撬痕' });
        expect(tampered.statusCode, tampered.body).toBe(200);
        expect(tampered.json()).toMatchObject({ tamperedOn: '2027-06-01', warrantyEndsOn: '2028-01-10' });
      });

      it('her claim on Jul 1 is taken but not covered, and the technician must quote', async () => {
        service.clock.set(local('2027-07-01 09:00'));
        const filed = await portal('POST', `/api/portal/terminals/${unitId}/claims`, { description: '摄像头没有画面' });
        expect(filed.statusCode, filed.body).toBe(201);
        expect(filed.json()).toMatchObject({ coverageWhenFiled: 'not-covered', warrantyEndsOn: '2027-06-01' });
        claimId = filed.json().id;
        service.clock.set(local('2027-07-02 09:00'));
        const noQuote = await tech('POST', `/api/console/warranty/claims/${claimId}/assessment`, {
          exclusions: [],
          tamperFound: false,
          decision: 'repair',
        });
        expect(noQuote.statusCode).toBe(400);
        const quoted = await tech('POST', `/api/console/warranty/claims/${claimId}/assessment`, {
          exclusions: ['opened-case'],
          tamperFound: false,
          decision: 'repair',
          quoteFen: 150_00,
        });
        expect(quoted.statusCode, quoted.body).toBe(200);
        expect(quoted.json()).toMatchObject({ status: 'quoted', covered: false, quoteFen: 150_00, exclusions: ['opened-case'] });
      });

      it('she accepts the quote: ¥150.00 is charged as an adjustment for her next bill, and the repair goes ahead', async () => {
        service.clock.set(local('2027-07-03 20:00'));
        // The billing cycle opens her billing account (from subscriber.activated) and bills June.
        await service.jobs.runOnce('billing.cycle');
        const accepted = await portal('POST', `/api/portal/claims/${claimId}/quote`, { accept: true });
        expect(accepted.statusCode, accepted.body).toBe(200);
        expect(accepted.json()).toMatchObject({ status: 'in-service', quoteResponse: 'accepted' });
        const charges = (await ledgerOf(service.ctx.db, people.carol.id)).filter((line) => line.kind === 'adjustment');
        expect(charges).toMatchObject([{ amountFen: 150_00 }]);
        expect((await noticesOf(people.carol)).at(-1)).toBe('已接受终端 T100-C1 的维修报价');
      });
    });

    describe('Dan: shipping damage reported at delivery → covered', () => {
      story('dan', '丹');
      it('Dan confirms the delivery in the portal and reports a cracked screen: a covered claim opens at once', async () => {
        const unitId = await deliverTerminal(
          service,
          tech,
          people.dan,
          { serialNumber: 'T100-D1', mac: '00:1a:2b:00:00:d1' },
          { shippedAt: '2027-01-08 15:00' },
        );
        service.clock.set(local('2027-01-10 19:00'));
        const portal = portalOf(service, people.dan);
        const delivered = await portal('POST', `/api/portal/terminals/${unitId}/delivery`, {
          damageReported: '收货时屏幕已碎裂，外箱有压痕',
        });
        expect(delivered.statusCode, delivered.body).toBe(200);
        expect(delivered.json()).toMatchObject({ deliveredBy: 'subscriber', warrantyEndsOn: '2028-01-10' });
        const { claims } = (await portal('GET', '/api/portal/terminals')).json();
        expect(claims).toMatchObject([{ cause: 'shipping-damage', coverageWhenFiled: 'covered', status: 'filed' }]);
        // The parcel was dropped: an accident, but in shipping, which the warranty covers.
        service.clock.set(local('2027-01-12 10:00'));
        const assessed = await tech('POST', `/api/console/warranty/claims/${claims[0].id}/assessment`, {
          exclusions: ['accident'],
          tamperFound: false,
          decision: 'replace',
        });
        expect(assessed.json()).toMatchObject({ status: 'in-service', covered: true, quoteFen: null });
      });
    });
  });
});
