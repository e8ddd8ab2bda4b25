import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem } from '../platform/http/index.js';
import { requireStaff } from '../staff/index.js';
import {
  documentContentTypes,
  documentKinds,
  listDocuments,
  maxDocumentBytes,
  uploadDocument,
  verificationStatusOf,
  viewDocument,
} from './documents.js';
import { minimumPurposeLength } from './identity.js';
import { requireSubscriber, subscriberActor } from '../portal-auth/index.js';

const DocumentSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  contentType: Type.String(),
  sizeBytes: Type.Integer(),
  sha256: Type.String(),
  uploadedAt: Type.String(),
});
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);

const extensions: Record<string, string> = { 'image/jpeg': '.jpg', 'image/png': '.png', 'application/pdf': '.pdf' };

/**
 * Documents asked for during verification (clause 1): the applicant uploads them in the portal, a
 * reviewer lists them and views one with a stated purpose. Registered as its own plugin so the raw
 * body parsers for images and PDF apply to these routes only.
 */
export async function documentRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  // The body arrives as bytes; what it really is gets decided by its magic bytes, not this header.
  app.addContentTypeParser([...documentContentTypes], { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  app.put(
    '/api/portal/documents/:kind',
    {
      config: { portal: true },
      bodyLimit: maxDocumentBytes,
      schema: {
        tags: ['portal'],
        summary: `Upload a copy of an ID or licence that was asked for: the raw file as the body (JPEG, PNG or PDF, at most ${maxDocumentBytes / 1024 / 1024} MiB)`,
        params: Type.Object({ kind: Type.Union(documentKinds.map((kind) => Type.Literal(kind))) }),
        response: { 201: Type.Object({ ...DocumentSchema.properties, status: Type.String() }) },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const content = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
      const result = await uploadDocument(
        ctx,
        {
          subscriberId,
          kind: request.params.kind,
          declaredContentType: request.headers['content-type'] ?? '',
          content,
        },
        subscriberActor(request),
      );
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(result.value);
    },
  );

  app.get(
    '/api/portal/documents',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'The documents the subscriber has uploaded (metadata only)',
        response: { 200: Type.Object({ items: Type.Array(DocumentSchema) }) },
      },
    },
    async (request) => ({ items: await listDocuments(ctx, requireSubscriber(request).subscriberId) }),
  );

  app.get(
    '/api/portal/verification',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Where the application stands, and the reason the reviewer gave for the latest decision',
        response: {
          200: Type.Object({
            status: Type.String(),
            decision: Nullable(Type.String()),
            reason: Nullable(Type.String()),
            decidedAt: Nullable(Type.String()),
          }),
        },
      },
    },
    async (request) => verificationStatusOf(ctx, requireSubscriber(request).subscriberId),
  );

  app.get(
    '/api/console/subscribers/:id/documents',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['subscribers'],
        summary: 'Documents on file for a subscriber (metadata only)',
        params: Type.Object({ id: Type.String({ format: 'uuid' }) }),
        response: { 200: Type.Object({ items: Type.Array(DocumentSchema) }) },
      },
    },
    async (request) => ({ items: await listDocuments(ctx, request.params.id) }),
  );

  app.post(
    '/api/console/subscribers/:id/documents/:documentId/view',
    {
      config: { staff: { permission: 'identity.reveal' } },
      schema: {
        tags: ['subscribers'],
        summary: `View a document's content, stating why (at least ${minimumPurposeLength} characters); the view is recorded first`,
        params: Type.Object({ id: Type.String({ format: 'uuid' }), documentId: Type.String({ format: 'uuid' }) }),
        body: Type.Object({ purpose: Type.String({ maxLength: 500 }) }, { additionalProperties: false }),
      },
    },
    async (request, reply) => {
      const staff = requireStaff(request);
      const result = await viewDocument(ctx, {
        subscriberId: request.params.id,
        documentId: request.params.documentId,
        purpose: request.body.purpose,
        staff: { id: staff.id, username: staff.username },
        ip: request.ip,
      });
      if (!result.ok) throw failureToProblem(result.failure);
      const { kind, contentType, content } = result.value;
      return reply
        .type(contentType)
        .header('cache-control', 'no-store')
        .header('content-disposition', `inline; filename="${kind}${extensions[contentType] ?? ''}"`)
        .send(content);
    },
  );
}
