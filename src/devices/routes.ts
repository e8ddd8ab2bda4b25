import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type, { type Static } from 'typebox';
import type { BillingContext } from '../billing/index.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import type { Result } from '../platform/result.js';
import type { Actor } from '../audit/index.js';
import { requireSubscriber, subscriberActor } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import { currentOrder } from '../subscribers/index.js';
import {
  answerQuote,
  assessClaim,
  claimPhoto,
  claimQueue,
  claimsOfSubscriber,
  completeClaim,
  fileClaim,
  loadClaim,
  MAX_PHOTO_BYTES,
  MAX_PHOTOS,
  partsInStock,
  recordRepair,
  recordTamper,
  replaceUnit,
} from './claims.js';
import { recordDelivery } from './delivery.js';
import { STOCK_STATES } from './stock-states.js';
import {
  listShipments,
  listUnits,
  receiveUnit,
  releaseUnit,
  reserveUnit,
  shipUnit,
  unitById,
  unitHistory,
  unitsOfSubscriber,
} from './units.js';
import { EXCLUSION_REASONS } from './warranty-rules.js';

// Response schemas: the shapes of units.ts and claims.ts as they are sent. Amounts are integer fen.
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const LocalDate = Type.String({ description: 'A local date of the operator, YYYY-MM-DD' });
const StockState = Type.Union([
  Type.Literal('in_stock'),
  Type.Literal('reserved'),
  Type.Literal('shipped'),
  Type.Literal('delivered'),
  Type.Literal('returned'),
  Type.Literal('in_repair'),
  Type.Literal('scrapped'),
]);
const DeliveredBy = Type.Union([Type.Literal('carrier'), Type.Literal('staff'), Type.Literal('subscriber')]);
const Exclusion = Type.Union([
  Type.Literal('accident'),
  Type.Literal('misuse'),
  Type.Literal('opened-case'),
  Type.Literal('power'),
  Type.Literal('ignored-instructions'),
  Type.Literal('unauthorised-repair'),
  Type.Literal('non-operator-equipment'),
]);
const ClaimStatus = Type.Union([
  Type.Literal('filed'),
  Type.Literal('quoted'),
  Type.Literal('in-service'),
  Type.Literal('declined'),
  Type.Literal('completed'),
]);
// The compiler holds the schemas' lists and the module's equal.
const statesChecked: readonly Static<typeof StockState>[] = STOCK_STATES;
const exclusionsChecked: readonly Static<typeof Exclusion>[] = EXCLUSION_REASONS;
void statesChecked;
void exclusionsChecked;
const IdParams = Type.Object({ id: Type.String() });

const UnitSchema = Type.Object({
  id: Type.String(),
  modelCode: Type.String(),
  serialNumber: Type.String(),
  mac: Type.String({ description: 'aa:bb:cc:dd:ee:ff' }),
  state: StockState,
  orderId: Nullable(Type.String()),
  subscriberId: Nullable(Type.String()),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  deliveredBy: Nullable(DeliveredBy),
  warrantyEndsOn: Nullable(LocalDate),
  replacesUnitId: Nullable(Type.String()),
  tamperedOn: Nullable(LocalDate),
  receivedAt: Type.String({ format: 'date-time' }),
  updatedAt: Type.String({ format: 'date-time' }),
});

const ShipmentSchema = Type.Object({
  id: Type.String(),
  unitId: Type.String(),
  orderId: Nullable(Type.String()),
  subscriberId: Type.String(),
  carrier: Type.String(),
  tracking: Type.String(),
  shippedAt: Type.String({ format: 'date-time' }),
  deliveredAt: Nullable(Type.String({ format: 'date-time' })),
  deliveredBy: Nullable(DeliveredBy),
  damageReported: Nullable(Type.String()),
});

const HistorySchema = Type.Object({
  at: Type.String({ format: 'date-time' }),
  fromState: Nullable(StockState),
  toState: StockState,
  actorType: Type.String(),
  actorId: Nullable(Type.String()),
  note: Nullable(Type.String()),
});

