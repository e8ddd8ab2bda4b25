import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  agreementParameters,
  generateOperatorSeal,
  renderAgreement,
  signAgreement,
  verifySignedCopy,
  type OperatorSeal,
  type SignedCopy,
} from '../../src/agreements/index.js';
import { sha256Hex } from '../../src/agreements/seal.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { applyAsOrganisation } from '../support/subscribers.js';

const order = { planName: '家庭视频 30', monthlyRentFen: 30_00, creditLimitFen: 200_00 };

describe.each(engines)('signing the agreement (clause 17) on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let reviewer: string;
    let support: string;
    let seal: OperatorSeal;

    beforeAll(async () => {
      service = await startTestService(engine);
      reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      support = await signInCookie(service, await addStaff(service, ['support_agent']));
      seal = generateOperatorSeal();
    });
    afterAll(() => service?.close());

    async function applicant(name: string): Promise<string> {
      const id = await applyAsOrganisation(service, name);
      return id;
    }
    async function approved(name: string): Promise<string> {
      const id = await applicant(name);
      const decision = await service.app.inject({
        method: 'POST',
        url: `/api/console/subscribers/${id}/verification`,
        headers: { cookie: reviewer },
        payload: { decision: 'approve' },
      });
      expect(decision.json().status).toBe('approved');
      return id;
    }
    const sign = (subscriberId: string, language: 'zh-CN' | 'en' = 'zh-CN') =>
      signAgreement(
        service.ctx,
        {
          subscriberId,
          language,
          parameters: agreementParameters(service.ctx.settings, order),
          ip: '203.0.113.7',
          userAgent: 'Videophone portal test',
        },
        seal,
      );
    async function signedCopyOf(subscriberId: string): Promise<SignedCopy> {
      const result = await sign(subscriberId);
      if (!result.ok) throw new Error(result.failure.message);
      const response = await service.app.inject({
        method: 'GET',
        url: `/api/console/agreement-signatures/${result.value.signature.id}`,
        headers: { cookie: support },
      });
      expect(response.statusCode).toBe(200);
      return response.json();
    }

    it('publishes the current text with the operator’s terms and a placeholder for the order', async () => {
      const response = await service.app.inject({ method: 'GET', url: '/api/agreements/current?lang=en' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toMatchObject({ version: 1, language: 'en' });
      expect(response.json().text).toBe(renderAgreement(1, 'en', agreementParameters(service.ctx.settings, null)));
      expect(response.json().text).toContain(service.ctx.settings.arbitrationBody);
      const chinese = await service.app.inject({ method: 'GET', url: '/api/agreements/current' });
      expect(chinese.json().text).toContain('第十八条');
    });

    it('an approved subscriber signs: the hash of the exact text and the operator’s seal are stored and audited', async () => {
      const id = await approved('签约有限公司');
      service.clock.advance({ minutes: 5 });
      const result = await sign(id, 'en');
      if (!result.ok) throw new Error(result.failure.message);
      const expectedText = renderAgreement(1, 'en', agreementParameters(service.ctx.settings, order));
      const row = await service.ctx.db
        .selectFrom('agreement_signatures')
        .selectAll()
        .where('id', '=', result.value.signature.id)
        .executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        subscriber_id: id,
        version: 1,
        language: 'en',
        text: expectedText,
        text_sha256: sha256Hex(expectedText),
        ip: '203.0.113.7',
        user_agent: 'Videophone portal test',
        operator_key_id: seal.keyId,
      });
      expect(row.signed_at.toISOString()).toBe(service.clock.now().toISOString());
      expect(Buffer.from(row.operator_signature, 'base64')).toHaveLength(64);
      const audit = await service.ctx.db
        .selectFrom('audit_log')
        .select(['action', 'actor_type', 'actor_id', 'target_id'])
        .where('action', '=', 'agreement.sign')
        .where('target_id', '=', row.id)
        .executeTakeFirstOrThrow();
      expect(audit).toEqual({ action: 'agreement.sign', actor_type: 'subscriber', actor_id: id, target_id: row.id });
    });

    it('refuses a subscriber who has only applied, and stores nothing', async () => {
      const id = await applicant('未审核有限公司');
      const result = await sign(id);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.failure).toMatchObject({ kind: 'conflict', code: 'conflict' });
      const rows = await service.ctx.db.selectFrom('agreement_signatures').select('id').where('subscriber_id', '=', id).execute();
      expect(rows).toEqual([]);
    });

    it('gives staff a signed copy that verifies on its own', async () => {
      const copy = await signedCopyOf(await approved('副本有限公司'));
      expect(copy.operatorPublicKey).toBe(seal.publicKeyPem);
      expect(verifySignedCopy(copy)).toBe(true);
    });

    it('fails verification when one byte of the text changes', async () => {
      const copy = await signedCopyOf(await approved('改字有限公司'));
      const bytes = Buffer.from(copy.text, 'utf8');
      bytes[bytes.length - 2] = (bytes[bytes.length - 2] ?? 0) ^ 0x01;
      expect(verifySignedCopy({ ...copy, text: bytes.toString('utf8') })).toBe(false);
    });

    it('fails verification when the signing time or another signed field changes', async () => {
      const copy = await signedCopyOf(await approved('改时有限公司'));
      const later = new Date(Date.parse(copy.signature.signedAt) + 1000).toISOString();
      expect(verifySignedCopy({ ...copy, signature: { ...copy.signature, signedAt: later } })).toBe(false);
      expect(verifySignedCopy({ ...copy, signature: { ...copy.signature, version: 2 } })).toBe(false);
      expect(verifySignedCopy({ ...copy, signature: { ...copy.signature, language: 'en' } })).toBe(false);
      const other = generateOperatorSeal();
      expect(verifySignedCopy({ ...copy, operatorPublicKey: other.publicKeyPem })).toBe(false);
    });

    it('answers 404 for a signed copy that does not exist', async () => {
      const response = await service.app.inject({
        method: 'GET',
        url: '/api/console/agreement-signatures/00000000-0000-4000-8000-000000000000',
        headers: { cookie: support },
      });
      expect(response.statusCode).toBe(404);
    });

    it('keeps signatures append-only: UPDATE and DELETE are refused', async () => {
      const copy = await signedCopyOf(await approved('不可改有限公司'));
      await expect(
        sql`update agreement_signatures set ip = '198.51.100.1' where id = ${copy.signature.id}`.execute(service.ctx.db),
      ).rejects.toThrow(/append-only/);
      await expect(sql`delete from agreement_signatures where id = ${copy.signature.id}`.execute(service.ctx.db)).rejects.toThrow(
        /append-only/,
      );
      const row = await service.ctx.db
        .selectFrom('agreement_signatures')
        .select('ip')
        .where('id', '=', copy.signature.id)
        .executeTakeFirstOrThrow();
      expect(row.ip).toBe('203.0.113.7');
    });
  });
});
