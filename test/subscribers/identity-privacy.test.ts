import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSubscriberWithIdentity, maskIdentityValue } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

const zhang = {
  fullName: '张伟民',
  birthDate: '1949-12-31',
  address: '北京市朝阳区建国路88号',
  idType: 'prc_resident_id',
  idNumber: '11010519491231002X',
  employer: '示例科技有限公司',
  contactPhone: '+8613800138000',
};

describe.each(engines)('identity data and its privacy on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let subscriberId: string;
    let reviewerCookie: string;
    let supportCookie: string;
    let auditorCookie: string;

    beforeAll(async () => {
      service = await startTestService(engine);
      const result = await createSubscriberWithIdentity(
        service.ctx,
        { kind: 'individual', identity: zhang, idType: zhang.idType, idNumber: zhang.idNumber },
        { type: 'anonymous', id: null, name: null },
      );
      if (!result.ok) throw new Error(result.failure.message);
      subscriberId = result.value.id;
      reviewerCookie = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      supportCookie = await signInCookie(service, await addStaff(service, ['support_agent']));
      auditorCookie = await signInCookie(service, await addStaff(service, ['auditor']));
    });
    afterAll(() => service?.close());

    it('stores no identity value in clear: the raw table holds only sealed values', async () => {
      const raw = await sql<{ row: string }>`select row_to_json(subscriber_identities)::text as row from subscriber_identities`.execute(
        service.ctx.db,
      );
      const text = raw.rows.map((r) => r.row).join('\n');
      for (const value of [zhang.idNumber, '110105', zhang.fullName, zhang.address, zhang.contactPhone, '13800138000', zhang.employer]) {
        expect(text).not.toContain(value);
      }
      expect(text).toMatch(/"idNumber": ?"v1\.test\./);
    });

    it('shows identity masked by default, to anyone who may read subscribers', async () => {
      const response = await service.app.inject({
        method: 'GET',
        url: `/api/console/subscribers/${subscriberId}`,
        headers: { cookie: supportCookie },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json().identity).toEqual({
        fullName: '张**',
        birthDate: '1949-**-**',
        address: '北京市朝********',
        idType: 'prc_resident_id',
        idNumber: '1101**********002X',
        employer: '示例科技有限公司'.slice(0, 2) + '******',
        contactPhone: '+86*******8000',
      });
      expect(response.body).not.toContain(zhang.idNumber);
    });

    it('refuses a reveal to a role without identity.reveal', async () => {
      const response = await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${subscriberId}/reveal`,
        headers: { cookie: supportCookie },
        payload: { field: 'idNumber', purpose: 'checking the customer on the phone' },
      });
      expect(response.statusCode).toBe(403);
    });

    it('refuses a reveal without a stated purpose', async () => {
      const response = await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${subscriberId}/reveal`,
        headers: { cookie: reviewerCookie },
        payload: { field: 'idNumber', purpose: 'because' },
      });
      expect(response.statusCode).toBe(400);
      expect(response.json().errors).toEqual([expect.objectContaining({ field: 'purpose', message: 'required' })]);
    });

    it('reveals one field to a reviewer who states why, uncached, and records who saw what for the auditor', async () => {
      const response = await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${subscriberId}/reveal`,
        headers: { cookie: reviewerCookie },
        payload: { field: 'idNumber', purpose: 'comparing with the uploaded ID copy' },
      });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ field: 'idNumber', value: zhang.idNumber });
      expect(response.headers['cache-control']).toBe('no-store');

      const reveals = await service.app.inject({
        method: 'GET',
        url: `/api/console/identity-reveals?subscriberId=${subscriberId}`,
        headers: { cookie: auditorCookie },
      });
      expect(reveals.json().items).toEqual([
        expect.objectContaining({
          subscriberId,
          field: 'idNumber',
          purpose: 'comparing with the uploaded ID copy',
          staffUsername: expect.stringMatching(/^verification-reviewer/),
        }),
      ]);
      // The audit trail records the reveal but never the value.
      const audit = await service.app.inject({
        method: 'GET',
        url: '/api/console/audit?action=subscriber.identity.reveal',
        headers: { cookie: auditorCookie },
      });
      expect(audit.json().items).toHaveLength(1);
      expect(audit.body).not.toContain(zhang.idNumber);
    });

    it('keeps the record of reveals append-only', async () => {
      await expect(sql`update identity_reveals set purpose = 'nothing to see'`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from identity_reveals`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
    });

    it('notices a second application with the same ID number without storing the number', async () => {
      const again = await createSubscriberWithIdentity(
        service.ctx,
        { kind: 'individual', identity: zhang, idType: zhang.idType, idNumber: zhang.idNumber },
        { type: 'anonymous', id: null, name: null },
      );
      expect(again.ok && again.value.duplicateIdNumber).toBe(true);
    });
  });
});

describe('masks', () => {
  it('keep what recognises a value and hide what could be misused', () => {
    expect(maskIdentityValue('idNumber', '11010519491231002X')).toBe('1101**********002X');
    expect(maskIdentityValue('creditCode', '91350100M000100Y43')).toBe('9135**********0Y43');
    expect(maskIdentityValue('contactPhone', '13800138000')).toBe('138****8000');
    expect(maskIdentityValue('fullName', 'Li')).toBe('L*');
    expect(maskIdentityValue('birthDate', '1990-05-17')).toBe('1990-**-**');
  });
});
