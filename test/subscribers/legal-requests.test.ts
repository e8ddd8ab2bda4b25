import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { demoOrder, demoPerson, portalCookie, uniqueMobile } from '../support/subscribers.js';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';

describe.each(engines)('disclosure to third parties only through a recorded legal request, on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let legal: string;
    let reviewer: string;
    let auditor: string;
    let subscriberId: string;
    let phone: string;

    const request = {
      authority: '福州市公安局鼓楼分局',
      legalBasis: '《中华人民共和国刑事诉讼法》第五十四条',
      documentReference: '榕公鼓调证字〔2026〕第118号',
      fields: ['fullName', 'idNumber'],
      purpose: 'evidence request in a fraud investigation',
    };
    const disclose = (cookie: string, payload: Record<string, unknown>) =>
      service.app.inject({ method: 'POST', url: '/api/console/legal-requests', headers: { cookie }, payload });

    beforeAll(async () => {
      service = await startTestService(engine);
      legal = await signInCookie(service, await addStaff(service, ['legal_officer']));
      reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      auditor = await signInCookie(service, await addStaff(service, ['auditor']));
      await loadDemoCatalogue(service.ctx);
      phone = uniqueMobile();
      const applied = await service.app.inject({
        method: 'POST',
        url: '/api/subscribers/applications',
        payload: { ...demoPerson, contactPhone: phone, ...demoOrder },
      });
      subscriberId = applied.json().id;
    });
    afterAll(() => service?.close());

    it('records the authority, basis and document, one reveal per field, and only then hands over the values', async () => {
      const response = await disclose(legal, { subscriberId, ...request });
      expect(response.statusCode).toBe(201);
      expect(response.headers['cache-control']).toBe('no-store');
      const { request: recorded, values } = response.json();
      expect(values).toEqual({ fullName: demoPerson.fullName, idNumber: demoPerson.idNumber });
      expect(recorded).toMatchObject({
        subscriberId,
        authority: request.authority,
        legalBasis: request.legalBasis,
        documentReference: request.documentReference,
        fields: ['fullName', 'idNumber'],
        staffUsername: expect.stringMatching(/^legal-officer/),
      });

      const reveals = await service.app.inject({
        method: 'GET',
        url: `/api/console/identity-reveals?subscriberId=${subscriberId}`,
        headers: { cookie: auditor },
      });
      expect(
        reveals
          .json()
          .items.map((r: { field: string; purpose: string }) => [r.field, r.purpose])
          .sort(),
      ).toEqual([
        ['fullName', `legal request ${recorded.id}: ${request.purpose}`],
        ['idNumber', `legal request ${recorded.id}: ${request.purpose}`],
      ]);

      // Auditors see the register (never the values).
      const listed = await service.app.inject({ method: 'GET', url: '/api/console/legal-requests', headers: { cookie: auditor } });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items).toEqual([expect.objectContaining({ id: recorded.id, authority: request.authority })]);
      expect(listed.body).not.toContain(demoPerson.idNumber);
      const audit = await service.app.inject({
        method: 'GET',
        url: `/api/console/audit?action=subscriber.legal-request`,
        headers: { cookie: auditor },
      });
      expect(audit.json().items).toEqual([
        expect.objectContaining({
          action: 'subscriber.legal-request.disclose',
          detail: expect.objectContaining({ legalRequestId: recorded.id }),
        }),
      ]);
      expect(audit.body).not.toContain(demoPerson.idNumber);
    });

    it('lists the disclosure in the subscriber’s own-data export', async () => {
      const cookie = await portalCookie(service, phone);
      const data = await service.app.inject({ method: 'GET', url: '/api/portal/my-data', headers: { cookie } });
      expect(data.json().legalDisclosures).toEqual([
        { at: expect.any(String), authority: request.authority, legalBasis: request.legalBasis, fields: ['fullName', 'idNumber'] },
      ]);
    });

    it('refuses a request without an authority or legal basis, naming each missing field', async () => {
      const response = await disclose(legal, { subscriberId, documentReference: 'x-1', fields: ['idNumber'], purpose: request.purpose });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors.map((e: { field: string }) => e.field)).toEqual(['authority', 'legalBasis']);
      const blank = await disclose(legal, { subscriberId, ...request, authority: '  ', fields: [] });
      expect(blank.json().errors.map((e: { field: string }) => e.field)).toEqual(['authority', 'fields']);
      const unknown = await disclose(legal, { subscriberId, ...request, fields: ['passwordHash'] });
      expect(unknown.statusCode).toBe(400);
    });

    it('refuses anyone without legal.orders, even a reviewer who may reveal', async () => {
      expect((await disclose(reviewer, { subscriberId, ...request })).statusCode).toBe(403);
      expect((await disclose(auditor, { subscriberId, ...request })).statusCode).toBe(403);
    });

    it('keeps the register append-only', async () => {
      await expect(sql`update legal_requests set authority = 'nobody'`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from legal_requests`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      const count = await sql<{ n: string }>`select count(*)::text as n from legal_requests`.execute(service.ctx.db);
      expect(count.rows[0]!.n).toBe('1');
    });
  });
});
