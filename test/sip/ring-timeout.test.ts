import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { eventually, startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

describe('a call nobody answers', () => {
  let service: SipTestService;
  let alice: SipJsParty;
  let bob: SipJsParty;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['1100', '1101'], env: { SIP_RING_TIMEOUT_SECONDS: '5' } });
    alice = await startSipJsParty(service.wsUrl, service.domain, '1100');
    bob = await startSipJsParty(service.wsUrl, service.domain, '1101');
  });
  afterAll(async () => {
    await alice?.stop();
    await bob?.stop();
    await service?.close();
  });

  it('rings for the ring timeout, then the caller hears 408, the callee stops ringing, and the record says why', async () => {
    let status: number | undefined;
    const inviter = new Inviter(alice.ua, UserAgent.makeURI(`sip:1101@${service.domain}`)!);
    await inviter.invite({ requestDelegate: { onReject: (response) => (status = response.message.statusCode) } });
    await eventually(() => bob.invitations.length === 1, 'Bob to ring');
    await eventually(() => status !== undefined, 'the timeout', 15_000);
    expect(status).toBe(408);
    await eventually(() => bob.invitations[0]!.state === SessionState.Terminated, "Bob's ringing to stop");
    const record = await service.ctx.db.selectFrom('call_records').selectAll().where('callee', '=', '1101').executeTakeFirstOrThrow();
    expect(record).toMatchObject({ status: 'failed', final_status: 408 });
    expect(record.end_reason).toMatch(/no answer/);
  });
});
