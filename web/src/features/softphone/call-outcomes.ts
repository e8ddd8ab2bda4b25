/**
 * What a person is told when a call or a registration does not go through. Each kind has a sentence
 * in both languages (softphone.notices.*); `detail` carries the server's own words where they help
 * (the suspension reason in a 403, the TURN error).
 */
export type NoticeKind =
  | 'not-found'
  | 'busy'
  | 'declined'
  | 'not-reachable'
  | 'no-answer'
  | 'suspended'
  | 'credit-limit'
  | 'media-denied'
  | 'media-missing'
  | 'media-busy'
  | 'network-lost'
  | 'answered-elsewhere'
  | 'missed'
  | 'turn-failed'
  | 'auth-failed'
  | 'moved'
  | 'failed';

export interface PhoneNotice {
  kind: NoticeKind;
  detail?: string;
  /** For a missed call: the display name the caller sent (the number is `detail`). */
  peerName?: string;
}

/**
 * A final SIP response (or a JsSIP cause when there was none) as a notice, by RFC 3261 §21 class.
 * `contact` is the response's Contact, which a 3xx carries.
 */
export function classifyFailure(
  status: number | undefined,
  reason: string | undefined,
  cause: string | undefined,
  contact?: string,
): PhoneNotice {
  switch (status) {
    // §21.3.2 / §21.3.3: the number changed (clause 7); our proxy names the new one in the Contact.
    case 301:
    case 302: {
      const number = contact ? /<?sips?:([^@>;]+)@/i.exec(contact)?.[1] : undefined;
      if (number) return { kind: 'moved', detail: decodeURIComponent(number) };
      break;
    }
    case 401:
    case 407:
      return { kind: 'auth-failed' };
    // §21.4.4: the server understood and refuses; ours says why (a suspension) in the reason phrase.
    case 403:
      return { kind: 'suspended', ...(reason ? { detail: reason } : {}) };
    // §21.4.3 Payment Required: our proxy answers it when the month's fees reached the credit limit (clause 9).
    case 402:
      return { kind: 'credit-limit' };
    // §21.4.5 and §21.4.7: no such number.
    case 404:
    case 410:
    case 484:
      return { kind: 'not-found' };
    // §21.4.18: registered nowhere or no device reachable; §21.4.9 Request Timeout: no answer in time.
    case 480:
      return { kind: 'not-reachable' };
    case 408:
      return { kind: 'no-answer' };
    // §21.4.24 Busy Here and §21.6.1 Busy Everywhere.
    case 486:
    case 600:
      return { kind: 'busy' };
    // §21.6.2 Decline.
    case 603:
      return { kind: 'declined' };
  }
  if (cause === 'User Denied Media Access') return { kind: 'media-denied' };
  if (cause === 'Connection Error' || cause === 'Request Timeout') return { kind: 'network-lost' };
  if (cause === 'No Answer') return { kind: 'no-answer' };
  return { kind: 'failed', detail: [status, reason ?? cause].filter(Boolean).join(' ') };
}

/**
 * Why the other side (or the proxy) ended an answered call, from the BYE's Reason header (RFC 3326):
 * the proxy hangs up with `SIP ;cause=402 ;text="Credit limit reached"` when the paid time is up.
 * Null for an ordinary hang-up, which needs no notice.
 */
export function classifyHangUp(reasonHeader: string | undefined): PhoneNotice | null {
  if (!reasonHeader) return null;
  return /(?:^|,)\s*SIP\s*;[^,]*?\bcause\s*=\s*402\b/i.test(reasonHeader) ? { kind: 'credit-limit' } : null;
}
