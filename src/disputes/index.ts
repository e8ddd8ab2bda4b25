export {
  acceptAnswer,
  addDisputeNote,
  answerCodes,
  answerDispute,
  assignDispute,
  disputeAssignees,
  disputeAttachment,
  disputeQueue,
  disputesAssignedTo,
  disputesOfSubscriber,
  escalateDispute,
  loadDispute,
  openDispute,
  setDisputeAssignee,
  type AnswerCode,
  type Dispute,
  type DisputeAnswer,
  type NewDispute,
  type QueueEntry,
} from './disputes.js';
export { classifyCall, type CallClass, type Finding, type Judgement } from './classify.js';
export { estimatedMos, mosFromRating, transmissionRating } from './e-model.js';
export { gatherEvidence, type DisputeEvidence } from './evidence.js';
export { disputeRoutes } from './routes.js';
export type { DisputeTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { disputes } from './migrations/20261203T0700-disputes.js';
export { disputeQueuePage, disputeStages } from './work-queue.js';