const PartSchema = Type.Object({
  direction: Type.Union([Type.Literal('used'), Type.Literal('returned-to-stock')]),
  part: Type.String(),
  serialNumber: Nullable(Type.String()),
  at: Type.String({ format: 'date-time' }),
});

const ClaimSchema = Type.Object({
  id: Type.String(),
  unitId: Type.String(),
  unitSerial: Type.String(),
  unitModel: Type.String(),
  subscriberId: Type.String(),
  cause: Type.Union([Type.Literal('fault'), Type.Literal('shipping-damage')]),
  description: Type.String(),
  filedAt: Type.String({ format: 'date-time' }),
  filedOn: LocalDate,
  coverageWhenFiled: Type.Union([Type.Literal('covered'), Type.Literal('not-covered')]),
  warrantyEndsOn: Nullable(LocalDate),
  status: ClaimStatus,
  exclusions: Type.Array(Exclusion),
  tamperFound: Type.Boolean(),
  covered: Nullable(Type.Boolean()),
  decision: Nullable(Type.Union([Type.Literal('repair'), Type.Literal('replace')])),
  assessmentNote: Nullable(Type.String()),
  assessedAt: Nullable(Type.String({ format: 'date-time' })),
  quoteFen: Nullable(Type.Integer()),
  quoteResponse: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('declined')])),
  replacementUnitId: Nullable(Type.String()),
  completedAt: Nullable(Type.String({ format: 'date-time' })),
  photos: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), type: Type.String() })),
  steps: Type.Array(
    Type.Object({ at: Type.String({ format: 'date-time' }), step: Type.String(), actorType: Type.String(), note: Nullable(Type.String()) }),
  ),
  parts: Type.Array(PartSchema),
});

const NewClaimBody = Type.Object(
  {
    description: Type.String({ minLength: 1, maxLength: 4000 }),
    photos: Type.Optional(
      Type.Array(
        Type.Object({
          name: Type.String({ minLength: 1, maxLength: 200 }),
          type: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg')]),
          contentBase64: Type.String({ maxLength: Math.ceil((MAX_PHOTO_BYTES * 4) / 3) + 4 }),
        }),
        { maxItems: MAX_PHOTOS },
      ),
    ),
  },
  { additionalProperties: false },
);

const PartsBody = Type.Array(
  Type.Object({ part: Type.String({ minLength: 1, maxLength: 200 }), serialNumber: Type.Optional(Type.String({ maxLength: 64 })) }),
  { maxItems: 50 },
);

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}

async function sendPhoto(reply: FastifyReply, photo: { name: string; type: string; content: Buffer }) {
  return reply
    .header('content-type', photo.type)
    .header('content-disposition', `inline; filename*=UTF-8''${encodeURIComponent(photo.name)}`)
    .header('cache-control', 'no-store')
    .header('x-content-type-options', 'nosniff')
    .send(photo.content);
}

/**
 * Terminals and their warranty (clause 4): the inventory and shipments in the console
 * (`devices.manage`), claims and their assessment (`warranty.assess`), and the subscriber's
 * terminals and claims in the portal.
 */
export interface DeviceRouteOptions {
  ctx: BillingContext;
  /**
   * Told when a claim replaced a unit, after it committed: provisioning revokes the old unit's SIP
   * credentials (a returned terminal must not keep the subscriber's number). Injected because
   * provisioning builds on this module, not the other way round.
   */
  unitReplaced?: (replaced: { oldUnitId: string; newUnitId: string }, actor: Actor) => Promise<void>;
}

