import Type from 'typebox';

/** The published price list's shape: the public route and the console's preview answer with it. */
// Spelled out rather than mapped from `priceListLanguages`, so the literal types survive.
export const LanguageSchema = Type.Union([Type.Literal('zh-CN'), Type.Literal('en')]);

const MoneySchema = Type.Object({
  fen: Type.Integer({ description: 'Amount in minor units (fen for CNY)' }),
  formatted: Type.String({ description: 'The amount as printed in the requested language, e.g. ¥30.00' }),
});

export const PriceListSchema = Type.Object({
  language: LanguageSchema,
  currency: Type.String({ description: 'ISO 4217 currency of every amount' }),
  asOf: Type.String({ format: 'date-time', description: 'The instant the list was generated for' }),
  provider: Type.Object({ name: Type.String(), website: Type.String() }),
  rounding: Type.String({ description: "How a call's charge is rounded, in words" }),
  plans: Type.Array(
    Type.Object({
      id: Type.String({ description: 'The plan version; an order references it' }),
      code: Type.String(),
      name: Type.String(),
      description: Type.String(),
      monthlyRent: MoneySchema,
      includedMinutes: Type.Integer(),
      perMinuteRate: Type.Object({
        precise: Type.Integer({ description: 'Rate per minute in 1/10000 fen' }),
        formatted: Type.String({ description: 'e.g. ¥0.15' }),
      }),
      billingIncrement: Type.Object({
        seconds: Type.Integer(),
        description: Type.String({ description: 'e.g. "per 6 seconds, rounded up per call"' }),
      }),
      exampleCall: Type.Object({ durationSeconds: Type.Integer(), billableSeconds: Type.Integer(), charge: MoneySchema }),
      validFrom: Type.String({ format: 'date-time' }),
      validTo: Type.Union([Type.String({ format: 'date-time' }), Type.Null()]),
    }),
  ),
  creditLimits: Type.Array(Type.Object({ amount: MoneySchema, isDefault: Type.Boolean() })),
  terminals: Type.Array(Type.Object({ code: Type.String(), name: Type.String(), description: Type.String(), price: MoneySchema })),
});
