import Type from 'typebox';

const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const PaymentPurposeSchema = Type.Union([
  Type.Literal('bill'),
  Type.Literal('balance'),
  Type.Literal('month-fees'),
  Type.Literal('settlement'),
]);

export const PaymentIntentSchema = Type.Object({
  id: Type.String(),
  subscriberId: Type.String(),
  purpose: PaymentPurposeSchema,
  billId: Nullable(Type.String()),
  amountFen: Type.Integer(),
  provider: Type.String(),
  merchantReference: Type.String(),
  status: Type.Union([
    Type.Literal('created'),
    Type.Literal('pending'),
    Type.Literal('succeeded'),
    Type.Literal('failed'),
    Type.Literal('expired'),
    Type.Literal('closed'),
  ]),
  action: Nullable(
    Type.Object({
      kind: Type.Union([Type.Literal('qr'), Type.Literal('redirect')]),
      content: Type.String(),
      qrDataUrl: Nullable(Type.String()),
    }),
  ),
  providerReference: Nullable(Type.String()),
  paymentId: Nullable(Type.String()),
  failureReason: Nullable(Type.String()),
  createdAt: Type.String(),
  expiresAt: Type.String(),
  paidAt: Nullable(Type.String()),
});
