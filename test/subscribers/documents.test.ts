import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectContentType } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { applyAsOrganisation, portalCookie, uniqueContactPhone } from '../support/subscribers.js';

/** A real 1×1 transparent PNG. */
const png = Buffer.from(
  '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002000001e221bc330000000049454e44ae426082',
  'hex',
);
/** The smallest JPEG header a viewer recognises, enough for the magic-byte check. */
const jpeg = Buffer.concat([
  Buffer.from('ffd8ffe000104a46494600010100000100010000', 'hex'),
  Buffer.alloc(64, 0x11),
  Buffer.from('ffd9', 'hex'),
]);
/** A minimal PDF carrying a recognisable text. */
const pdfText = 'LICENCE-NO-91350100M000100Y43-SECRET';
const pdf = Buffer.from(
  `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
    `3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]/Contents 4 0 R>>endobj\n` +
    `4 0 obj<</Length 44>>stream\nBT /F1 12 Tf 10 100 Td (${pdfText}) Tj ET\nendstream endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
  'latin1',
);

describe('document checks by magic bytes', () => {
  it('knows JPEG, PNG and PDF by their first bytes, and nothing else', () => {
    expect(detectContentType(png)).toBe('image/png');
    expect(detectContentType(jpeg)).toBe('image/jpeg');
    expect(detectContentType(pdf)).toBe('application/pdf');
    expect(detectContentType(Buffer.from('MZ\x90\x00', 'latin1'))).toBeNull();
    expect(detectContentType(Buffer.from('<html><script>alert(1)</script></html>'))).toBeNull();
    expect(detectContentType(Buffer.from([0xff, 0xd8]))).toBeNull();
  });
});

