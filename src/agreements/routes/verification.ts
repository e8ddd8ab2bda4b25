import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { ProblemError } from '../../platform/http/index.js';
import { verifyAgreementDocument } from '../agreement-pdf.js';
import type { OperatorSeal } from '../seal.js';

/** A signed agreement PDF holds its text, a subset of the CJK font and the JSON copy: well under this. */
const maxDocumentBytes = 8 * 1024 * 1024;

/**
 * Anyone holding a signed agreement (the subscriber, a court, an arbitrator) checks it here without an
 * account (clause 17): this plug-in's scope reads PDF and JSON bodies as raw bytes, because the bytes
 * are what is checked.
 */
export async function agreementVerificationRoutes(scope: FastifyInstance, options: { seal: OperatorSeal }): Promise<void> {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser(['application/pdf', 'application/json'], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
  scope.withTypeProvider<TypeBoxTypeProvider>().post(
    '/api/agreements/verifications',
    {
      bodyLimit: maxDocumentBytes,
      config: { rateLimit: { max: 30, timeWindow: 60_000 } },
      schema: {
        tags: ['agreements'],
        summary:
          'Check a signed agreement, as the PDF or the JSON copy: the text’s SHA-256, the operator’s seal, and that a PDF was not altered (clause 17)',
        response: {
          200: Type.Object({
            valid: Type.Boolean(),
            format: Type.Union([Type.Literal('pdf'), Type.Literal('json'), Type.Literal('unknown')]),
            reason: Type.Union([
              Type.Null(),
              Type.Literal('unreadable'),
              Type.Literal('no-signed-copy'),
              Type.Literal('text-or-seal-invalid'),
              Type.Literal('unknown-seal'),
              Type.Literal('pdf-altered'),
            ]),
            signature: Type.Union([
              Type.Null(),
              Type.Object({
                id: Type.String(),
                version: Type.Integer(),
                language: Type.String(),
                signedAt: Type.String(),
                operatorKeyId: Type.String(),
              }),
            ]),
          }),
        },
      },
    },
    async (request) => {
      if (!Buffer.isBuffer(request.body) || request.body.length === 0) {
        throw new ProblemError('invalid-request', 'Send the signed agreement as application/pdf or application/json');
      }
      const check = await verifyAgreementDocument(request.body, [options.seal.keyId]);
      if (!check.valid) return { valid: false, format: check.format, reason: check.reason, signature: null };
      const { id, version, language, signedAt, operatorKeyId } = check.signature;
      return { valid: true, format: check.format, reason: null, signature: { id, version, language, signedAt, operatorKeyId } };
    },
  );
}
