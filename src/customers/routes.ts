import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { pendingTermsChanges, signedAgreementsOf } from '../agreements/index.js';
import { listDevices } from '../calls/index.js';
import { claimsOfSubscriber, unitsOfSubscriber } from '../devices/index.js';
import { disputesOfSubscriber } from '../disputes/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { ProblemError } from '../platform/http/index.js';
import { currentOrder, getMaskedSubscriber } from '../subscribers/index.js';
import { customerHeader, customerOfNumber } from './customer-header.js';

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) => Type.Union([schema, Type.Null()]);
const CustomerParams = Type.Object({ id: Type.String({ format: 'uuid' }) });
const DateTime = Type.String({ format: 'date-time' });

const CustomerHeaderSchema = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
  maskedName: Nullable(Type.String()),
  numbers: Type.Array(Type.String()),
  suspensions: Type.Array(
    Type.Object({
      id: Type.String(),
      cause: Type.String(),
      blocks: Type.String(),
      reason: Type.String(),
      reference: Nullable(Type.String()),
      startedAt: DateTime,
    }),
  ),
});

/**
 * One page per customer (issue #14). The header is the one aggregate; each section below it reads its
 * own API with its own permission, either an owner's existing route (billing account, calls, credit,
 * negotiation cases, audit) or one of these, which only call the owning modules' published functions.
 */
export async function customerRoutes(parent: FastifyInstance, options: { ctx: ServiceContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;

  /** Every section route answers 404 for an id that is no subscriber, so a typo never reads as "none". */
  async function requireCustomer(id: string): Promise<void> {
    if (!(await getMaskedSubscriber(ctx, id))) throw new ProblemError('not-found', 'No such subscriber');
  }

  app.get(
    '/api/console/customers/by-number/:number',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['customers'],
        summary: 'The customer a videophone number is assigned to',
        params: Type.Object({ number: Type.String({ pattern: '^[0-9]{1,20}$' }) }),
        response: { 200: Type.Object({ id: Type.String() }) },
      },
    },
    async (request) => {
      const id = await customerOfNumber(ctx, request.params.number);
      if (!id) throw new ProblemError('not-found', 'No subscriber has this number');
      return { id };
    },
  );

  app.get(
    '/api/console/customers/:id',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['customers'],
        summary: "The customer page's header: name masked, numbers, status and every open suspension with its cause",
        params: CustomerParams,
        response: { 200: CustomerHeaderSchema },
      },
    },
    async (request) => {
      const header = await customerHeader(ctx, request.params.id);
      if (!header) throw new ProblemError('not-found', 'No such subscriber');
      return header;
    },
  );

  app.get(
    '/api/console/customers/:id/service',
    {
      config: { staff: { permission: 'subscribers.read' } },
      schema: {
        tags: ['customers'],
        summary: 'The order and plan version, the devices holding SIP credentials, agreements signed and terms changes awaiting an answer',
        params: CustomerParams,
        response: {
          200: Type.Object({
            order: Nullable(
              Type.Object({
                status: Type.String(),
                planCode: Type.String(),
                planNameZh: Type.String(),
                planNameEn: Type.String(),
                planVersionFrom: DateTime,
                monthlyRentFen: Type.Integer(),
                creditLimitFen: Type.Integer(),
                terminalCode: Nullable(Type.String()),
                orderedAt: DateTime,
              }),
            ),
            devices: Type.Array(
              Type.Object({
                deviceId: Type.String(),
                number: Type.String(),
                name: Type.String(),
                createdAt: DateTime,
                rotatedAt: DateTime,
              }),
            ),
            agreements: Type.Array(
              Type.Object({ id: Type.String(), version: Type.Integer(), language: Type.String(), signedAt: DateTime }),
            ),
            pendingTermsChanges: Type.Array(
              Type.Object({ version: Type.Integer(), summary: Type.String(), notifiedAt: DateTime, lastDayToObject: Type.String() }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const { id } = request.params;
      await requireCustomer(id);
      const order = await currentOrder(ctx, id);
      return {
        order: order && {
          status: order.status,
          planCode: order.plan.code,
          planNameZh: order.plan.nameZh,
          planNameEn: order.plan.nameEn,
          planVersionFrom: order.plan.validFrom.toISOString(),
          monthlyRentFen: order.plan.monthlyRentFen,
          creditLimitFen: order.creditLimitFen,
          terminalCode: order.terminalCode,
          orderedAt: order.createdAt,
        },
        devices: await listDevices(ctx.db, await numbersOfSubscriber(ctx.db, id)),
        agreements: (await signedAgreementsOf(ctx.db, id)).map(({ id: signatureId, version, language, signedAt }) => ({
          id: signatureId,
          version,
          language,
          signedAt,
        })),
        pendingTermsChanges: (await pendingTermsChanges(ctx, id)).map(({ version, summary, notifiedAt, lastDayToObject }) => ({
          version,
          summary,
          notifiedAt,
          lastDayToObject,
        })),
      };
    },
  );

  app.get(
    '/api/console/customers/:id/disputes',
    {
      config: { staff: { permission: 'disputes.handle' } },
      schema: {
        tags: ['customers'],
        summary: "The customer's fee disputes (clause 6), newest first, each with its negotiation case when escalated",
        params: CustomerParams,
        response: {
          200: Type.Object({
            disputes: Type.Array(
              Type.Object({
                id: Type.String(),
                subject: Type.String(),
                amountFen: Type.Integer(),
                status: Type.String(),
                openedAt: DateTime,
                dueOn: Type.String(),
                outcome: Nullable(Type.String()),
                negotiationCaseId: Nullable(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      await requireCustomer(request.params.id);
      const disputes = await disputesOfSubscriber(ctx.db, request.params.id);
      return {
        disputes: disputes.map((d) => ({
          id: d.id,
          subject: d.subject,
          amountFen: d.amountFen,
          status: d.status,
          openedAt: d.openedAt,
          dueOn: d.dueOn,
          outcome: d.outcome,
          negotiationCaseId: d.negotiationCaseId,
        })),
      };
    },
  );

  app.get(
    '/api/console/customers/:id/terminals',
    {
      config: { staff: { permission: 'devices.manage' } },
      schema: {
        tags: ['customers'],
        summary: "The customer's terminals with their warranty, and their warranty claims (clause 4)",
        params: CustomerParams,
        response: {
          200: Type.Object({
            units: Type.Array(
              Type.Object({
                id: Type.String(),
                modelCode: Type.String(),
                serialNumber: Type.String(),
                mac: Type.String(),
                state: Type.String(),
                deliveredAt: Nullable(Type.String()),
                warrantyEndsOn: Nullable(Type.String()),
              }),
            ),
            claims: Type.Array(
              Type.Object({
                id: Type.String(),
                unitSerial: Type.String(),
                cause: Type.String(),
                status: Type.String(),
                filedAt: DateTime,
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      await requireCustomer(request.params.id);
      const units = await unitsOfSubscriber(ctx.db, request.params.id);
      const claims = await claimsOfSubscriber(ctx.db, request.params.id);
      return {
        units: units.map((u) => ({
          id: u.id,
          modelCode: u.modelCode,
          serialNumber: u.serialNumber,
          mac: u.mac,
          state: u.state,
          deliveredAt: u.deliveredAt,
          warrantyEndsOn: u.warrantyEndsOn,
        })),
        claims: claims.map((c) => ({ id: c.id, unitSerial: c.unitSerial, cause: c.cause, status: c.status, filedAt: c.filedAt })),
      };
    },
  );
}
