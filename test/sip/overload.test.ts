import pg from 'pg';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresUrl } from '../support/engines.js';
import { digestAuthorization, header, randomToken, statusLine } from '../support/raw-sip.js';
import { RawPhone } from '../support/raw-phone.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/**
 * Overload control at the SIP edge (RFC 5390, RFC 3261 §21.5.4). The process reads as fully busy
 * (the test's load probe) throughout; what makes it shed work is senders left waiting: a REGISTER
 * whose account lookup is held up by a lock another PostgreSQL session takes, retransmitted while it
 * waits. After that, new requests are partly answered 503 with Retry-After at once, while requests
 * inside a dialog go on.
 */
describe('a node that falls behind turns new work away instead of drowning in retransmissions', () => {
  let service: SipTestService;
  let alice: RawPhone;
  let bob: RawPhone;
  let carol: RawPhone;
  let schema: string;

  beforeAll(async () => {
    service = await startSipTestService({ numbers: ['3400', '3401', '3402'], engine: 'postgres', sipBusyProbe: () => 1 });
    schema = (await sql<{ schema: string }>`select current_schema() as schema`.execute(service.ctx.db)).rows[0]!.schema;
    const open = (number: string) => RawPhone.open({ number, domain: service.domain, proxyPort: service.sipPort });
    alice = await open('3400');
    bob = await open('3401');
    carol = await open('3402');
    await alice.register();
    await bob.register();
  });
  afterAll(async () => {
    for (const phone of [alice, bob, carol]) phone?.close();
    await service?.close();
  });

  /** Another session holds the accounts tables so that no account can be read, until `release`. */
  async function holdAccountReads(): Promise<{ release: () => Promise<void> }> {
    const other = new pg.Client({ connectionString: postgresUrl });
    await other.connect();
    await other.query('begin');
    await other.query(`lock table "${schema}".sip_accounts, "${schema}".sip_device_credentials in access exclusive mode`);
    return {
      release: async () => {
        await other.query('commit');
        await other.end();
      },
    };
  }

  function register(phone: RawPhone, callId: string, cseq: number, authorization?: string): string {
    return [
      `REGISTER sip:${service.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP 127.0.0.1:${phone.port};branch=z9hG4bK${randomToken()};rport`,
      'Max-Forwards: 70',
      `From: <sip:${phone.number}@${service.domain}>;tag=${randomToken()}`,
      `To: <sip:${phone.number}@${service.domain}>`,
      `Call-ID: ${callId}`,
      `CSeq: ${cseq} REGISTER`,
      `Contact: ${phone.contact}`,
      'Expires: 600',
      ...(authorization ? [`Authorization: ${authorization}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  function newInvite(from: RawPhone, to: string): string {
    return [
      `INVITE sip:${to}@${service.domain} SIP/2.0`,
      `Via: ${from.via()}`,
      'Max-Forwards: 70',
      `From: <sip:${from.number}@${service.domain}>;tag=${randomToken()}`,
      `To: <sip:${to}@${service.domain}>`,
      `Call-ID: ${randomToken()}`,
      'CSeq: 1 INVITE',
      `Contact: ${from.contact}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  it('answers part of the new requests 503 with Retry-After once senders waited on a busy node, and lets dialogs finish', async () => {
    // A call admitted before the overload.
    const call = await alice.call('3401');

    // Carol's REGISTER is challenged, then its answer waits for her account behind the lock and is
    // retransmitted meanwhile (sent again byte for byte, as Timer E would): the node is late.
    const callId = randomToken();
    carol.send(register(carol, callId, 1));
    const challenge = await carol.nextResponse(/^SIP\/2\.0 401/);
    const authorization = digestAuthorization({
      challenge: header(challenge, 'WWW-Authenticate')!,
      username: '3402',
      password: 'pw3402',
      method: 'REGISTER',
      uri: `sip:${service.domain}`,
    });
    const answer = register(carol, callId, 2, authorization);
    const lock = await holdAccountReads();
    try {
      for (let copy = 0; copy < 7; copy += 1) carol.send(answer);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(carol.received.filter((m) => /^SIP\/2\.0 [12]\d\d/.test(m))).toHaveLength(0);
    } finally {
      await lock.release();
    }
    expect(statusLine(await carol.nextResponse(/^SIP\/2\.0 200/))).toBe('SIP/2.0 200 OK');
    // The overload window of the late retransmissions ends (windows are 500 ms).
    await new Promise((resolve) => setTimeout(resolve, 600));

    // Within a dialog nothing is turned away: Alice hangs up, Bob hears it, Alice gets her 200.
    alice.send(alice.inDialog('BYE', call, { cseq: call.cseq + 1 }));
    await bob.nextRequest(/^BYE /);
    expect(statusLine(await alice.nextResponse(/^SIP\/2\.0 200/))).toBe('SIP/2.0 200 OK');

    // New calls: the first is turned away at once, and some get through (here to their challenge).
    const statuses: string[] = [];
    let turnedAway = '';
    for (let attempt = 0; attempt < 6; attempt += 1) {
      alice.send(newInvite(alice, '3401'));
      const response = await alice.nextResponse(/^SIP\/2\.0 (503|407)/);
      statuses.push(statusLine(response));
      if (response.startsWith('SIP/2.0 503')) turnedAway ||= response;
    }
    expect(statuses[0]).toBe('SIP/2.0 503 Service Unavailable (overloaded)');
    expect(statuses).toContain('SIP/2.0 407 Proxy Authentication Required');
    const retryAfter = Number(header(turnedAway, 'Retry-After'));
    expect(retryAfter).toBeGreaterThanOrEqual(3);
    expect(retryAfter).toBeLessThanOrEqual(7);

    const metrics = (await service.app.inject('/metrics')).body;
    const shed = /videophone_sip_refused_total\{reason="overloaded"\} (\d+)/.exec(metrics)?.[1];
    expect(Number(shed)).toBe(statuses.filter((status) => status.startsWith('SIP/2.0 503')).length);
  });
});
