import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../../platform/context.js';
import { failureToProblem, ProblemError } from '../../platform/http/index.js';
import { requireSubscriber } from '../../portal-auth/index.js';
import { noticeContacts, setNoticeContact } from '../notice-contacts.js';

const Language = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);
const Contact = Type.Object({ email: Type.Union([Type.String(), Type.Null()]), language: Language });

/** Where the subscriber's notices are e-mailed, and the language they are written in. */
export async function portalNoticeContactRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/notice-contact',
    {
      config: { portal: true },
      schema: { tags: ['portal', 'notices'], summary: 'Where my notices are e-mailed, and in which language', response: { 200: Contact } },
    },
    async (request, reply) => {
      const [contact] = await noticeContacts(ctx, [requireSubscriber(request).subscriberId]);
      if (!contact) throw new ProblemError('not-found', 'No such subscriber');
      return reply.header('cache-control', 'no-store').send({ email: contact.email, language: contact.language });
    },
  );
  app.put(
    '/api/portal/notice-contact',
    {
      config: { portal: true },
      schema: {
        tags: ['portal', 'notices'],
        summary: 'Change where my notices are e-mailed (null or empty: none) and their language',
        body: Type.Object(
          { email: Type.Optional(Type.Union([Type.String({ maxLength: 254 }), Type.Null()])), language: Type.Optional(Language) },
          { additionalProperties: false },
        ),
        response: { 200: Contact },
      },
    },
    async (request) => {
      const result = await setNoticeContact(ctx, requireSubscriber(request).subscriberId, {
        ...(request.body.email !== undefined ? { email: request.body.email } : {}),
        ...(request.body.language ? { language: request.body.language } : {}),
      });
      if (!result.ok) throw failureToProblem(result.failure);
      return result.value;
    },
  );
}