describe.each(engines)('documents asked for during verification on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let reviewer: string;
    let support: string;
    let auditor: string;

    beforeAll(async () => {
      service = await startTestService(engine);
      reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      support = await signInCookie(service, await addStaff(service, ['support_agent']));
      auditor = await signInCookie(service, await addStaff(service, ['auditor']));
    });
    afterAll(() => service?.close());

    /** An organisation applies, signs in to the portal, and (optionally) a reviewer asks for its licence. */
    async function applicant(name: string, askForDocuments = true) {
      const phone = uniqueContactPhone();
      const id = await applyAsOrganisation(service, name, phone);
      if (askForDocuments) {
        const asked = await service.app.inject({
          method: 'POST',
          url: `/api/console/subscribers/${id}/verification`,
          headers: { cookie: reviewer },
          payload: { decision: 'request-documents', reason: '请上传营业执照副本' },
        });
        expect(asked.statusCode).toBe(200);
      }
      return { id, cookie: await portalCookie(service, phone) };
    }
    const upload = (cookie: string, kind: string, contentType: string, body: Buffer | string) =>
      service.app.inject({
        method: 'PUT',
        url: `/api/portal/documents/${kind}`,
        headers: { cookie, 'content-type': contentType },
        payload: body,
      });

    it('tells the applicant why documents are wanted', async () => {
      const { cookie } = await applicant('原因可见有限公司');
      const response = await service.app.inject({ method: 'GET', url: '/api/portal/verification', headers: { cookie } });
      expect(response.json()).toMatchObject({ status: 'documents_requested', decision: 'request-documents', reason: '请上传营业执照副本' });
    });

    it('accepts a PDF licence, a PNG and a JPEG; the application returns to the queue showing documents arrived', async () => {
      const { id, cookie } = await applicant('资料齐全有限公司');
      const licence = await upload(cookie, 'business-licence', 'application/pdf', pdf);
      expect(licence.statusCode).toBe(201);
      expect(licence.json()).toMatchObject({
        kind: 'business-licence',
        contentType: 'application/pdf',
        sizeBytes: pdf.length,
        status: 'applied',
      });
      expect(licence.json().sha256).toMatch(/^[0-9a-f]{64}$/);
      // More pages of the same request are welcome while the reviewer has not decided.
      expect((await upload(cookie, 'other', 'image/png', png)).statusCode).toBe(201);
      expect((await upload(cookie, 'other', 'image/jpeg; charset=binary', jpeg)).statusCode).toBe(201);

      const mine = await service.app.inject({ method: 'GET', url: '/api/portal/documents', headers: { cookie } });
      expect(
        mine
          .json()
          .items.map((d: { contentType: string }) => d.contentType)
          .sort(),
      ).toEqual(['application/pdf', 'image/jpeg', 'image/png']);
      expect(mine.body).not.toContain(pdfText);

      const queue = await service.app.inject({ method: 'GET', url: '/api/console/verification-queue', headers: { cookie: reviewer } });
      expect(queue.json().items.find((item: { id: string }) => item.id === id)).toMatchObject({
        status: 'applied',
        documentsReceivedAt: expect.any(String),
      });
      const listed = await service.app.inject({
        method: 'GET',
        url: `/api/console/subscribers/${id}/documents`,
        headers: { cookie: support },
      });
      expect(listed.statusCode).toBe(200);
      expect(listed.json().items).toHaveLength(3);
    });

    it('stores documents sealed: the raw table holds neither the PDF text nor the PNG bytes', async () => {
      const raw = await sql<{ row: string }>`select row_to_json(subscriber_documents)::text as row from subscriber_documents`.execute(
        service.ctx.db,
      );
      const text = raw.rows.map((r) => r.row).join('\n');
      expect(raw.rows.length).toBeGreaterThanOrEqual(3);
      expect(text).not.toContain(pdfText);
      expect(text).not.toContain('%PDF');
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(text).not.toContain(pdf.subarray(0, 48).toString(encoding));
        expect(text).not.toContain(png.subarray(16, 40).toString(encoding));
      }
      expect(text).toMatch(/"sealed": ?"v1\.test\./);
    });

    it('refuses an executable or a web page sent as an image, whatever the header says', async () => {
      const { cookie } = await applicant('伪装文件有限公司');
      const exe = await upload(cookie, 'id-front', 'image/png', Buffer.concat([Buffer.from('MZ', 'latin1'), Buffer.alloc(200)]));
      expect(exe.statusCode).toBe(415);
      expect(exe.headers['content-type']).toContain('application/problem+json');
      expect((await upload(cookie, 'id-front', 'image/jpeg', '<html><script>alert(1)</script></html>')).statusCode).toBe(415);
      // A real PNG declared as a PDF is refused too: the declared type must be the real one.
      expect((await upload(cookie, 'id-front', 'application/pdf', png)).statusCode).toBe(415);
      expect((await upload(cookie, 'id-front', 'text/html', '<html></html>')).statusCode).toBe(415);
    });

    it('takes a scan of 4 MiB (above the API’s 1 MiB JSON limit) but refuses one over 5 MiB, and an empty body', async () => {
      const { cookie } = await applicant('超大文件有限公司');
      const scan = Buffer.alloc(4 * 1024 * 1024, 0x20);
      png.copy(scan);
      expect((await upload(cookie, 'id-front', 'image/png', scan)).statusCode).toBe(201);
      const big = Buffer.alloc(6 * 1024 * 1024, 0x20);
      png.copy(big);
      const tooLarge = await upload(cookie, 'id-front', 'image/png', big);
      expect(tooLarge.statusCode).toBe(413);
      expect(tooLarge.json().code).toBe('payload-too-large');
      const empty = await upload(cookie, 'id-front', 'image/png', Buffer.alloc(0));
      expect(empty.statusCode).toBe(400);
    });

    it('refuses an upload nobody asked for', async () => {
      const { cookie } = await applicant('未被要求有限公司', false);
      const response = await upload(cookie, 'business-licence', 'application/pdf', pdf);
      expect(response.statusCode).toBe(409);
      expect((await upload('vp_portal=nobody', 'business-licence', 'application/pdf', pdf)).statusCode).toBe(401);
    });

    it('shows a document only to a reviewer with identity.reveal who states why, recording the view first', async () => {
      const { id, cookie } = await applicant('查看记录有限公司');
      const uploaded = (await upload(cookie, 'business-licence', 'application/pdf', pdf)).json();
      const url = `/api/console/subscribers/${id}/documents/${uploaded.id}/view`;

      const forbidden = await service.app.inject({
        method: 'POST',
        url,
        headers: { cookie: support },
        payload: { purpose: 'comparing the licence with the application' },
      });
      expect(forbidden.statusCode).toBe(403);
      const noPurpose = await service.app.inject({ method: 'POST', url, headers: { cookie: reviewer }, payload: { purpose: 'look' } });
      expect(noPurpose.statusCode).toBe(400);

      const viewed = await service.app.inject({
        method: 'POST',
        url,
        headers: { cookie: reviewer },
        payload: { purpose: 'comparing the licence with the application' },
      });
      expect(viewed.statusCode).toBe(200);
      expect(viewed.headers['content-type']).toBe('application/pdf');
      expect(viewed.headers['cache-control']).toBe('no-store');
      expect(viewed.rawPayload.equals(pdf)).toBe(true);

      const reveals = await service.app.inject({
        method: 'GET',
        url: `/api/console/identity-reveals?subscriberId=${id}`,
        headers: { cookie: auditor },
      });
      expect(reveals.json().items).toEqual([
        expect.objectContaining({ field: 'document:business-licence', purpose: 'comparing the licence with the application' }),
      ]);
      const audit = await service.app.inject({
        method: 'GET',
        url: `/api/console/audit?targetType=subscriber&targetId=${id}&action=subscriber.document`,
        headers: { cookie: auditor },
      });
      expect(audit.json().items.map((a: { action: string }) => a.action)).toEqual([
        'subscriber.document.view',
        'subscriber.document.upload',
      ]);
      expect(audit.body).not.toContain(pdfText);
    });

    it('answers 404 for a document of another subscriber', async () => {
      const first = await applicant('第一文件有限公司');
      const second = await applicant('第二文件有限公司');
      const uploaded = (await upload(first.cookie, 'business-licence', 'application/pdf', pdf)).json();
      const response = await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${second.id}/documents/${uploaded.id}/view`,
        headers: { cookie: reviewer },
        payload: { purpose: 'comparing the licence with the application' },
      });
      expect(response.statusCode).toBe(404);
    });
  });
});
