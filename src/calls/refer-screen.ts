import { getHeader, getHeaders, parseNameAddr, parseUri, uriScheme, type SipRequest } from '../sip/index.js';

/** Why the proxy refuses a REFER before it reaches the other party (status and reason phrase). */
export interface ReferRefusal {
  status: number;
  reason: string;
}

/**
 * RFC 3515 §2.4.6 lets a REFER create its own dialog; this proxy takes REFER only inside a call
 * it routes, where the route set proves the sender is a party (blind transfer, RFC 5589 §6).
 * Outside a call a REFER would make any subscriber's phone dial whatever a stranger asks.
 */
export const REFER_OUTSIDE_DIALOG: ReferRefusal = { status: 403, reason: 'REFER only within a call' };

/**
 * An in-dialog REFER the proxy screens before relaying it (the dialog route was already verified):
 * exactly one Refer-To with a SIP URI, and a Referred-By, if any, that names the sender. The
 * target itself is not screened here: the transferee's INVITE to it goes through authentication,
 * the call policy and the credit limit like any call, and the refusal reaches the transferor in
 * the NOTIFY (RFC 3515 §2.4.5). Returns null when the REFER may pass.
 */
export function screenRefer(request: SipRequest): ReferRefusal | null {
  // RFC 3515 §2.4.1: exactly one Refer-To.
  const referTo = getHeaders(request, 'Refer-To');
  if (referTo.length !== 1) return { status: 400, reason: 'Exactly one Refer-To is required' };
  let target: string;
  try {
    target = parseNameAddr(referTo[0]!).uri;
  } catch {
    return { status: 400, reason: 'Malformed Refer-To' };
  }
  // RFC 3515 §2.4.2: a URI the recipient cannot use is refused; here only sip and sips are
  // transferred (a tel:, http: or mailto: target would leave the network we charge and screen).
  const scheme = uriScheme(target);
  if (scheme !== 'sip' && scheme !== 'sips') return { status: 416, reason: 'Refer-To must be a SIP URI' };
  try {
    parseUri(target);
  } catch {
    return { status: 400, reason: 'Malformed Refer-To' };
  }
  // RFC 3892 §3: Referred-By names the referrer; a party may not refer in another's name.
  const referredBy = getHeader(request, 'Referred-By');
  if (referredBy !== undefined) {
    const sender = userOf(getHeader(request, 'From')!);
    if (sender === null || userOf(referredBy) !== sender) return { status: 403, reason: 'Referred-By must name the referrer' };
  }
  return null;
}

function userOf(nameAddr: string): string | null {
  try {
    return parseUri(parseNameAddr(nameAddr).uri).user;
  } catch {
    return null;
  }
}
