import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import Type, { type Static } from 'typebox';
import type { BillingContext } from '../billing/index.js';
import { failureToProblem, ProblemError } from '../platform/http/index.js';
import type { Result } from '../platform/result.js';
import { requireSubscriber, subscriberActor } from '../portal-auth/index.js';
import { requireStaff, staffActor } from '../staff/index.js';
import {
  acceptAnswer,
  addDisputeNote,
  answerCodes,
  answerDispute,
  assignDispute,
  disputeAttachment,
  disputeQueue,
  disputesOfSubscriber,
  escalateDispute,
  loadDispute,
  MAX_ATTACHMENT_BYTES,
  openDispute,
  type Dispute,
  type NewDispute,
} from './disputes.js';
import { gatherEvidence } from './evidence.js';

// Response schemas: the shapes of disputes.ts and evidence.ts as they are sent. Amounts are integer fen.
const Fen = Type.Integer();
const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
const Uuid = Type.String({ format: 'uuid' });
const Subject = Type.Union([Type.Literal('bill'), Type.Literal('bill-line'), Type.Literal('call')]);
const Status = Type.Union([Type.Literal('open'), Type.Literal('investigating'), Type.Literal('answered'), Type.Literal('closed')]);
const Outcome = Type.Union([Type.Literal('upheld'), Type.Literal('partly-upheld'), Type.Literal('rejected')]);
const AnswerCode = Type.Union([
  Type.Literal('billed-correctly'),
  Type.Literal('network-side'),
  Type.Literal('platform-fault-credited'),
  Type.Literal('rating-error-corrected'),
  Type.Literal('goodwill-credit'),
  Type.Literal('other'),
]);
// The compiler holds the schema's codes and the operation's list equal.
const answerCodesChecked: readonly Static<typeof AnswerCode>[] = answerCodes;
void answerCodesChecked;

const DisputeSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  subject: Subject,
  billId: Nullable(Type.String()),
  ledgerEntryId: Nullable(Type.String()),
  callRecordId: Nullable(Type.String()),
  amountFen: Fen,
  reason: Type.String(),
  channel: Type.Union([Type.Literal('portal'), Type.Literal('phone'), Type.Literal('counter')]),
  openedAt: Type.String({ format: 'date-time' }),
  dueOn: Type.String({ description: 'The local date by which the operator answers (clause 6)' }),
  status: Status,
  assignedTo: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
  outcome: Nullable(Outcome),
  creditedFen: Nullable(Fen),
  answer: Nullable(Type.Object({ code: AnswerCode, text: Type.String(), at: Type.String({ format: 'date-time' }) })),
  response: Nullable(Type.Union([Type.Literal('accepted'), Type.Literal('escalated')])),
  negotiationCaseId: Nullable(Type.String()),
  closedAt: Nullable(Type.String({ format: 'date-time' })),
  attachment: Nullable(Type.Object({ name: Type.String(), type: Type.String() })),
  notes: Type.Array(
    Type.Object({
      at: Type.String({ format: 'date-time' }),
      authorType: Type.Union([Type.Literal('staff'), Type.Literal('subscriber')]),
      authorName: Nullable(Type.String()),
      text: Type.String(),
    }),
  ),
});

const NewDisputeBody = Type.Object(
  {
    subject: Subject,
    subjectId: Uuid,
    amountFen: Type.Optional(Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'For a bill: the part disputed' })),
    reason: Type.String({ minLength: 1, maxLength: 2000 }),
    attachment: Type.Optional(
      Type.Object({
        name: Type.String({ minLength: 1, maxLength: 200 }),
        type: Type.Union([Type.Literal('image/png'), Type.Literal('image/jpeg'), Type.Literal('application/pdf')]),
        contentBase64: Type.String({ maxLength: Math.ceil((MAX_ATTACHMENT_BYTES * 4) / 3) + 4 }),
      }),
    ),
  },
  { additionalProperties: false },
);

const EvidenceSchema = Type.Object({
  call: Nullable(Type.Unknown({ description: 'The call record: times, who hung up and why, the SIP final status' })),
  qualityReports: Type.Array(
    Type.Unknown({ description: 'What each party measured (loss, jitter, RTT, codecs, candidates), with its side' }),
  ),
  rating: Nullable(Type.Unknown({ description: 'How the call was rated: plan version, increment, included minutes, each charge row' })),
  judgement: Nullable(
    Type.Object({
      classification: Type.Union([Type.Literal('platform-side'), Type.Literal('network-side'), Type.Literal('normal')]),
      findings: Type.Array(Type.Unknown()),
      mos: Type.Array(Type.Object({ reporter: Type.String(), side: Type.String(), mos: Type.Number() })),
    }),
  ),
  bill: Nullable(Type.Unknown({ description: 'The bill with each line and its source' })),
});

