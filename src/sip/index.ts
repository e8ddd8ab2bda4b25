// The SIP protocol core's public face: the application (src/calls) imports only this.
export * from './message/index.js';
export {
  DigestAuthenticator,
  LocalNonceCounts,
  type DigestVerdict,
  type NonceCounts,
  type StoredCredentials,
  computeHa1,
} from './auth/digest.js';
export { createBranch, createTag } from './transaction/branch.js';
export { pooledRandomBytes } from './transaction/random-pool.js';
export { type InviteClientTransaction } from './transaction/client-transaction.js';
export { KeptFor } from './transaction/kept-for.js';
export { type InviteServerTransaction, type ServerTransaction } from './transaction/server-transaction.js';
export { type TimerValues, defaultTimerValues } from './transaction/timers.js';
export { TransactionLayer, type TransactionUser } from './transaction/transaction-layer.js';
export { OverloadControl, defaultOverloadSettings, type OverloadSettings } from './transaction/overload.js';
export { type Flow, type TransportProtocol, flowKey, isWebSocket } from './transport/flow.js';
export { SourceRateLimit } from './transport/source-rate-limit.js';
export { TurnBatch, TurnCorks } from './transport/turn-batch.js';
export {
  type DatagramEndpoint,
  type DatagramReceiver,
  type MessageSizeLimits,
  type TransportAdmission,
  TransportLayer,
  type TransportObserver,
} from './transport/transport-layer.js';
