import type { CallHistoryEntry } from './softphone-api';

/** How a call in the history ended, from this subscriber's side. */
export type HistoryOutcome = 'answered' | 'ringing' | 'missed' | 'declined' | 'cancelled' | 'busy' | 'no-answer' | 'unreachable' | 'failed';

/**
 * The label for a history row, from the call record's status and final SIP status (RFC 3261 §21).
 * The same record reads differently from each side: an outgoing call the caller gave up on is
 * "cancelled" for the caller and "missed" for the callee; a 603 is "declined" either way.
 */
export function historyOutcome(call: Pick<CallHistoryEntry, 'direction' | 'status' | 'finalStatus' | 'missed'>): HistoryOutcome {
  if (call.status === 'answered' || call.status === 'completed') return 'answered';
  if (call.status === 'ringing') return 'ringing';
  // §21.6.2 Decline.
  if (call.finalStatus === 603) return 'declined';
  // §21.4.24 Busy Here, §21.6.1 Busy Everywhere.
  if (call.finalStatus === 486 || call.finalStatus === 600) return 'busy';
  if (call.direction === 'incoming') return call.missed ? 'missed' : 'failed';
  // The caller hung up before an answer: the proxy recorded the CANCEL (487 Request Terminated, §21.4.25).
  if (call.status === 'cancelled' || call.finalStatus === 487) return 'cancelled';
  // §21.4.9 Request Timeout: nobody answered in time; §21.4.18: no device registered or reachable.
  if (call.finalStatus === 408) return 'no-answer';
  if (call.finalStatus === 480) return 'unreachable';
  return 'failed';
}
