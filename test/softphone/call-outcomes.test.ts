import { describe, expect, it } from 'vitest';
import { classifyFailure, classifyHangUp } from '../../web/src/features/softphone/call-outcomes.js';

/** What the softphone tells a person for each final response (RFC 3261 §21) or JsSIP cause. */
describe('call outcomes', () => {
  it.each([
    [404, 'not-found'],
    [410, 'not-found'],
    [484, 'not-found'],
    [480, 'not-reachable'],
    [408, 'no-answer'],
    [486, 'busy'],
    [600, 'busy'],
    [603, 'declined'],
    [401, 'auth-failed'],
    [407, 'auth-failed'],
  ])('a %i becomes "%s"', (status, kind) => {
    expect(classifyFailure(status, 'whatever', undefined).kind).toBe(kind);
  });

  it("keeps the server's reason for a 403, which names the suspension", () => {
    expect(classifyFailure(403, 'Caller account suspended: overdue bill', 'Rejected')).toEqual({
      kind: 'suspended',
      detail: 'Caller account suspended: overdue bill',
    });
  });

  it('tells the caller refused with 402 Credit limit reached (clause 9) that the credit limit is used up', () => {
    expect(classifyFailure(402, 'Credit limit reached', 'SIP Failure Code')).toEqual({ kind: 'credit-limit' });
  });

  it('tells a person whose call the proxy hung up with Reason cause=402 (RFC 3326) that the credit limit ended it, and nothing after an ordinary hang-up', () => {
    expect(classifyHangUp('SIP ;cause=402 ;text="Credit limit reached"')).toEqual({ kind: 'credit-limit' });
    expect(classifyHangUp('Q.850;cause=16, SIP;text="Credit limit reached";cause=402')).toEqual({ kind: 'credit-limit' });
    expect(classifyHangUp(undefined)).toBeNull();
    expect(classifyHangUp('SIP ;cause=200 ;text="Call completed elsewhere"')).toBeNull();
    expect(classifyHangUp('Q.850;cause=402')).toBeNull();
  });

  it('tells a caller answered 301 Moved Permanently (a number change, clause 7) the new number from the Contact', () => {
    expect(classifyFailure(301, 'Moved Permanently', 'Redirected', '<sip:7100002@videophone.example>')).toEqual({
      kind: 'moved',
      detail: '7100002',
    });
    expect(classifyFailure(301, 'Moved Permanently', 'Redirected', undefined)).toEqual({ kind: 'failed', detail: '301 Moved Permanently' });
  });

  it('reads JsSIP causes when no response arrived, and says what happened otherwise', () => {
    expect(classifyFailure(undefined, undefined, 'User Denied Media Access').kind).toBe('media-denied');
    expect(classifyFailure(undefined, undefined, 'Connection Error').kind).toBe('network-lost');
    expect(classifyFailure(undefined, undefined, 'Request Timeout').kind).toBe('network-lost');
    expect(classifyFailure(500, 'Server Internal Error', 'SIP Failure Code')).toEqual({
      kind: 'failed',
      detail: '500 Server Internal Error',
    });
  });
});
