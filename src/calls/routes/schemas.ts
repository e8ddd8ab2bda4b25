import Type from 'typebox';

export const Nullable = <T extends Type.TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Direction = Type.Union([Type.Literal('outgoing'), Type.Literal('incoming')]);

export const CallStatus = Type.Union([
  Type.Literal('ringing'),
  Type.Literal('answered'),
  Type.Literal('completed'),
  Type.Literal('failed'),
  Type.Literal('cancelled'),
]);

export const QualityReportSchema = Type.Object({
  id: Type.String(),
  reporter: Type.String(),
  direction: Direction,
  receivedAt: Type.String({ format: 'date-time' }),
  durationMs: Type.Integer(),
  rttMs: Nullable(Type.Number()),
  jitterMs: Nullable(Type.Number()),
  lossPercent: Nullable(Type.Number()),
  packetsLost: Nullable(Type.Integer()),
  framesDecoded: Nullable(Type.Integer()),
  audioPacketsReceived: Nullable(Type.Integer()),
  sendKbps: Nullable(Type.Number()),
  receiveKbps: Nullable(Type.Number()),
  audioCodec: Nullable(Type.String()),
  videoCodec: Nullable(Type.String()),
  localCandidateType: Nullable(Type.String()),
  remoteCandidateType: Nullable(Type.String()),
  relayProtocol: Nullable(Type.String()),
  userAgent: Nullable(Type.String()),
});
