import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { correctAccountPlan } from '../../src/billing/index.js';
import { addPlan, advanceTo, local } from '../billing/support.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Clause 9 over HTTP. Wang (an activated person on the 30.00 plan: 0.15 a minute in 6-second steps,
 * no included minutes, a 200.00 limit from his order) is given a 10.00 limit by the billing clerk;
 * he talks for 54 minutes (8.10), starts a second call (its first minute, 0.15, is held: 82 %, the
 * 80 % alert), talks 15 minutes more (10.35 in all), and the third call is refused: he is blocked.
 * He chooses the catalogue's 500.00 in the portal and may call again. Support reads, the clerk
 * changes, and every change is in the audit log.
 */
describe.each(engines)('charging over HTTP on %s (clause 9)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let wang: ActiveSubscriber;
    let clerkStaff: TestStaff;
    let supportStaff: TestStaff;
    let technicianStaff: TestStaff;
    // Console sessions end after an idle hour, and the story moves the clock by hours.
    let clerk: string;
    let support: string;
    let technician: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      wang = await activeIndividual(service, reviewer, '王小明');
      await advanceTo(service, '2026-01-01 08:10');
      await correctAccountPlan(service.ctx, wang.id, await addPlan(service));
      clerkStaff = await addStaff(service, ['billing_clerk']);
      supportStaff = await addStaff(service, ['support_agent']);
      technicianStaff = await addStaff(service, ['technician']);
      service.clock.set(local('2026-01-10 09:00'));
    });
    beforeEach(async () => {
      clerk = await signInCookie(service, clerkStaff);
      support = await signInCookie(service, supportStaff);
      technician = await signInCookie(service, technicianStaff);
    });
    afterAll(() => service?.close());

    const get = (url: string, cookie?: string) => service.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });
    const put = (url: string, cookie: string | undefined, payload: unknown) =>
      service.app.inject({ method: 'PUT', url, headers: cookie ? { cookie } : {}, payload: payload as object });
    const consoleView = (cookie = support) => get(`/api/console/charging/subscribers/${wang.id}`, cookie);
    const portalView = () => get('/api/portal/credit', wang.cookie);

    /** A call of Wang's as the proxy reports it to charging: asked for, answered, and (after `minutes`) ended. */
    async function call(minutes: number | null): Promise<{ callKey: string; recordId: string; at: Date }> {
      const at = service.clock.now();
      const callKey = `call-${randomUUID()}`;
      const recordId = randomUUID();
      const grant = await service.charging.authorize({ callKey, caller: wang.number, at });
      expect(grant).toMatchObject({ granted: true });
      if (minutes !== null) await hangUp({ callKey, recordId, at }, minutes);
      return { callKey, recordId, at };
    }
    async function hangUp(placed: { callKey: string; recordId: string; at: Date }, minutes: number): Promise<void> {
      await service.charging.answered({ callKey: placed.callKey, caller: wang.number, recordId: placed.recordId, at: placed.at });
      const endedAt = new Date(placed.at.getTime() + minutes * 60_000);
      await service.charging.ended({ ...placed, caller: wang.number, answeredAt: placed.at, endedAt });
      service.clock.set(new Date(endedAt.getTime() + 60_000));
    }

    it('refuses anonymous callers with 401 problem+json on every charging route', async () => {
      const anonymous = [
        await get('/api/portal/credit'),
        await put('/api/portal/credit-limit', undefined, { limitFen: 500_00 }),
        await get(`/api/console/charging/subscribers/${wang.id}`),
        await put(`/api/console/charging/subscribers/${wang.id}/credit-limit`, undefined, { limitFen: 10_00 }),
        await get('/api/console/charging/near-limit'),
      ];
      for (const response of anonymous) {
        expect(response.statusCode).toBe(401);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json()).toMatchObject({ code: 'unauthenticated' });
      }
    });

    it('shows Wang a fresh month in the portal: the 200.00 of his order, nothing spent, and the four limits on offer', async () => {
      const response = await portalView();
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({
        gauge: {
          period: '2026-01-01',
          limitFen: 200_00,
          settledFen: 0,
          reservedFen: 0,
          callsInProgress: 0,
          creditFen: 0,
          headroomFen: 200_00,
          percent: 0,
          blocked: false,
          alerts: [],
        },
        options: [
          { amountFen: 100_00, isDefault: false },
          { amountFen: 200_00, isDefault: true },
          { amountFen: 500_00, isDefault: false },
          { amountFen: 1000_00, isDefault: false },
        ],
      });
    });

    it('lets billing.read see a gauge and billing.manage change a limit, and answers 403 naming the permission to others', async () => {
      const technicianReads = await consoleView(technician);
      expect(technicianReads.statusCode).toBe(403);
      expect(technicianReads.json()).toMatchObject({ code: 'forbidden', permission: 'billing.read' });
      expect((await get('/api/console/charging/near-limit', technician)).json()).toMatchObject({ permission: 'billing.read' });

      expect((await consoleView(support)).statusCode).toBe(200);
      const supportChanges = await put(`/api/console/charging/subscribers/${wang.id}/credit-limit`, support, { limitFen: 10_00 });
      expect(supportChanges.statusCode).toBe(403);
      expect(supportChanges.json()).toMatchObject({ code: 'forbidden', permission: 'billing.manage' });
      expect(await listAudit(service.ctx.db, { limit: 10, action: 'charging.' })).toEqual([]);
    });

    it('answers 400 problem+json naming the field for a limit that is negative, fractional, not a number or carries extra fields', async () => {
      const url = `/api/console/charging/subscribers/${wang.id}/credit-limit`;
      for (const payload of [{ limitFen: -1 }, { limitFen: 10.5 }, { limitFen: 'ten' }, {}, { limitFen: 10_00, reason: 'x' }]) {
        const response = await put(url, clerk, payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
        expect(response.json().code).toBe('invalid-request');
        expect(response.json().errors[0].pointer).toMatch(/^\/body\//);
      }
      expect((await put(url, clerk, { limitFen: -1 })).json().errors).toEqual([
        expect.objectContaining({
          pointer: '/body/limitFen',
          field: 'limitFen',
          code: 'too-small',
          params: expect.objectContaining({ limit: 0 }),
        }),
      ]);
      expect((await get('/api/console/charging/subscribers/not-a-uuid', clerk)).json()).toMatchObject({
        code: 'invalid-request',
        errors: [{ pointer: '/params/id', code: 'format' }],
      });
      expect((await get('/api/console/charging/near-limit?threshold=0', clerk)).statusCode).toBe(400);
      const nobody = await get(`/api/console/charging/subscribers/${randomUUID()}`, clerk);
      expect(nobody.statusCode).toBe(404);
      expect((await put(`/api/console/charging/subscribers/${randomUUID()}/credit-limit`, clerk, { limitFen: 10_00 })).statusCode).toBe(
        404,
      );
    });

    it('refuses in the portal a limit the catalogue does not offer, saying which are offered', async () => {
      const response = await put('/api/portal/credit-limit', wang.cookie, { limitFen: 123_45 });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toMatchObject({
        code: 'invalid-request',
        errors: [{ field: 'limitFen', message: 'one of 10000, 20000, 50000, 100000' }],
      });
      expect((await portalView()).json().gauge.limitFen).toBe(200_00);
    });

    it('the clerk sets a 10.00 limit: answered with the old one, recorded in the history and in the audit log under their name', async () => {
      const at = service.clock.now().toISOString();
      const response = await put(`/api/console/charging/subscribers/${wang.id}/credit-limit`, clerk, { limitFen: 10_00 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ limitFen: 10_00, previousFen: 200_00, restored: false });

      const [audit] = await listAudit(service.ctx.db, { limit: 10, action: 'charging.credit-limit.change' });
      expect(audit).toMatchObject({
        actorType: 'staff',
        actorId: clerkStaff.id,
        actorName: clerkStaff.username,
        targetType: 'subscriber',
        targetId: wang.id,
        before: { limitFen: 200_00 },
        after: { limitFen: 10_00 },
      });
      const view = (await consoleView()).json();
      expect(view.gauge).toMatchObject({ limitFen: 10_00, headroomFen: 10_00, percent: 0 });
      expect(view.history).toEqual([{ at, kind: 'limit-changed', callKey: null, detail: { fromFen: 200_00, toFen: 10_00, by: 'staff' } }]);
    });

    it('54 minutes (8.10) and a second call holding its first minute (0.15): 82 %, the 80 % alert, 1.75 left', async () => {
      const first = await call(54);
      const second = await call(null);
      const view = (await consoleView()).json();
      expect(view.gauge).toEqual({
        period: '2026-01-01',
        limitFen: 10_00,
        settledFen: 8_10,
        reservedFen: 15,
        callsInProgress: 1,
        creditFen: 0,
        headroomFen: 1_75,
        percent: 82,
        blocked: false,
        alerts: [{ percent: 80, at: second.at.toISOString() }],
      });
      expect(view.history.map((entry: { kind: string; callKey: string | null }) => [entry.kind, entry.callKey])).toEqual([
        ['alert', null],
        ['authorized', second.callKey],
        ['authorized', first.callKey],
        ['limit-changed', null],
      ]);
      expect(view.history[0].detail).toMatchObject({ percent: 80, feesFen: 8_25, limitFen: 10_00 });
      expect(view.history[1].detail).toMatchObject({ grantedSeconds: 60, reservedFen: 15 });
      // The portal shows Wang the same numbers.
      expect((await portalView()).json().gauge).toEqual(view.gauge);

      // Near the limit at 80 %, with his masked name and number; not at 90 %.
      const near = await get('/api/console/charging/near-limit', support);
      expect(near.statusCode).toBe(200);
      expect(near.json()).toEqual({
        thresholdPercent: 80,
        subscribers: [
          { subscriberId: wang.id, name: '王**', numbers: [wang.number], limitFen: 10_00, feesFen: 8_25, percent: 82, blocked: false },
        ],
      });
      expect((await get('/api/console/charging/near-limit?threshold=90', support)).json()).toEqual({
        thresholdPercent: 90,
        subscribers: [],
      });

      await hangUp(second, 15);
    });

    it('10.35 spent: the third call is refused and Wang is blocked, first on the near-limit list, with both alerts', async () => {
      const at = service.clock.now();
      expect(await service.charging.authorize({ callKey: 'call-refused', caller: wang.number, at })).toEqual({
        granted: false,
        reason: 'credit-limit',
      });
      const gauge = (await portalView()).json().gauge;
      expect(gauge).toMatchObject({ settledFen: 10_35, reservedFen: 0, callsInProgress: 0, headroomFen: 0, percent: 103, blocked: true });
      expect(gauge.alerts.map((alert: { percent: number }) => alert.percent)).toEqual([80, 100]);
      expect(
        (await consoleView())
          .json()
          .history.slice(0, 2)
          .map((entry: { kind: string }) => entry.kind),
      ).toEqual(['alert', 'refused']);
      expect((await get('/api/console/charging/near-limit?threshold=100', clerk)).json().subscribers).toEqual([
        expect.objectContaining({ subscriberId: wang.id, feesFen: 10_35, percent: 103, blocked: true }),
      ]);
    });

    it('Wang chooses the 500.00 limit in the portal: calling is restored at once, and the change is audited as his', async () => {
      const response = await put('/api/portal/credit-limit', wang.cookie, { limitFen: 500_00 });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ limitFen: 500_00, previousFen: 10_00, restored: true });
      expect((await portalView()).json().gauge).toMatchObject({
        limitFen: 500_00,
        blocked: false,
        headroomFen: 500_00 - 10_35,
        percent: 2,
      });

      const [audit] = await listAudit(service.ctx.db, { limit: 10, action: 'charging.credit-limit.change' });
      expect(audit).toMatchObject({
        actorType: 'subscriber',
        actorId: wang.id,
        targetId: wang.id,
        before: { limitFen: 10_00 },
        after: { limitFen: 500_00 },
      });
      const history = (await consoleView(clerk)).json().history;
      expect(history.slice(0, 2).map((entry: { kind: string; detail: unknown }) => [entry.kind, entry.detail])).toEqual([
        ['restored', expect.objectContaining({ limitFen: 500_00 })],
        ['limit-changed', { fromFen: 10_00, toFen: 500_00, by: 'subscriber' }],
      ]);
      expect(await service.charging.authorize({ callKey: 'call-after', caller: wang.number, at: service.clock.now() })).toMatchObject({
        granted: true,
      });
    });
  });
});