export async function deviceRoutes(parent: FastifyInstance, options: DeviceRouteOptions): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const actorOf = (request: Parameters<typeof requireStaff>[0]) => staffActor(request, requireStaff(request));
  const devices = { staff: { permission: 'devices.manage' as const } };
  const warranty = { staff: { permission: 'warranty.assess' as const } };

  // ── Inventory and shipments (devices.manage) ───────────────────────────────────────────────────
  app.get(
    '/api/console/devices/units',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: 'The terminal inventory, newest first',
        querystring: Type.Object({
          state: Type.Optional(StockState),
          model: Type.Optional(Type.String({ maxLength: 64 })),
          search: Type.Optional(Type.String({ maxLength: 64, description: 'Part of a serial number or MAC' })),
        }),
        response: { 200: Type.Object({ units: Type.Array(UnitSchema) }) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({
        units: await listUnits(ctx.db, { state: request.query.state, modelCode: request.query.model, search: request.query.search }),
      }),
  );
  app.post(
    '/api/console/devices/units',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: 'Receive a unit into stock',
        body: Type.Object(
          {
            modelCode: Type.String({ minLength: 1, maxLength: 64 }),
            serialNumber: Type.String({ minLength: 1, maxLength: 64 }),
            mac: Type.String({ minLength: 1, maxLength: 32 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: UnitSchema },
      },
    },
    async (request, reply) => reply.code(201).send(unwrap(await receiveUnit(ctx, request.body, actorOf(request)))),
  );
  app.get(
    '/api/console/devices/units/:id',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: 'One unit with its stock history and shipments',
        params: IdParams,
        response: { 200: Type.Object({ unit: UnitSchema, history: Type.Array(HistorySchema), shipments: Type.Array(ShipmentSchema) }) },
      },
    },
    async (request, reply) => {
      const unit = await unitById(ctx.db, request.params.id);
      if (!unit) throw new ProblemError('not-found', 'No such unit');
      const [history, shipments] = await Promise.all([unitHistory(ctx.db, unit.id), listShipments(ctx.db, { unitId: unit.id })]);
      return reply.header('cache-control', 'no-store').send({ unit, history, shipments });
    },
  );
  app.post(
    '/api/console/devices/units/:id/reservation',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: "Reserve a unit in stock for the subscriber's current order (it must have bought this model)",
        params: IdParams,
        body: Type.Object({ subscriberId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
        response: { 200: UnitSchema },
      },
    },
    async (request) => {
      const order = await currentOrder(ctx, request.body.subscriberId);
      if (!order) throw new ProblemError('not-found', 'This subscriber has no current order');
      return unwrap(await reserveUnit(ctx, request.params.id, order, actorOf(request)));
    },
  );
  app.post(
    '/api/console/devices/units/:id/release',
    {
      config: devices,
      schema: { tags: ['devices'], summary: 'Put a reserved unit back in stock', params: IdParams, response: { 200: UnitSchema } },
    },
    async (request) => unwrap(await releaseUnit(ctx, request.params.id, actorOf(request))),
  );
  app.post(
    '/api/console/devices/units/:id/shipment',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: 'Ship the unit to its subscriber with a carrier and tracking number',
        params: IdParams,
        body: Type.Object(
          { carrier: Type.String({ minLength: 1, maxLength: 100 }), tracking: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false },
        ),
        response: { 200: UnitSchema },
      },
    },
    async (request) => unwrap(await shipUnit(ctx, request.params.id, request.body, actorOf(request))),
  );
  app.post(
    '/api/console/devices/units/:id/delivery',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: "Record the delivery (the carrier's confirmation or staff's): the warranty starts",
        params: IdParams,
        body: Type.Object(
          {
            by: Type.Union([Type.Literal('carrier'), Type.Literal('staff')]),
            at: Type.Optional(Type.String({ format: 'date-time' })),
            damageReported: Type.Optional(Type.String({ maxLength: 2000, description: 'Damage seen on delivery: covered (clause 4)' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: UnitSchema },
      },
    },
    async (request) => {
      const { by, at, damageReported } = request.body;
      return unwrap(
        await recordDelivery(ctx, request.params.id, { by, at: at ? new Date(at) : undefined, damageReported }, actorOf(request)),
      );
    },
  );
  app.get(
    '/api/console/devices/shipments',
    {
      config: devices,
      schema: {
        tags: ['devices'],
        summary: 'Shipments, newest first; only those not delivered yet with open=true',
        querystring: Type.Object({ open: Type.Optional(Type.Boolean()) }),
        response: { 200: Type.Object({ shipments: Type.Array(ShipmentSchema) }) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({ shipments: await listShipments(ctx.db, { open: request.query.open }) }),
  );

  // ── Warranty (warranty.assess) ────────────────────────────────────────────────────────────────
  app.post(
    '/api/console/devices/units/:id/tamper',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'Record that the unit was opened without authorisation (clause 4(5)): its warranty ends today',
        params: IdParams,
        body: Type.Object({ note: Type.String({ minLength: 1, maxLength: 2000 }) }, { additionalProperties: false }),
        response: { 200: UnitSchema },
      },
    },
    async (request) => unwrap(await recordTamper(ctx, request.params.id, request.body.note, actorOf(request))),
  );
  app.get(
    '/api/console/warranty/claims',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'The claims queue: to assess first, then in service, then awaiting the subscriber; or one status',
        querystring: Type.Object({ status: Type.Optional(ClaimStatus) }),
        response: { 200: Type.Object({ claims: Type.Array(ClaimSchema) }) },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send({ claims: await claimQueue(ctx.db, { status: request.query.status }) }),
  );
  app.get(
    '/api/console/warranty/claims/:id',
    { config: warranty, schema: { tags: ['warranty'], summary: 'One claim', params: IdParams, response: { 200: ClaimSchema } } },
    async (request, reply) => {
      const claim = await loadClaim(ctx.db, request.params.id);
      if (!claim) throw new ProblemError('not-found', 'No such claim');
      return reply.header('cache-control', 'no-store').send(claim);
    },
  );
  app.get(
    '/api/console/warranty/claims/:id/photos/:photoId',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: "A photo of the subscriber's claim",
        params: Type.Object({ id: Type.String(), photoId: Type.String() }),
      },
    },
    async (request, reply) => {
      const photo = await claimPhoto(ctx.db, request.params.id, request.params.photoId);
      if (!photo) throw new ProblemError('not-found', 'No such photo');
      return sendPhoto(reply, photo);
    },
  );
  app.post(
    '/api/console/warranty/claims/:id/assessment',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'Assess a claim: exclusions of clause 4(1), tamper, repair or replace, and a quote when not covered',
        params: IdParams,
        body: Type.Object(
          {
            exclusions: Type.Array(Exclusion, { maxItems: EXCLUSION_REASONS.length }),
            tamperFound: Type.Boolean(),
            decision: Type.Union([Type.Literal('repair'), Type.Literal('replace')]),
            note: Type.Optional(Type.String({ maxLength: 4000 })),
            quoteFen: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000_000 })),
          },
          { additionalProperties: false },
        ),
        response: { 200: ClaimSchema },
      },
    },
    async (request) => unwrap(await assessClaim(ctx, request.params.id, request.body, actorOf(request))),
  );
  app.post(
    '/api/console/warranty/claims/:id/repair',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'Record a repair: parts fitted, and parts taken out returned to the operator’s stock (clause 4(3))',
        params: IdParams,
        body: Type.Object(
          { partsUsed: PartsBody, partsReturned: PartsBody, note: Type.Optional(Type.String({ maxLength: 4000 })) },
          { additionalProperties: false },
        ),
        response: { 200: ClaimSchema },
      },
    },
    async (request) => unwrap(await recordRepair(ctx, request.params.id, request.body, actorOf(request))),
  );
  app.post(
    '/api/console/warranty/claims/:id/replacement',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'Replace the unit with one in stock: it keeps the original warranty end (clause 4(3))',
        params: IdParams,
        body: Type.Object({ unitId: Type.String() }, { additionalProperties: false }),
        response: { 200: ClaimSchema },
      },
    },
    async (request) => {
      const actor = actorOf(request);
      const claim = unwrap(await replaceUnit(ctx, request.params.id, request.body.unitId, actor));
      if (options.unitReplaced && claim.replacementUnitId)
        await options.unitReplaced({ oldUnitId: claim.unitId, newUnitId: claim.replacementUnitId }, actor);
      return claim;
    },
  );
  app.post(
    '/api/console/warranty/claims/:id/completion',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'The repaired unit is back with the subscriber',
        params: IdParams,
        response: { 200: ClaimSchema },
      },
    },
    async (request) => unwrap(await completeClaim(ctx, request.params.id, actorOf(request))),
  );
  app.get(
    '/api/console/warranty/parts',
    {
      config: warranty,
      schema: {
        tags: ['warranty'],
        summary: 'Parts taken out in repairs: the operator’s stock (clause 4(3))',
        response: {
          200: Type.Object({
            parts: Type.Array(Type.Intersect([PartSchema, Type.Object({ claimId: Type.String(), unitId: Type.String() })])),
          }),
        },
      },
    },
    async (_request, reply) => reply.header('cache-control', 'no-store').send({ parts: await partsInStock(ctx.db) }),
  );

  // ── The subscriber ─────────────────────────────────────────────────────────────────────────────
  const mineClaim = async (id: string, subscriberId: string) => {
    const claim = await loadClaim(ctx.db, id);
    if (!claim || claim.subscriberId !== subscriberId) throw new ProblemError('not-found', 'No such claim');
    return claim;
  };
  app.get(
    '/api/portal/terminals',
    {
      config: { portal: true },
      schema: {
        tags: ['devices'],
        summary: 'My terminals with their warranty, and my claims',
        response: { 200: Type.Object({ terminals: Type.Array(UnitSchema), claims: Type.Array(ClaimSchema) }) },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const [terminals, claims] = await Promise.all([unitsOfSubscriber(ctx.db, subscriberId), claimsOfSubscriber(ctx.db, subscriberId)]);
      return reply.header('cache-control', 'no-store').send({ terminals, claims });
    },
  );
  app.post(
    '/api/portal/terminals/:id/delivery',
    {
      config: { portal: true },
      schema: {
        tags: ['devices'],
        summary: 'I received my terminal (with any damage I saw: shipping damage is covered)',
        params: IdParams,
        body: Type.Object({ damageReported: Type.Optional(Type.String({ maxLength: 2000 })) }, { additionalProperties: false }),
        response: { 200: UnitSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      const unit = await unitById(ctx.db, request.params.id);
      if (!unit || unit.subscriberId !== subscriberId) throw new ProblemError('not-found', 'No such terminal');
      return unwrap(
        await recordDelivery(ctx, unit.id, { by: 'subscriber', damageReported: request.body.damageReported }, subscriberActor(request)),
      );
    },
  );
  app.post(
    '/api/portal/terminals/:id/claims',
    {
      config: { portal: true },
      bodyLimit: MAX_PHOTOS * 2 * MAX_PHOTO_BYTES,
      schema: {
        tags: ['devices'],
        summary: 'File a written warranty claim with photos; after the warranty it is refused with the day it ended (409 warranty-ended)',
        params: IdParams,
        body: NewClaimBody,
        response: { 201: ClaimSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const photos = (request.body.photos ?? []).map((p) => ({
        name: p.name,
        type: p.type,
        content: Buffer.from(p.contentBase64, 'base64'),
      }));
      const claim = unwrap(
        await fileClaim(
          ctx,
          { unitId: request.params.id, subscriberId, description: request.body.description, photos },
          subscriberActor(request),
        ),
      );
      return reply.code(201).send(claim);
    },
  );
  app.get(
    '/api/portal/claims/:id',
    {
      config: { portal: true },
      schema: { tags: ['devices'], summary: 'One of my claims', params: IdParams, response: { 200: ClaimSchema } },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await mineClaim(request.params.id, requireSubscriber(request).subscriberId)),
  );
  app.get(
    '/api/portal/claims/:id/photos/:photoId',
    {
      config: { portal: true },
      schema: { tags: ['devices'], summary: 'A photo I attached', params: Type.Object({ id: Type.String(), photoId: Type.String() }) },
    },
    async (request, reply) => {
      const photo = await claimPhoto(ctx.db, request.params.id, request.params.photoId);
      if (!photo || photo.subscriberId !== requireSubscriber(request).subscriberId) throw new ProblemError('not-found', 'No such photo');
      return sendPhoto(reply, photo);
    },
  );
  app.post(
    '/api/portal/claims/:id/quote',
    {
      config: { portal: true },
      schema: {
        tags: ['devices'],
        summary: 'Accept the quote (charged on my next bill) or decline it',
        params: IdParams,
        body: Type.Object({ accept: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: ClaimSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      return unwrap(await answerQuote(ctx, request.params.id, subscriberId, request.body.accept, subscriberActor(request)));
    },
  );
}
