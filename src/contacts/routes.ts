import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import type { ServiceContext } from '../platform/context.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import { requireSubscriber } from '../portal-auth/index.js';
import { addContact, deleteContact, listContacts, updateContact, type Contact } from './contacts.js';

const Name = Type.String({ minLength: 1, maxLength: 60, pattern: '\\S' });
const NumberField = Type.String({ pattern: '^[0-9]{3,15}$' });

const ContactSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  number: Type.String(),
  favourite: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

function view(contact: Contact) {
  return { ...contact, createdAt: contact.createdAt.toISOString(), updatedAt: contact.updatedAt.toISOString() };
}

/** The signed-in subscriber's softphone contacts; every query is scoped to that subscriber. */
export async function contactRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  app.get(
    '/api/portal/contacts',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: "The signed-in subscriber's contacts, favourites first",
        response: { 200: Type.Object({ contacts: Type.Array(ContactSchema) }) },
      },
    },
    async (request) => ({ contacts: (await listContacts(ctx.db, requireSubscriber(request).subscriberId)).map(view) }),
  );

  app.post(
    '/api/portal/contacts',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: 'Adds a contact; a number already in the contacts is a 409',
        body: Type.Object({ name: Name, number: NumberField, favourite: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: ContactSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const { name, number, favourite } = request.body;
      const result = await addContact(ctx.db, subscriberId, { name: name.trim(), number, favourite: favourite ?? false }, ctx.clock.now());
      if (!result.ok) throw failureToProblem(result.failure);
      return reply.status(201).send(view(result.value));
    },
  );

  app.patch(
    '/api/portal/contacts/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['portal'],
        summary: "Changes a contact's name, number or favourite mark",
        params: IdParams,
        body: Type.Object(
          { name: Type.Optional(Name), number: Type.Optional(NumberField), favourite: Type.Optional(Type.Boolean()) },
          { additionalProperties: false, minProperties: 1 },
        ),
        response: { 200: ContactSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const { name, ...rest } = request.body;
      const patch = name === undefined ? rest : { ...rest, name: name.trim() };
      const result = await updateContact(ctx.db, subscriberId, request.params.id, patch, ctx.clock.now());
      if (!result.ok) throw failureToProblem(result.failure);
      return view(result.value);
    },
  );

  app.delete(
    '/api/portal/contacts/:id',
    {
      config: { portal: true },
      schema: { tags: ['portal'], summary: 'Removes a contact', params: IdParams, response: { 204: Type.Null() } },
    },
    async (request, reply) => {
      if (!(await deleteContact(ctx.db, requireSubscriber(request).subscriberId, request.params.id)))
        throw new ProblemError('not-found', `No contact ${request.params.id}`);
      return reply.status(204).send(null);
    },
  );
}
