import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findOutage, findWindow, numberMovedTo } from '../../src/assurance/index.js';
import { listAudit } from '../../src/audit/index.js';
import { listNotices } from '../../src/notices/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { addPlan, advanceTo, noDunning } from '../billing/support.js';
import { creditDocuments, creditRun, local, outage, subscriberWithNumber } from './support.js';

/** January 2026 has 44 640 minutes: a plan of 44.64 a month is worth 0.1 fen a minute. */
const RENT = 44_64;

const texts = {
  titleZh: '核心网升级',
  titleEn: 'Core network upgrade',
  descriptionZh: '升级期间视频通话将中断。',
  descriptionEn: 'Video calls are interrupted during the upgrade.',
};

/**
 * Clause 7 as a timeline. Five subscribers exist: Alice, Bob and Carol hold numbers in one block,
 * Dave and Erin elsewhere. The technician announces maintenance of the block 80 hours ahead: only
 * the three are told. Announced 10 hours ahead it is refused unless a reason is given, and then it
 * is credited as an outage. A long platform outage over the announced window credits only the time
 * outside it. Erin's number changes: calls to the old one are pointed at the new one for 90 days.
 */
describe.each(engines)('maintenance windows on %s (clause 7)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let technicianStaff: TestStaff;
    let supportStaff: TestStaff;
    let technician: string;
    let support: string;
    const people: Record<'alice' | 'bob' | 'carol' | 'dave' | 'erin', { id: string; number: string }> = {} as never;
    let announced: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2025-12-31T00:00:00Z', env: noDunning });
      const planId = await addPlan(service, { monthlyRentFen: RENT });
      const numbers = {
        alice: '+8610600010001',
        bob: '+8610600010002',
        carol: '+8610600010003',
        dave: '+8610700000001',
        erin: '+8610700000002',
      };
      for (const [name, number] of Object.entries(numbers))
        people[name as keyof typeof people] = { id: await subscriberWithNumber(service, planId, number, '2026-01-01'), number };
      technicianStaff = await addStaff(service, ['technician']);
      supportStaff = await addStaff(service, ['support_agent']);
    });
    afterAll(() => service?.close());

    const publish = (cookie: string, body: object) =>
      service.app.inject({ method: 'POST', url: '/api/console/maintenance-windows', headers: { cookie }, payload: body });
    const noticesOf = async (subscriberId: string) =>
      (await listNotices(service.ctx.db, subscriberId)).filter((n) => n.kind === 'maintenance');
    const everyone = () => Object.values(people);
    /** Moves the clock to a local instant and signs the staff in afresh (sessions idle out meanwhile). */
    const at = async (instant: string) => {
      service.clock.set(local(instant));
      technician = await signInCookie(service, technicianStaff);
      support = await signInCookie(service, supportStaff);
    };

    it('a maintenance window published 80 h ahead notifies the 3 affected subscribers and no others (5 subscribers exist)', async () => {
      await at('2026-01-10 09:00');
      const response = await publish(technician, {
        startsAt: local('2026-01-13 17:00').toISOString(),
        endsAt: local('2026-01-13 21:00').toISOString(),
        effect: 'interruption',
        scope: { kind: 'numbers', numbers: [people.alice.number, people.bob.number, people.carol.number] },
        ...texts,
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({
        onTime: true,
        lateReason: null,
        subscribers: 3,
        reference: expect.stringMatching(/^MW-\d+$/),
      });
      announced = response.json().id;

      for (const person of [people.alice, people.bob, people.carol]) {
        const notices = await noticesOf(person.id);
        expect(notices).toHaveLength(1);
        expect(notices[0]).toMatchObject({ key: `maintenance:${announced}`, urgency: 'urgent' });
        expect(notices[0]!.title).toEqual({ en: 'Maintenance: Core network upgrade', 'zh-CN': '维护通知：核心网升级' });
        expect(notices[0]!.body.en).toContain('From 2026-01-13 17:00 to 2026-01-13 21:00 (Beijing time) video calls will be interrupted');
        expect(notices[0]!.body['zh-CN']).toContain('2026-01-13 17:00 至 2026-01-13 21:00（北京时间）期间视频通话将中断');
      }
      for (const person of [people.dave, people.erin]) expect(await noticesOf(person.id)).toEqual([]);

      const audit = await listAudit(service.ctx.db, { action: 'assurance.maintenance-published', limit: 10 });
      expect(audit.map((e) => [e.targetId, e.actorId])).toEqual([[announced, technicianStaff.id]]);
    });

    it('one published 10 h ahead without a reason is refused with a problem naming startsAt, in Chinese and English; nobody is told', async () => {
      await at('2026-01-10 09:10');
      const before = await Promise.all(everyone().map((p) => noticesOf(p.id)));
      const response = await publish(technician, {
        startsAt: local('2026-01-10 19:00').toISOString(),
        endsAt: local('2026-01-12 01:00').toISOString(),
        effect: 'interruption',
        scope: { kind: 'numbers', numbers: [people.dave.number] },
        ...texts,
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      const problem = response.json();
      expect(problem.errors.map((e: { field: string }) => e.field)).toEqual(['startsAt']);
      expect(problem.messages[0]).toMatchObject({
        field: 'startsAt',
        en: expect.stringContaining('72 hours'),
        'zh-CN': expect.stringContaining('72 小时'),
      });
      expect(await Promise.all(everyone().map((p) => noticesOf(p.id)))).toEqual(before);
    });

    it('with a reason it is accepted, becomes an outage as it begins, and is credited as one: 30 h × 0.1 fen a minute = 1.80', async () => {
      await at('2026-01-10 09:20');
      const response = await publish(technician, {
        startsAt: local('2026-01-10 19:00').toISOString(),
        endsAt: local('2026-01-12 01:00').toISOString(),
        effect: 'interruption',
        scope: { kind: 'numbers', numbers: [people.dave.number] },
        ...texts,
        lateReason: 'A security fix that cannot wait',
      });
      expect(response.statusCode).toBe(201);
      expect(response.json()).toMatchObject({ onTime: false, lateReason: 'A security fix that cannot wait', outageId: null });
      const id = response.json().id;
      expect(await noticesOf(people.dave.id)).toHaveLength(1);

      service.clock.set(local('2026-01-10 19:01'));
      expect(await service.jobs.runOnce('assurance.late-maintenance')).toMatchObject({ status: 'ran', result: { outages: 1 } });
      expect(await service.jobs.runOnce('assurance.late-maintenance')).toMatchObject({ status: 'ran', result: { outages: 0 } });
      const outageId = (await findWindow(service.ctx.db, id))!.outageId;
      expect(await findOutage(service.ctx.db, outageId!)).toMatchObject({
        cause: 'platform',
        startsAt: local('2026-01-10 19:00'),
        endsAt: local('2026-01-12 01:00'),
        scope: { kind: 'subscribers', subscriberIds: [people.dave.id] },
      });

      await creditRun(service, '2026-01-12 02:00');
      const daves = await creditDocuments(service, people.dave.id);
      expect(daves).toHaveLength(1);
      expect(daves[0]).toMatchObject({ kind: 'credit_note', amountFen: -1_80 });
      expect(daves[0]!.description).toContain('1800 min affected');
      for (const person of [people.alice, people.bob, people.carol, people.erin])
        expect(await creditDocuments(service, person.id)).toEqual([]);
    });

    it('support may read the windows but not publish one; the status page shows a window to come', async () => {
      await at('2026-01-13 12:00');
      const list = await service.app.inject({ method: 'GET', url: '/api/console/maintenance-windows', headers: { cookie: support } });
      expect(list.statusCode).toBe(200);
      expect(list.json().noticeLeadHours).toBe(72);
      expect(list.json().windows.map((w: { id: string }) => w.id)).toContain(announced);
      const refused = await publish(support, {
        startsAt: local('2026-01-20 00:00').toISOString(),
        endsAt: local('2026-01-20 01:00').toISOString(),
        effect: 'degraded',
        scope: { kind: 'all' },
        ...texts,
      });
      expect(refused.statusCode).toBe(403);

      const status = (await service.app.inject({ method: 'GET', url: '/api/status' })).json();
      expect(status.maintenance).toEqual([
        expect.objectContaining({
          state: 'scheduled',
          effect: 'interruption',
          scope: 'numbers',
          titleZh: '核心网升级',
          startsAt: local('2026-01-13 17:00').toISOString(),
        }),
      ]);
      expect(JSON.stringify(status.maintenance)).not.toContain(people.alice.number);
    });

    it('a platform outage of 30 h over the announced 4 h window credits its subscribers only the 26 h outside it (1800 → 1560 min)', async () => {
      await outage(service, '2026-01-14 07:00', {
        from: '2026-01-13 00:00',
        to: '2026-01-14 06:00',
        cause: 'platform',
        scope: { kind: 'numbers', ranges: ['+86106000100*'] },
      });
      await creditRun(service, '2026-01-14 08:00');
      for (const person of [people.alice, people.bob, people.carol]) {
        const documents = await creditDocuments(service, person.id);
        expect(documents).toHaveLength(1);
        expect(documents[0]).toMatchObject({ kind: 'credit_note', amountFen: -1_56 });
        expect(documents[0]!.description).toContain('1560 min affected');
      }
    });

    it('a window cancelled before it begins tells those it reached; one cannot be cancelled twice, nor once begun', async () => {
      await at('2026-01-15 09:00');
      const published = await publish(technician, {
        startsAt: local('2026-01-19 00:00').toISOString(),
        endsAt: local('2026-01-19 02:00').toISOString(),
        effect: 'degraded',
        scope: { kind: 'numbers', numbers: [people.alice.number] },
        ...texts,
      });
      expect(published.statusCode).toBe(201);
      const id = published.json().id;
      const cancel = (reason: string) =>
        service.app.inject({
          method: 'POST',
          url: `/api/console/maintenance-windows/${id}/cancel`,
          headers: { cookie: technician },
          payload: { reason },
        });
      expect((await cancel(' ')).statusCode).toBe(400);
      const cancelled = await cancel('The supplier postponed the upgrade');
      expect(cancelled.statusCode).toBe(200);
      expect(cancelled.json()).toMatchObject({
        cancelReason: 'The supplier postponed the upgrade',
        cancelledAt: service.clock.now().toISOString(),
      });
      const alices = await noticesOf(people.alice.id);
      expect(alices.map((n) => [n.key, n.urgency])).toContainEqual([`maintenance:${id}:cancelled`, 'normal']);
      expect(alices.find((n) => n.key === `maintenance:${id}:cancelled`)!.title['zh-CN']).toBe('维护已取消：核心网升级');
      expect(await noticesOf(people.bob.id)).toHaveLength(1);
      expect((await cancel('again')).statusCode).toBe(409);

      const begun = await service.app.inject({
        method: 'POST',
        url: `/api/console/maintenance-windows/${announced}/cancel`,
        headers: { cookie: technician },
        payload: { reason: 'too late' },
      });
      expect(begun.statusCode).toBe(409);
    });

    it("Erin's number change: the movedTo lookup answers the new number from the window's start for 90 days, and not before or after", async () => {
      await at('2026-01-15 10:00');
      const response = await publish(technician, {
        startsAt: local('2026-01-20 02:00').toISOString(),
        endsAt: local('2026-01-20 03:00').toISOString(),
        effect: 'number-change',
        scope: { kind: 'numbers', numbers: [people.erin.number] },
        numberChanges: [{ oldNumber: people.erin.number, newNumber: '+8610700009999' }],
        ...texts,
      });
      expect(response.statusCode).toBe(201);
      const [notice] = await noticesOf(people.erin.id);
      expect(notice!.urgency).toBe('urgent');
      expect(notice!.body.en).toContain(`Your number ${people.erin.number} becomes +8610700009999.`);
      expect(notice!.body['zh-CN']).toContain(`您的号码 ${people.erin.number} 将变更为 +8610700009999。`);

      const movedTo = numberMovedTo(service.ctx);
      expect(await movedTo(people.erin.number, local('2026-01-20 01:59'))).toBeNull();
      expect(await movedTo(people.erin.number, local('2026-01-20 02:00'))).toBe('+8610700009999');
      expect(await movedTo(people.erin.number, local('2026-04-20 01:59'))).toBe('+8610700009999');
      expect(await movedTo(people.erin.number, local('2026-04-20 02:00'))).toBeNull();
      expect(await movedTo(people.dave.number, local('2026-02-01 00:00'))).toBeNull();
    });

    it('refuses a number change without a new number for each number in scope, or to a number someone holds', async () => {
      await at('2026-01-15 11:00');
      const base = {
        startsAt: local('2026-01-21 02:00').toISOString(),
        endsAt: local('2026-01-21 03:00').toISOString(),
        effect: 'number-change',
        scope: { kind: 'numbers', numbers: [people.dave.number] },
        ...texts,
      };
      const missing = await publish(technician, base);
      expect(missing.statusCode).toBe(400);
      expect(missing.json().errors.map((e: { field: string }) => e.field)).toEqual(['numberChanges']);
      const taken = await publish(technician, {
        ...base,
        numberChanges: [{ oldNumber: people.dave.number, newNumber: people.alice.number }],
      });
      expect(taken.statusCode).toBe(400);
      expect(taken.json().errors.map((e: { field: string }) => e.field)).toEqual(['numberChanges.0.newNumber']);
    });
  });
});

