import { billDetail, callRatingForDispute, type BillDetail, type BillingContext, type CallRatingEvidence } from '../billing/index.js';
import { callEvidence, qualityReportsOfCall, type CallEvidence, type StoredQualityReport } from '../calls/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import { classifyCall, type Judgement } from './classify.js';
import type { Dispute } from './disputes.js';

/**
 * What staff see beside a dispute, gathered from the modules that own it: for a call, its record
 * (times, who hung up and why, the SIP end), both parties' quality reports with the estimated MOS,
 * how it was rated (plan version, increment, included minutes), and a proposed judgement; for a
 * bill or a line, the bill with every line's source.
 */
export interface DisputeEvidence {
  call: CallEvidence | null;
  qualityReports: (StoredQualityReport & { side: 'subscriber' | 'other' })[];
  rating: CallRatingEvidence | null;
  judgement: Judgement | null;
  bill: BillDetail | null;
}

export async function gatherEvidence(ctx: BillingContext, dispute: Dispute): Promise<DisputeEvidence> {
  const bill = dispute.billId ? await billDetail(ctx, dispute.billId, dispute.subscriberId) : null;
  if (!dispute.callRecordId) return { call: null, qualityReports: [], rating: null, judgement: null, bill };
  const call = await callEvidence(ctx.db, dispute.callRecordId);
  const rating = await callRatingForDispute(ctx, dispute.callRecordId);
  if (!call) return { call: null, qualityReports: [], rating, judgement: null, bill };
  // Billed calls are the caller's; the subscriber's other numbers count as their side too.
  const mine = [call.caller, ...(await numbersOfSubscriber(ctx.db, dispute.subscriberId))];
  const reports = await qualityReportsOfCall(ctx.db, call.callId);
  const judgement = classifyCall(
    {
      subscriberNumbers: mine,
      record: { hungUpBy: call.hungUpBy, endReason: call.endReason, endUnseen: call.endUnseen, finalStatus: call.finalStatus },
      reports: reports.map((r) => ({ reporter: r.reporter, rttMs: r.rttMs, jitterMs: r.jitterMs, lossPercent: r.lossPercent })),
    },
    {
      lossPercent: ctx.settings.disputeNetworkLossPercent,
      jitterMs: ctx.settings.disputeNetworkJitterMs,
      rttMs: ctx.settings.disputeNetworkRttMs,
    },
  );
  return {
    call,
    qualityReports: reports.map((r) => ({ ...r, side: mine.includes(r.reporter) ? ('subscriber' as const) : ('other' as const) })),
    rating,
    judgement,
    bill,
  };
}
