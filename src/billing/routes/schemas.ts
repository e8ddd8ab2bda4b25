import Type from 'typebox';

export const Uuid = Type.String({ format: 'uuid' });

// Response schemas: the shapes of statements.ts, bill-run.ts, dunning.ts, ledger.ts, payments.ts and
// bank-import.ts as they are sent (dates as ISO strings). Amounts are integer fen.
export const Fen = Type.Integer();
export const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);
export const LocalDate = Type.String({ description: 'A calendar day, YYYY-MM-DD' });

export const BillSummarySchema = Type.Object({
  id: Type.String(),
  period: LocalDate,
  kind: Type.Union([Type.Literal('regular'), Type.Literal('final'), Type.Literal('supplementary')]),
  issueDate: LocalDate,
  dueDate: LocalDate,
  totalFen: Fen,
  outstandingFen: Fen,
  status: Type.Union([Type.Literal('paid'), Type.Literal('open'), Type.Literal('overdue')]),
});

/** `LedgerKind` of tables.ts: what a ledger entry or bill line is. */
const LedgerKindSchema = Type.Union([
  Type.Literal('rent'),
  Type.Literal('usage'),
  Type.Literal('late_fee'),
  Type.Literal('payment'),
  Type.Literal('refund'),
  Type.Literal('credit_note'),
  Type.Literal('adjustment'),
  Type.Literal('correction'),
]);

export const BillDetailSchema = Type.Object({
  ...BillSummarySchema.properties,
  subscriberId: Type.String(),
  serviceFrom: Nullable(LocalDate),
  serviceTo: Nullable(LocalDate),
  lateFeeFen: Fen,
  principalFen: Fen,
  lines: Type.Array(
    Type.Object({
      position: Type.Integer(),
      entryId: Type.String({ description: 'The ledger entry on this line: what a fee dispute about the line names' }),
      kind: LedgerKindSchema,
      amountFen: Fen,
      description: Type.String(),
      detail: Type.Unknown({ description: 'What the amount is made of; its shape depends on the kind' }),
    }),
  ),
  lateFee: Type.Object({ daysLate: Type.Integer(), accruedFen: Fen, postedFen: Fen, ratePerDay: Type.String() }),
  payments: Type.Array(
    Type.Object({
      paidAt: Type.String({ format: 'date-time' }),
      amountFen: Fen,
      channel: Type.Union([Type.Literal('webhook'), Type.Literal('bank-file'), Type.Literal('manual')]),
      backdateReason: Nullable(Type.String()),
    }),
  ),
  credits: Type.Array(
    Type.Object({
      postedAt: Type.String({ format: 'date-time' }),
      amountFen: Fen,
      description: Type.String(),
      detail: Type.Unknown({ description: 'What the credit corrects (a dispute, an outage, a bill)' }),
    }),
    { description: 'Credit notes posted since the previous bill, shown on this one' },
  ),
});

export const BalanceSchema = Type.Object({
  balanceFen: Fen,
  outstandingFen: Fen,
  overdueFen: Fen,
  creditFen: Fen,
  accruingLateFeesFen: Fen,
  owedNow: Type.Object(
    {
      asOf: LocalDate,
      onBillsFen: Fen,
      unbilledChargesFen: Fen,
      lateFeesAccruingFen: Fen,
      unbilledServiceFen: Fen,
      creditFen: Fen,
      totalFen: Fen,
    },
    { description: 'What paying today settles (late fees through today, charges not yet billed, service to today, less credit)' },
  ),
});

export const LedgerLineSchema = Type.Object({
  id: Type.String(),
  seq: Type.Integer(),
  kind: LedgerKindSchema,
  amountFen: Fen,
  billId: Nullable(Type.String()),
  callRecordId: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  description: Type.String(),
  detail: Type.Unknown(),
  postedAt: Type.String({ format: 'date-time' }),
  onBillId: Nullable(Type.String()),
  position: Nullable(Type.Integer()),
});