/**
 * The subscriber's side: Wang, signed in to the portal, sees a window over everyone in his language
 * before it begins and while it is in progress, and no longer once it is over.
 */
describe.each(engines)('maintenance windows in the portal on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let wang: ActiveSubscriber;
    let technicianStaff: TestStaff;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      wang = await activeIndividual(service, reviewer, '王小明');
      await advanceTo(service, '2026-01-01 08:10');
      technicianStaff = await addStaff(service, ['technician']);
    });
    afterAll(() => service?.close());

    const portal = (lang: string) =>
      service.app.inject({ method: 'GET', url: `/api/portal/maintenance?lang=${lang}`, headers: { cookie: wang.cookie } });

    it('lists the window in Chinese or English, flags it in progress during it, and drops it after', async () => {
      service.clock.set(local('2026-01-10 09:00'));
      const technician = await signInCookie(service, technicianStaff);
      const published = await service.app.inject({
        method: 'POST',
        url: '/api/console/maintenance-windows',
        headers: { cookie: technician },
        payload: {
          startsAt: local('2026-01-14 01:00').toISOString(),
          endsAt: local('2026-01-14 03:00').toISOString(),
          effect: 'interruption',
          scope: { kind: 'all' },
          ...texts,
        },
      });
      expect(published.statusCode).toBe(201);
      expect(published.json().subscribers).toBe(1);
      expect((await service.app.inject({ method: 'GET', url: '/api/portal/maintenance' })).statusCode).toBe(401);

      const zh = await portal('zh-CN');
      expect(zh.statusCode).toBe(200);
      expect(zh.json().windows).toEqual([
        {
          id: published.json().id,
          startsAt: local('2026-01-14 01:00').toISOString(),
          endsAt: local('2026-01-14 03:00').toISOString(),
          effect: 'interruption',
          title: '核心网升级',
          description: '升级期间视频通话将中断。',
          oldNumber: null,
          newNumber: null,
          inProgress: false,
        },
      ]);
      service.clock.set(local('2026-01-14 02:00'));
      expect((await portal('en')).json().windows).toEqual([expect.objectContaining({ title: 'Core network upgrade', inProgress: true })]);
      service.clock.set(local('2026-01-14 03:00'));
      expect((await portal('en')).json().windows).toEqual([]);
    });
  });
});
