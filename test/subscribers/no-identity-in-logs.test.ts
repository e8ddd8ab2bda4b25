import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { createLogger } from '../../src/platform/logging.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { demoOrder, demoPerson, portalCookie, uniqueMobile } from '../support/subscribers.js';

/**
 * "No identity value appears in logs" (clause 1), checked on the production logger with its
 * redaction, at the most talkative level, over a whole story: apply (once wrongly), sign in,
 * documents asked for and uploaded, reveals, a document viewed, a legal disclosure, the own-data export.
 */
describe.each(engines)('logs on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    const lines: string[] = [];
    let service: TestService;
    const person = { ...demoPerson, fullName: '欧阳明华', address: '福建省福州市鼓楼区五四路158号', employer: '闽江示例软件有限公司' };
    const phone = uniqueMobile();
    const nationalPhone = phone.replace('+86', '');

    beforeAll(async () => {
      service = await startTestService(engine, {
        logger: createLogger('trace', { destination: { write: (line: string) => void lines.push(line) } }),
      });
      await loadDemoCatalogue(service.ctx);
    });
    afterAll(() => service?.close());

    it('never contain a name, ID number, phone number, address or document content, whatever happens', async () => {
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      const legal = await signInCookie(service, await addStaff(service, ['legal_officer']));
      const inject = service.app.inject.bind(service.app);

      // A mistyped application (wrong check character) is refused: its values must not be logged either.
      const wrong = await inject({
        method: 'POST',
        url: '/api/subscribers/applications',
        payload: { ...person, idNumber: '110105194912310021', contactPhone: phone, ...demoOrder },
      });
      expect(wrong.statusCode).toBe(400);
      const applied = await inject({
        method: 'POST',
        url: '/api/subscribers/applications',
        payload: { ...person, contactPhone: phone, ...demoOrder },
      });
      expect(applied.statusCode).toBe(201);
      const id = applied.json().id as string;

      expect(
        (await inject({ method: 'POST', url: '/api/portal/sign-in', payload: { login: phone, password: 'wrong password' } })).statusCode,
      ).toBe(401);
      const cookie = await portalCookie(service, phone);
      await inject({
        method: 'POST',
        url: `/api/console/subscribers/${id}/verification`,
        headers: { cookie: reviewer },
        payload: { decision: 'request-documents', reason: 'please upload both sides of the ID card' },
      });
      const pdf = Buffer.from(`%PDF-1.4\n(${person.fullName} ${person.idNumber})\n%%EOF\n`, 'utf8');
      const uploaded = await inject({
        method: 'PUT',
        url: '/api/portal/documents/id-front',
        headers: { cookie, 'content-type': 'application/pdf' },
        payload: pdf,
      });
      expect(uploaded.statusCode).toBe(201);
      for (const field of ['fullName', 'idNumber', 'contactPhone', 'address']) {
        const revealed = await inject({
          method: 'POST',
          url: `/api/console/subscribers/${id}/reveal`,
          headers: { cookie: reviewer },
          payload: { field, purpose: 'comparing with the uploaded ID copy' },
        });
        expect(revealed.statusCode).toBe(200);
      }
      const viewed = await inject({
        method: 'POST',
        url: `/api/console/subscribers/${id}/documents/${uploaded.json().id}/view`,
        headers: { cookie: reviewer },
        payload: { purpose: 'comparing with the application form' },
      });
      expect(viewed.statusCode).toBe(200);
      const disclosed = await inject({
        method: 'POST',
        url: '/api/console/legal-requests',
        headers: { cookie: legal },
        payload: {
          subscriberId: id,
          authority: 'Fuzhou Public Security Bureau',
          legalBasis: 'Criminal Procedure Law art. 54',
          documentReference: 'FZ-2026-118',
          fields: ['fullName', 'idNumber', 'contactPhone', 'address', 'birthDate'],
          purpose: 'evidence request in a fraud investigation',
        },
      });
      expect(disclosed.statusCode).toBe(201);
      expect((await inject({ method: 'GET', url: '/api/portal/my-data', headers: { cookie } })).statusCode).toBe(200);
      await service.jobs.runOnce('notices.deliver'); // events are turned into notices and sent (and could be logged) too

      const text = lines.join('');
      expect(text).toContain('incoming request'); // the logger did capture the story
      for (const value of [
        person.fullName,
        person.idNumber,
        '110105194912310021',
        phone,
        nationalPhone,
        person.address,
        person.employer,
        demoOrder.password,
      ]) {
        expect(text).not.toContain(value);
        expect(text).not.toContain(JSON.stringify(value).slice(1, -1)); // as JSON escapes it
      }
    });
  });
});

describe('the production logger', () => {
  it('censors identity fields by name wherever an object holding them is logged', () => {
    const lines: string[] = [];
    const logger = createLogger('trace', { destination: { write: (line: string) => void lines.push(line) } });
    logger.debug({ application: { ...demoPerson, contactPhone: '+8613800138000', login: '+8613800138000' } }, 'an application');
    const text = lines.join('');
    for (const value of [demoPerson.fullName, demoPerson.idNumber, demoPerson.employer, '13800138000', '1949-12-31']) {
      expect(text).not.toContain(value);
    }
    expect(text).toContain('[redacted]');
  });
});
