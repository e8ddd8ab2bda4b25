import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';
import { advanceTo } from '../billing/support.js';
import { local } from './support.js';

/**
 * The outage register over HTTP. The technician records an outage of Wang's number block, ends it,
 * then corrects its start; support may read the register but not write it; the public status page
 * shows it to anyone; Wang's portal notice shows it, and later the credit it earned.
 */
describe.each(engines)('outages over HTTP on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let wang: ActiveSubscriber;
    let technicianStaff: TestStaff;
    let supportStaff: TestStaff;
    let technician: string;
    let support: string;
    let id: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-01T00:00:00Z' });
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      wang = await activeIndividual(service, reviewer, '王小明');
      await advanceTo(service, '2026-01-01 08:10');
      technicianStaff = await addStaff(service, ['technician']);
      supportStaff = await addStaff(service, ['support_agent']);
      service.clock.set(local('2026-01-10 09:00'));
    });
    beforeEach(async () => {
      technician = await signInCookie(service, technicianStaff);
      support = await signInCookie(service, supportStaff);
    });
    afterAll(() => service?.close());

    const request = (method: 'GET' | 'POST', url: string, cookie?: string, payload?: object) =>
      service.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });
    const facts = () => ({
      startsAt: local('2026-01-09 06:00').toISOString(),
      endsAt: null,
      cause: 'platform',
      scope: { kind: 'numbers', ranges: [`${wang.number.slice(0, -2)}*`] },
      descriptionZh: '北京机房交换机故障，视频呼叫无法接通',
      descriptionEn: 'A switch failed in the Beijing data centre; video calls cannot connect',
    });

    it('refuses the register without a session (401) and writing it to support (403), while support may read it', async () => {
      expect((await request('GET', '/api/console/outages')).statusCode).toBe(401);
      expect((await request('POST', '/api/console/outages', undefined, facts())).statusCode).toBe(401);
      const refused = await request('POST', '/api/console/outages', support, facts());
      expect(refused.statusCode).toBe(403);
      expect(refused.headers['content-type']).toContain('application/problem+json');
      expect((await request('GET', '/api/console/outages', support)).statusCode).toBe(200);
    });

    it('answers 400 problem+json with the fields at fault: an end before the start, a bad range, an empty description', async () => {
      const response = await request('POST', '/api/console/outages', technician, {
        ...facts(),
        endsAt: local('2026-01-09 05:00').toISOString(),
        scope: { kind: 'numbers', ranges: ['+86106-+861'] },
        descriptionEn: ' ',
      });
      expect(response.statusCode).toBe(400);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(
        response
          .json()
          .errors.map((e: { field: string }) => e.field)
          .sort(),
      ).toEqual(['descriptionEn', 'endsAt', 'scope.ranges.0']);
    });

    it('refuses maintenance announced with less than 72 hours notice (clause 7)', async () => {
      const response = await request('POST', '/api/console/outages', technician, {
        ...facts(),
        cause: 'announced-maintenance',
        startsAt: local('2026-01-11 00:00').toISOString(),
        endsAt: local('2026-01-11 04:00').toISOString(),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'startsAt' })]);
    });

    it('the technician records the ongoing outage (201, audited); the status page and Wang’s portal show it as ongoing', async () => {
      const created = await request('POST', '/api/console/outages', technician, facts());
      expect(created.statusCode).toBe(201);
      id = created.json().id;
      expect(created.json()).toMatchObject({ reference: expect.stringMatching(/^OUT-\d+$/), version: 1, endsAt: null });
      const status = await request('GET', '/api/status');
      expect(status.statusCode).toBe(200);
      expect(status.json().outages).toEqual([
        expect.objectContaining({ state: 'ongoing', scope: 'numbers', descriptionZh: '北京机房交换机故障，视频呼叫无法接通' }),
      ]);
      expect(JSON.stringify(status.json())).not.toContain(wang.id);
      const notice = await request('GET', '/api/portal/outages', wang.cookie);
      expect(notice.json().outages).toHaveLength(1);
      const audit = await listAudit(service.ctx.db, { action: 'assurance.outage-recorded', limit: 10 });
      expect(audit).toHaveLength(1);
    });

    it('ends it on Jan 10 08:00 and corrects its start to 04:00 with a reason: three versions, the first kept as recorded', async () => {
      const ended = await request('POST', `/api/console/outages/${id}/end`, technician, {
        endsAt: local('2026-01-10 08:00').toISOString(),
      });
      expect(ended.statusCode).toBe(200);
      expect(
        (await request('POST', `/api/console/outages/${id}/end`, technician, { endsAt: local('2026-01-10 08:00').toISOString() }))
          .statusCode,
      ).toBe(409);
      const noReason = await request('POST', `/api/console/outages/${id}/corrections`, technician, { ...facts(), note: '' });
      expect(noReason.statusCode).toBe(400);
      const corrected = await request('POST', `/api/console/outages/${id}/corrections`, technician, {
        ...facts(),
        startsAt: local('2026-01-09 04:00').toISOString(),
        endsAt: local('2026-01-10 08:00').toISOString(),
        note: 'Alarms show the switch failed at 04:00',
        expectedVersion: 2,
      });
      expect(corrected.statusCode).toBe(200);
      const detail = (await request('GET', `/api/console/outages/${id}`, support)).json();
      expect(detail.versions.map((v: { version: number; endsAt: string | null }) => [v.version, v.endsAt])).toEqual([
        [1, null],
        [2, local('2026-01-10 08:00').toISOString()],
        [3, local('2026-01-10 08:00').toISOString()],
      ]);
      expect(detail.versions[2].note).toBe('Alarms show the switch failed at 04:00');
      const audit = await listAudit(service.ctx.db, { action: 'assurance.outage-corrected', limit: 10 });
      expect(audit).toHaveLength(1);
    });

    it('once the job has run, the console lists Wang’s credit and his portal notice shows it, the outage named', async () => {
      service.clock.set(local('2026-01-10 12:00'));
      expect((await service.jobs.runOnce('assurance.outage-credits')).status).toBe('ran');
      support = await signInCookie(service, supportStaff);
      const detail = (await request('GET', `/api/console/outages/${id}`, support)).json();
      expect(detail.credits).toEqual([expect.objectContaining({ subscriberId: wang.id, affectedMinutes: 28 * 60, posted: true })]);
      const notice = (await request('GET', '/api/portal/outages', wang.cookie)).json();
      expect(notice.credits).toEqual([
        expect.objectContaining({ reference: detail.outage.reference, amountFen: detail.credits[0].amountFen }),
      ]);
      expect(notice.credits[0].reason).toContain(detail.outage.reference);
    });
  });
});
