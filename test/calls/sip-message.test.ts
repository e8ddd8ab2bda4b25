import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RawPhone } from '../support/raw-phone.js';
import { header } from '../support/raw-sip.js';
import { startSipJsParty, type SipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

const NOTICE = '系统维护通知：12月5日 02:00–04:00 网络升级，通话可能中断。Maintenance on 5 Dec, 02:00–04:00: calls may drop. 🛠️';

/** The body of a raw SIP message as text (after the blank line). */
function bodyOf(message: string): string {
  return message.slice(message.indexOf('\r\n\r\n') + 4);
}

/** A final response to a request a raw phone received, built from RFC 3261 §8.2.6. */
function responseTo(request: string, status: number, reason: string): string {
  const copied = request.split('\r\n').filter((line) => /^(Via|From|Call-ID|CSeq):/i.test(line));
  return [`SIP/2.0 ${status} ${reason}`, ...copied, `To: ${header(request, 'To')};tag=refused`, 'Content-Length: 0', '', ''].join('\r\n');
}

describe('server-originated MESSAGE to a subscriber’s registered devices (RFC 3428)', () => {
  let service: SipTestService;
  let liWeiBrowser: SipJsParty;
  let liWeiDesk: RawPhone;
  let busyPhone: RawPhone;
  let silentPhone: RawPhone;

  beforeAll(async () => {
    // Short transaction timers, so a device that never answers is given up on (Timer F) in 3.2 s.
    service = await startSipTestService({ numbers: ['5000', '5001', '5002', '5003'], sipTimers: { T1: 50, T2: 400, T4: 500 } });
    liWeiBrowser = await startSipJsParty(service.wsUrl, service.domain, '5000');
    liWeiDesk = await RawPhone.open({ number: '5000', domain: service.domain, proxyPort: service.sipPort });
    await liWeiDesk.register();
    busyPhone = await RawPhone.open({ number: '5001', domain: service.domain, proxyPort: service.sipPort });
    await busyPhone.register();
    busyPhone.autoAnswer = false;
    silentPhone = await RawPhone.open({ number: '5002', domain: service.domain, proxyPort: service.sipPort });
    await silentPhone.register();
    silentPhone.autoAnswer = false;
  });
  afterAll(async () => {
    await liWeiBrowser?.stop();
    for (const phone of [liWeiDesk, busyPhone, silentPhone]) phone?.close();
    await service?.close();
  });

  it('Li Wei’s browser (SIP.js over WebSocket) and desk phone (UDP) both get the notice, Chinese text intact, and both count as delivered', async () => {
    const outcome = await service.sip!.messenger.sendText(['5000'], NOTICE, { priority: 'urgent' });
    expect(outcome).toEqual({ devices: 2, delivered: 2 });

    expect(liWeiBrowser.messages).toHaveLength(1);
    const seen = liWeiBrowser.messages[0]!.request;
    expect(seen.body).toBe(NOTICE);
    expect(seen.getHeader('Content-Type')).toBe('text/plain;charset=UTF-8');
    expect(seen.from.uri.toString()).toBe(`sip:notices@${service.domain}`);
    expect(seen.from.displayName).toBe('Videophone');

    const datagram = await liWeiDesk.nextRequest(/^MESSAGE /);
    expect(bodyOf(datagram)).toBe(NOTICE);
    // §4: the Request-URI is the device's contact, To the address of record, From the operator with a tag.
    expect(datagram.split('\r\n')[0]).toBe(`MESSAGE sip:5000@127.0.0.1:${liWeiDesk.port} SIP/2.0`);
    expect(header(datagram, 'To')).toBe(`<sip:5000@${service.domain}>`);
    expect(header(datagram, 'From')).toMatch(new RegExp(`^"Videophone" <sip:notices@${service.domain}>;tag=\\S+$`));
    expect(header(datagram, 'CSeq')).toBe('1 MESSAGE');
    expect(header(datagram, 'Max-Forwards')).toBe('70');
    expect(header(datagram, 'Priority')).toBe('urgent');
    expect(header(datagram, 'Via')).toMatch(/^SIP\/2\.0\/UDP 127\.0\.0\.1:\d+;branch=z9hG4bK/);
    expect(Number(header(datagram, 'Content-Length'))).toBe(Buffer.byteLength(NOTICE));
  });

  it('a long notice reaches the browser whole, and the UDP phone cut to fit 1300 bytes, at a character, with an ellipsis (RFC 3428 §9)', async () => {
    const long = '网络扩容与升级期间，您的号码将保持不变。'.repeat(60); // 3,420 bytes of UTF-8
    const outcome = await service.sip!.messenger.sendText(['5000'], long);
    expect(outcome).toEqual({ devices: 2, delivered: 2 });
    expect(liWeiBrowser.messages.at(-1)!.request.body).toBe(long);
    // This one's own request (with T1 at 50 ms, retransmissions of the first notice may still arrive).
    const datagram = await liWeiDesk.nextRequest(/^MESSAGE [\s\S]*\r\n\r\n网络扩容/);
    expect(Buffer.byteLength(datagram)).toBeLessThanOrEqual(1300);
    const text = bodyOf(datagram);
    expect(text.endsWith('…')).toBe(true);
    expect(long.startsWith(text.slice(0, -1))).toBe(true);
    expect(text.length).toBeGreaterThan(200);
  });

  it('a device that refuses with 480 is counted as reached but not delivered', async () => {
    const sending = service.sip!.messenger.sendText(['5001'], NOTICE);
    const request = await busyPhone.nextRequest(/^MESSAGE /);
    busyPhone.send(responseTo(request, 480, 'Temporarily Unavailable'));
    expect(await sending).toEqual({ devices: 1, delivered: 0 });
  });

  it('a device that never answers is given up on at Timer F and not counted as delivered; the one that answers still is', async () => {
    const started = Date.now();
    const outcome = await service.sip!.messenger.sendText(['5002', '5000'], NOTICE);
    expect(outcome).toEqual({ devices: 3, delivered: 2 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3000);
    // Over UDP the request was retransmitted (Timer E) while it went unanswered.
    expect(silentPhone.requests.filter((text) => text.startsWith('MESSAGE ')).length).toBeGreaterThan(1);
  });

  it('a number with no registered device gets nothing and counts no device', async () => {
    expect(await service.sip!.messenger.sendText(['5003'], NOTICE)).toEqual({ devices: 0, delivered: 0 });
    expect(await service.sip!.messenger.sendText([], NOTICE)).toEqual({ devices: 0, delivered: 0 });
  });
});
