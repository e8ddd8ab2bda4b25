import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logging.js';
import { RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import { metricValue } from '../support/test-service.js';

interface LogLine {
  msg: string;
  source?: string;
  reason?: string;
  unlogged?: number;
}

/**
 * Requests anyone can send by the thousand (a BYE for a dialog that does not exist, a forged route
 * set, a request to relay) are each answered and counted, but logged at most once a minute per
 * source address: one line each would turn a flood of datagrams into a flood of log lines.
 */
describe('refusals at the SIP edge are counted, and logged once a minute per source', () => {
  let service: SipTestService;
  let mallory: RawUdpPeer;
  let eve: RawUdpPeer;
  const lines: LogLine[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', { destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) } });
    service = await startSipTestService({ numbers: ['2200', '2201'], logger });
    mallory = await RawUdpPeer.open('127.0.0.2');
    eve = await RawUdpPeer.open('127.0.0.3');
  });
  afterAll(async () => {
    mallory?.close();
    eve?.close();
    await service?.close();
  });

  const refusedSeries = (reason: string) => metricValue(service, `videophone_sip_refused_total{reason="${reason}"}`);

  /** A BYE with a To tag and no route set: in-dialog by its tags, and of no dialog this proxy made. */
  function strayBye(peer: RawUdpPeer, route?: string): string {
    return [
      `BYE sip:2201@${service.domain} SIP/2.0`,
      `Via: SIP/2.0/UDP ${peer.address}:${peer.port};branch=z9hG4bK${randomToken()};rport`,
      'Max-Forwards: 70',
      `From: <sip:2200@${service.domain}>;tag=${randomToken()}`,
      `To: <sip:2201@${service.domain}>;tag=${randomToken()}`,
      `Call-ID: ${randomToken()}`,
      'CSeq: 2 BYE',
      ...(route ? [`Route: ${route}`] : []),
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  const refusalLines = (source: string) => lines.filter((line) => line.msg === 'SIP in-dialog request refused' && line.source === source);

  it('answers every stray BYE 481 and counts each, with one log line for the burst', async () => {
    const before = await refusedSeries('unknown-dialog');
    for (let i = 0; i < 40; i += 1) {
      mallory.send(strayBye(mallory), service.sipPort);
      expect(statusLine(await mallory.next())).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    }
    expect((await refusedSeries('unknown-dialog')) - before).toBe(40);
    expect(refusalLines('127.0.0.2')).toEqual([expect.objectContaining({ reason: 'Call/Transaction Does Not Exist', unlogged: 0 })]);

    // Another address is another source: its first refusal is logged too.
    eve.send(strayBye(eve), service.sipPort);
    expect(statusLine(await eve.next())).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    expect(refusalLines('127.0.0.3')).toHaveLength(1);
  });

  it('counts forged route sets by what was wrong, under the same per-source line', async () => {
    const before = await refusedSeries('forged-route');
    const forged = `<sip:${randomToken()}@127.0.0.1:${service.sipPort};lr>`;
    for (let i = 0; i < 5; i += 1) {
      mallory.send(strayBye(mallory, forged), service.sipPort);
      expect(statusLine(await mallory.next())).toBe('SIP/2.0 403 Route not issued by this proxy');
    }
    expect((await refusedSeries('forged-route')) - before).toBe(5);
    expect(refusalLines('127.0.0.2')).toHaveLength(1);
  });

  it('logs a source again once a minute has passed, saying how many refusals went unlogged', async () => {
    service.clock.advance({ seconds: 61 });
    mallory.send(strayBye(mallory), service.sipPort);
    expect(statusLine(await mallory.next())).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    const logged = refusalLines('127.0.0.2');
    expect(logged).toHaveLength(2);
    // 39 BYEs and 5 forged routes after the first line.
    expect(logged[1]).toMatchObject({ unlogged: 44 });
  });

  it('counts a BYE without a To tag, which can belong to no dialog, as an unknown dialog', async () => {
    const before = await refusedSeries('unknown-dialog');
    eve.send(strayBye(eve).replace(/^(To: <[^>]*>);tag=\S+$/m, '$1'), service.sipPort);
    expect(statusLine(await eve.next())).toBe('SIP/2.0 481 Call/Transaction Does Not Exist');
    expect((await refusedSeries('unknown-dialog')) - before).toBe(1);
  });

  it('counts requests to relay elsewhere', async () => {
    const before = await refusedSeries('relay');
    mallory.send(
      [
        'MESSAGE sip:someone@elsewhere.example SIP/2.0',
        `Via: SIP/2.0/UDP 127.0.0.2:${mallory.port};branch=z9hG4bK${randomToken()};rport`,
        'Max-Forwards: 70',
        `From: <sip:2200@${service.domain}>;tag=${randomToken()}`,
        'To: <sip:someone@elsewhere.example>',
        `Call-ID: ${randomToken()}`,
        'CSeq: 1 MESSAGE',
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
      service.sipPort,
    );
    expect(statusLine(await mallory.next())).toBe('SIP/2.0 403 Relaying denied');
    expect((await refusedSeries('relay')) - before).toBe(1);
  });
});