function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}

function toNewDispute(subscriberId: string, body: Static<typeof NewDisputeBody>, channel: NewDispute['channel']): NewDispute {
  return {
    subscriberId,
    subject: body.subject,
    subjectId: body.subjectId,
    amountFen: body.amountFen,
    reason: body.reason,
    channel,
    attachment: body.attachment
      ? { name: body.attachment.name, type: body.attachment.type, content: Buffer.from(body.attachment.contentBase64, 'base64') }
      : undefined,
  };
}

async function sendAttachment(reply: FastifyReply, file: { name: string; type: string; content: Buffer } | null) {
  if (!file) throw new ProblemError('not-found', 'No attachment');
  return reply
    .header('content-type', file.type)
    .header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(file.name)}`)
    .header('cache-control', 'no-store')
    .send(file.content);
}

/** Fee disputes (clause 6): the subscriber's side in the portal, the queue in the console (`disputes.handle`). */
export async function disputeRoutes(parent: FastifyInstance, options: { ctx: BillingContext }): Promise<void> {
  const app = parent.withTypeProvider<TypeBoxTypeProvider>();
  const { ctx } = options;
  const mine = async (id: string, subscriberId: string): Promise<Dispute> => {
    const dispute = await loadDispute(ctx.db, id);
    if (!dispute || dispute.subscriberId !== subscriberId) throw new ProblemError('not-found', 'No such dispute');
    return dispute;
  };

  // ── The subscriber ─────────────────────────────────────────────────────────────────────────────
  app.post(
    '/api/portal/disputes',
    {
      config: { portal: true },
      bodyLimit: 2 * MAX_ATTACHMENT_BYTES,
      schema: {
        tags: ['disputes'],
        summary: 'Dispute a bill, a bill line or a call (clause 6); its amount accrues no late fee while open',
        body: NewDisputeBody,
        response: { 201: DisputeSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId } = requireSubscriber(request);
      const opened = unwrap(await openDispute(ctx, toNewDispute(subscriberId, request.body, 'portal'), subscriberActor(request)));
      return reply.code(201).send(opened);
    },
  );
  app.get(
    '/api/portal/disputes',
    {
      config: { portal: true },
      schema: {
        tags: ['disputes'],
        summary: 'My disputes, newest first',
        response: { 200: Type.Object({ disputes: Type.Array(DisputeSchema) }) },
      },
    },
    async (request, reply) =>
      reply
        .header('cache-control', 'no-store')
        .send({ disputes: await disputesOfSubscriber(ctx.db, requireSubscriber(request).subscriberId) }),
  );
  app.get(
    '/api/portal/disputes/:id',
    {
      config: { portal: true },
      schema: {
        tags: ['disputes'],
        summary: 'One of my disputes, with the answer',
        params: Type.Object({ id: Type.String() }),
        response: { 200: DisputeSchema },
      },
    },
    async (request, reply) =>
      reply.header('cache-control', 'no-store').send(await mine(request.params.id, requireSubscriber(request).subscriberId)),
  );
  app.get(
    '/api/portal/disputes/:id/attachment',
    {
      config: { portal: true },
      schema: { tags: ['disputes'], summary: 'The file I attached', params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => {
      await mine(request.params.id, requireSubscriber(request).subscriberId);
      return sendAttachment(reply, await disputeAttachment(ctx.db, request.params.id));
    },
  );
  app.post(
    '/api/portal/disputes/:id/accept',
    {
      config: { portal: true },
      schema: {
        tags: ['disputes'],
        summary: 'Accept the answer: the dispute is closed',
        params: Type.Object({ id: Type.String() }),
        response: { 200: DisputeSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      return unwrap(await acceptAnswer(ctx, request.params.id, subscriberId, subscriberActor(request)));
    },
  );
  app.post(
    '/api/portal/disputes/:id/escalate',
    {
      config: { portal: true },
      schema: {
        tags: ['disputes'],
        summary: 'Do not accept the answer: a negotiation case (clause 16) continues the dispute',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: DisputeSchema },
      },
    },
    async (request) => {
      const { subscriberId } = requireSubscriber(request);
      return unwrap(await escalateDispute(ctx, request.params.id, subscriberId, request.body.reason, subscriberActor(request)));
    },
  );

  // ── Staff ──────────────────────────────────────────────────────────────────────────────────────
  const staffOnly = { staff: { permission: 'disputes.handle' as const } };
  const actorOf = (request: Parameters<typeof requireStaff>[0]) => staffActor(request, requireStaff(request));
  app.get(
    '/api/console/disputes',
    {
      config: staffOnly,
      schema: {
        tags: ['disputes'],
        summary: 'The disputes queue: unanswered first, by due date',
        querystring: Type.Object({ status: Type.Optional(Status), mine: Type.Optional(Type.Boolean()) }),
        response: {
          200: Type.Object({
            disputes: Type.Array(
              Type.Object({
                id: Type.String(),
                subscriberId: Type.String(),
                subject: Subject,
                amountFen: Fen,
                status: Status,
                openedAt: Type.String({ format: 'date-time' }),
                dueOn: Type.String(),
                overdue: Type.Boolean({ description: 'Not answered by its due date' }),
                assignedTo: Nullable(Type.Object({ id: Type.String(), name: Nullable(Type.String()) })),
              }),
            ),
          }),
        },
      },
    },
    async (request) => ({
      disputes: await disputeQueue(ctx, {
        status: request.query.status,
        assignedTo: request.query.mine ? requireStaff(request).id : undefined,
      }),
    }),
  );
  app.post(
    '/api/console/disputes',
    {
      config: staffOnly,
      bodyLimit: 2 * MAX_ATTACHMENT_BYTES,
      schema: {
        tags: ['disputes'],
        summary: "Open a dispute on a subscriber's behalf (by phone or at the counter)",
        body: Type.Object(
          { ...NewDisputeBody.properties, subscriberId: Uuid, channel: Type.Union([Type.Literal('phone'), Type.Literal('counter')]) },
          { additionalProperties: false },
        ),
        response: { 201: DisputeSchema },
      },
    },
    async (request, reply) => {
      const { subscriberId, channel, ...body } = request.body;
      return reply.code(201).send(unwrap(await openDispute(ctx, toNewDispute(subscriberId, body, channel), actorOf(request))));
    },
  );
  app.get(
    '/api/console/disputes/:id',
    {
      config: staffOnly,
      schema: {
        tags: ['disputes'],
        summary: 'A dispute with its evidence side by side and a proposed judgement',
        params: Type.Object({ id: Type.String() }),
        response: { 200: Type.Object({ dispute: DisputeSchema, evidence: EvidenceSchema }) },
      },
    },
    async (request) => {
      const dispute = await loadDispute(ctx.db, request.params.id);
      if (!dispute) throw new ProblemError('not-found', 'No such dispute');
      return { dispute, evidence: await gatherEvidence(ctx, dispute) };
    },
  );
  app.get(
    '/api/console/disputes/:id/attachment',
    {
      config: staffOnly,
      schema: { tags: ['disputes'], summary: "The subscriber's attachment", params: Type.Object({ id: Type.String() }) },
    },
    async (request, reply) => sendAttachment(reply, await disputeAttachment(ctx.db, request.params.id)),
  );
  app.post(
    '/api/console/disputes/:id/assign',
    {
      config: staffOnly,
      schema: {
        tags: ['disputes'],
        summary: 'Take the dispute: investigating, by me',
        params: Type.Object({ id: Type.String() }),
        response: { 200: DisputeSchema },
      },
    },
    async (request) => unwrap(await assignDispute(ctx, request.params.id, actorOf(request))),
  );
  app.post(
    '/api/console/disputes/:id/notes',
    {
      config: staffOnly,
      schema: {
        tags: ['disputes'],
        summary: 'A note in the investigation (kept, never edited)',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
        response: { 200: DisputeSchema },
      },
    },
    async (request) => unwrap(await addDisputeNote(ctx, request.params.id, request.body.text, actorOf(request))),
  );
  app.post(
    '/api/console/disputes/:id/answer',
    {
      config: staffOnly,
      schema: {
        tags: ['disputes'],
        summary: 'Answer the subscriber: upheld or partly upheld (a credit note on the next bill) or rejected, with reasons',
        params: Type.Object({ id: Type.String() }),
        body: Type.Object(
          {
            outcome: Outcome,
            creditFen: Type.Optional(
              Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, description: 'For a partly upheld dispute' }),
            ),
            code: AnswerCode,
            text: Type.String({ minLength: 1, maxLength: 4000, description: "The explanation, in the subscriber's language" }),
          },
          { additionalProperties: false },
        ),
        response: { 200: DisputeSchema },
      },
    },
    async (request) => unwrap(await answerDispute(ctx, request.params.id, request.body, actorOf(request))),
  );
}
