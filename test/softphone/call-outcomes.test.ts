import { describe, expect, it } from 'vitest';
import { classifyFailure } from '../../web/src/features/softphone/call-outcomes.js';

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
