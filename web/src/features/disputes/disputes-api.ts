import { ApiProblemError, postJson } from '../../lib/api-client';
import type { ApiBody, ApiResponse } from '../../types/api';
import type { DisputeMessages } from './messages';

// Shapes of the fee dispute routes (src/disputes/routes.ts), generated from their schemas. Amounts are integer fen.

export type Dispute = ApiResponse<'/api/portal/disputes/{id}'>;

export type DisputeStatus = Dispute['status'];

export type DisputeSubject = Dispute['subject'];

export type DisputeOutcome = NonNullable<Dispute['outcome']>;

export type AnswerCode = NonNullable<Dispute['answer']>['code'];

export type NewDispute = ApiBody<'/api/portal/disputes', 'post'>;

export type QueueEntry = ApiResponse<'/api/console/disputes'>['disputes'][number];

export type DisputeWithEvidence = ApiResponse<'/api/console/disputes/{id}'>;

export type DisputeAnswer = ApiBody<'/api/console/disputes/{id}/answer', 'post'>;

/** The six reasons of src/disputes/disputes.ts `answerCodes`, in its order; the record makes the compiler hold them equal. */
const answerCodeOrder: Record<AnswerCode, true> = {
  'billed-correctly': true,
  'network-side': true,
  'platform-fault-credited': true,
  'rating-error-corrected': true,
  'goodwill-credit': true,
  other: true,
};
export const answerCodes = Object.keys(answerCodeOrder) as AnswerCode[];

export const disputeStatuses: readonly DisputeStatus[] = ['open', 'investigating', 'answered', 'closed'];

// The evidence's parts are sent as they are gathered (the route schema leaves them open); these are
// their shapes in src/calls (CallEvidence, StoredQualityReport), src/billing (CallRatingEvidence) and
// src/disputes/classify.ts (Finding).

export interface CallEvidence {
  recordId: string;
  callId: string;
  caller: string;
  callee: string;
  invitedAt: string;
  answeredAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  status: string;
  finalStatus: number | null;
  hungUpBy: 'caller' | 'callee' | 'system' | null;
  endReason: string | null;
  endUnseen: boolean;
}

export type QualityReportEvidence = ApiBody<'/api/portal/calls/quality-reports', 'post'> & {
  id: string;
  reporter: string;
  receivedAt: string;
  side: 'subscriber' | 'other';
};

export interface RatingEvidence {
  subscriberId: string;
  plan: { planId: string; code: string; includedMinutes: number; perMinuteRatePrecise: number; billingIncrementSeconds: number };
  charges: {
    kind: 'rating' | 'correction';
    usagePeriod: string;
    billPeriod: string;
    billableSeconds: number;
    includedSeconds: number;
    chargedSeconds: number;
    chargeFen: number;
  }[];
  chargeFen: number;
  billId: string | null;
}

export type Finding =
  | { code: 'end-unseen' }
  | { code: 'ended-by-platform'; endReason: string | null }
  | { code: 'server-error'; status: number }
  | { code: 'loss' | 'jitter' | 'rtt'; side: 'subscriber' | 'other'; value: number; threshold: number }
  | { code: 'no-report' };

export interface Evidence {
  call: CallEvidence | null;
  qualityReports: QualityReportEvidence[];
  rating: RatingEvidence | null;
  judgement: (Omit<NonNullable<DisputeWithEvidence['evidence']['judgement']>, 'findings'> & { findings: Finding[] }) | null;
  /** The bill as billing's bill detail sends it; the app shows it with billing's own card. */
  bill: unknown;
}

export function evidenceOf(view: DisputeWithEvidence): Evidence {
  return view.evidence as Evidence;
}

/** Opens a dispute from the portal. */
export function openDispute(body: NewDispute): Promise<Dispute> {
  return postJson<Dispute>('/api/portal/disputes', body);
}

export const MAX_ATTACHMENT_BYTES = 1_000_000;
const attachmentTypes = ['image/png', 'image/jpeg', 'application/pdf'] as const;
type AttachmentType = (typeof attachmentTypes)[number];

export function isAcceptableAttachment(file: File): file is File & { type: AttachmentType } {
  return (attachmentTypes as readonly string[]).includes(file.type) && file.size > 0 && file.size <= MAX_ATTACHMENT_BYTES;
}

/** The file as the API takes it: its bytes in base64. */
export async function attachmentOf(file: File & { type: AttachmentType }): Promise<NonNullable<NewDispute['attachment']>> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  // In slices: String.fromCharCode with a million arguments overflows the stack.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  }
  return { name: file.name.slice(0, 200), type: file.type, contentBase64: btoa(binary) };
}

export type DisputeProblemKey = keyof DisputeMessages['disputes']['problems'];

/**
 * Which of `disputes.problems` says why the server refused, from the problem's code and the fields
 * it names, or null for the general sentence of its code. `action` is what was refused: a conflict
 * means something else for each.
 */
export function disputeProblemKey(error: unknown, action: 'open' | 'respond' | 'handle'): DisputeProblemKey | null {
  if (!(error instanceof ApiProblemError)) return null;
  const { problem } = error;
  const fields = (problem.errors ?? []).map((e) => e.field);
  if (problem.code === 'conflict') {
    if (action === 'open') return 'disputeId' in problem ? 'alreadyDisputed' : null;
    return action === 'respond' ? 'notAnswered' : 'alreadyAnswered';
  }
  if (problem.code === 'not-found' && action === 'open') return 'notFound';
  if (problem.code === 'invalid-request') {
    if (fields.includes('subjectId')) return 'notCharged';
    if (fields.includes('amountFen')) return 'amountRange';
    if (fields.includes('attachment')) return 'attachment';
    if (fields.includes('creditFen')) return 'creditRange';
  }
  return null;
}
