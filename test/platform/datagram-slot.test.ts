import { describe, expect, it } from 'vitest';
import { callIdBounds, dispatchHeaders, routePort, slotOfDatagram, slotOfSource, topRoutePort } from '../../src/platform/cluster/index.js';

/** Issue #17: which worker handles a datagram on the public UDP port (whichever worker read it). */
const request = (callIdLine: string, extra: string[] = []) =>
  Buffer.from(
    [
      'INVITE sip:2001@vp.test SIP/2.0',
      'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKabc',
      'Max-Forwards: 70',
      ...extra,
      callIdLine,
      'CSeq: 1 INVITE',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n'),
    'latin1',
  );

const valueOf = (data: Buffer) => {
  const bounds = callIdBounds(data);
  return bounds ? data.subarray(bounds.start, bounds.end).toString('latin1') : null;
};

describe('slotOfDatagram', () => {
  it('finds the Call-ID in its long and compact forms, in any case, with whitespace around the colon', () => {
    expect(valueOf(request('Call-ID: a84b4c76e66710@pc33'))).toBe('a84b4c76e66710@pc33');
    expect(valueOf(request('call-id:a84b4c76e66710@pc33'))).toBe('a84b4c76e66710@pc33');
    expect(valueOf(request('CALL-ID  \t:  a84b4c76e66710@pc33  '))).toBe('a84b4c76e66710@pc33');
    expect(valueOf(request('i: a84b4c76e66710@pc33'))).toBe('a84b4c76e66710@pc33');
    expect(valueOf(request('I : a84b4c76e66710@pc33'))).toBe('a84b4c76e66710@pc33');
  });

  it('is not fooled by headers whose names start like it, nor by a Call-ID in the body', () => {
    const lookalikes = ['Call-Info: <http://x>', 'Identity: abc', 'In-Reply-To: other@host', 'Call-IDx: nope'];
    expect(valueOf(request('Call-ID: real@host', lookalikes))).toBe('real@host');
    const bodyOnly = Buffer.from('OPTIONS sip:x SIP/2.0\r\nCSeq: 1 OPTIONS\r\n\r\nCall-ID: in-the-body\r\n', 'latin1');
    expect(callIdBounds(bodyOnly)).toBeNull();
  });

  it('sends every datagram of one Call-ID to one worker, whatever its source and header form', () => {
    for (const slots of [2, 3, 8]) {
      const expected = slotOfDatagram(request('Call-ID: same-call@host'), '192.0.2.1', 5060, slots);
      expect(slotOfDatagram(request('i:same-call@host'), '198.51.100.7', 40000, slots)).toBe(expected);
      expect(slotOfDatagram(request('call-id :  same-call@host'), '192.0.2.1', 5062, slots)).toBe(expected);
    }
  });

  it("spreads one source's calls over every worker", () => {
    const counts = [0, 0, 0, 0];
    for (let call = 0; call < 4000; call += 1)
      counts[slotOfDatagram(request(`Call-ID: ${call}-f81d4fae@192.0.2.1`), '192.0.2.1', 5060, 4)]! += 1;
    for (const count of counts) expect(count).toBeGreaterThan(800);
  });

  it('sends keep-alives and anything without a Call-ID by its source', () => {
    const keepAlive = Buffer.from('\r\n\r\n', 'latin1');
    const stun = Buffer.from('000100002112a442000000000000000000000000', 'hex');
    for (const data of [keepAlive, stun, Buffer.alloc(0), request('Subject: no call id')]) {
      expect(slotOfDatagram(data, '192.0.2.9', 5070, 3)).toBe(slotOfSource('192.0.2.9', 5070, 3));
    }
    expect(slotOfDatagram(request('Call-ID: x'), '192.0.2.9', 5070, 1)).toBe(0);
  });
});

describe("topRoutePort: the worker a routed request names (its own port in the dialog's Record-Route)", () => {
  const bye = (...headers: string[]) =>
    Buffer.from(
      ['BYE sip:2101@192.0.2.20:40061 SIP/2.0', 'Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKx', ...headers, 'Call-ID: c@h', '', ''].join(
        '\r\n',
      ),
      'latin1',
    );

  it('reads the port of the first entry of the first Route header, in the forms RFC 3261 allows', () => {
    const token = '-am8M7SU-fuH9agI36jdKC1AzdRsTiriG4wW96Vhtl8za50';
    expect(topRoutePort(bye(`Route: <sip:${token}@127.0.0.1:49245;transport=udp;lr>, <sip:other@127.0.0.1:49246;lr>`))).toBe(49245);
    expect(topRoutePort(bye('route:<sip:proxy.example.com:5070;lr>', 'Route: <sip:later@192.0.2.1:6000;lr>'))).toBe(5070);
    expect(topRoutePort(bye('ROUTE : "edge" <sips:t@[2001:db8::1]:5061;lr>'))).toBe(5061);
    expect(topRoutePort(bye('Route: sip:192.0.2.5:5080;lr'))).toBe(5080);
  });

  it('is found in the same pass as the Call-ID, whichever comes first', () => {
    const callIdFirst = Buffer.from('BYE sip:x SIP/2.0\r\nCall-ID: c@h\r\nRoute: <sip:t@127.0.0.1:49245;lr>\r\n\r\n', 'latin1');
    for (const data of [bye('Route: <sip:t@127.0.0.1:49245;lr>'), callIdFirst]) {
      const headers = dispatchHeaders(data);
      expect(headers.callId && data.subarray(headers.callId.start, headers.callId.end).toString('latin1')).toBe('c@h');
      expect(routePort(data, headers.route)).toBe(49245);
    }
  });

  it('is null without a port, without a Route, for Record-Route only, and for responses', () => {
    expect(topRoutePort(bye('Route: <sip:proxy.example.com;lr>'))).toBeNull();
    expect(topRoutePort(bye('Route: <sip:[2001:db8::1];lr>'))).toBeNull();
    expect(topRoutePort(bye('Record-Route: <sip:t@127.0.0.1:49245;lr>'))).toBeNull();
    expect(topRoutePort(bye('Max-Forwards: 70'))).toBeNull();
    expect(topRoutePort(Buffer.from('SIP/2.0 200 OK\r\nRoute: <sip:t@127.0.0.1:49245;lr>\r\n\r\n', 'latin1'))).toBeNull();
    const bodyOnly = Buffer.from('BYE sip:x SIP/2.0\r\nCSeq: 1 BYE\r\n\r\nRoute: <sip:t@127.0.0.1:49245;lr>\r\n', 'latin1');
    expect(topRoutePort(bodyOnly)).toBeNull();
  });
});

describe("a SIP worker's share of the per-source rate limit", () => {
  it('is 1/N of the node’s rate and burst (rounded up), so the node admits what one process would', async () => {
    const { loadConfig } = await import('../../src/platform/config/index.js');
    const { workerSettings } = await import('../../src/cli/serve-cluster.js');
    const settings = loadConfig({
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/test',
      REDIS_URL: 'redis://127.0.0.1:6379/9',
      SIP_WORKERS: '3',
      SIP_RATE_LIMIT_PER_SECOND: '200',
      SIP_RATE_LIMIT_BURST: '400',
      NODE_ID: 'node-a',
    });
    const worker = workerSettings(settings, 1);
    expect(worker.nodeId).toBe('node-a/w1');
    expect(worker.sip.edge.rateLimitPerSecond).toBe(67);
    expect(worker.sip.edge.rateLimitBurst).toBe(134);
    expect(settings.sip.edge.rateLimitPerSecond).toBe(200);
  });
});
