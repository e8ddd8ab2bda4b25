import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { freePort } from '../support/process.js';
import { randomToken } from '../support/raw-sip.js';
import { eventually, startSipJsParty } from '../support/sip-clients.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

describe('SIP over TLS and WebSocket', () => {
  let service: SipTestService;
  let tlsPort: number;

  beforeAll(async () => {
    tlsPort = await freePort();
    service = await startSipTestService({
      numbers: ['4000'],
      env: {
        SIP_TLS_PORT: String(tlsPort),
        DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-tls-')),
        SIP_ALLOWED_ORIGINS: 'https://phone.example',
      },
    });
  });
  afterAll(() => service?.close());

  const options = (transport: string) =>
    [
      `OPTIONS sip:${service.domain} SIP/2.0`,
      `Via: SIP/2.0/${transport} client.invalid;branch=z9hG4bK${randomToken()}`,
      'Max-Forwards: 70',
      `From: <sip:probe@${service.domain}>;tag=${randomToken()}`,
      `To: <sip:${service.domain}>`,
      `Call-ID: ${randomToken()}`,
      'CSeq: 1 OPTIONS',
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');

  it('answers over TLS with the self-signed development certificate for the SIP domain', async () => {
    const socket = tlsConnect({ host: '127.0.0.1', port: tlsPort, rejectUnauthorized: false, servername: service.domain });
    await new Promise<void>((resolve, reject) => {
      socket.once('secureConnect', () => resolve());
      socket.once('error', reject);
    });
    expect(socket.getPeerCertificate().subject.CN).toBe(service.domain);
    let received = '';
    socket.on('data', (chunk) => (received += chunk.toString()));
    socket.write(options('TLS'));
    await eventually(() => received.includes('\r\n\r\n'), 'the TLS response');
    expect(received.split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    socket.destroy();
  });

  it('accepts a WebSocket only with the sip subprotocol and an allowed origin (RFC 7118 §4)', async () => {
    const attempt = (protocols: string[], origin?: string) =>
      new Promise<string>((resolve) => {
        const ws = new WebSocket(service.wsUrl, protocols, origin ? { origin } : {});
        ws.on('open', () => {
          resolve(`open:${ws.protocol}`);
          ws.close();
        });
        ws.on('unexpected-response', (_request, response) => resolve(`refused:${response.statusCode}`));
        ws.on('error', () => undefined);
      });
    expect(await attempt(['sip'], 'https://phone.example')).toBe('open:sip');
    expect(await attempt(['chat'], 'https://phone.example')).toBe('refused:400');
    expect(await attempt(['sip'], 'https://evil.example')).toBe('refused:403');
    expect(await attempt(['sip'])).toBe('open:sip'); // terminals send no Origin
  });

  it('answers one message per WebSocket frame', async () => {
    const ws = new WebSocket(service.wsUrl, ['sip'], { origin: 'https://phone.example' });
    await new Promise((resolve) => ws.once('open', resolve));
    const reply = new Promise<string>((resolve) => ws.once('message', (data) => resolve(data.toString())));
    ws.send(options('WS'));
    expect((await reply).split('\r\n')[0]).toBe('SIP/2.0 200 OK');
    ws.close();
  });

  it('drops the registration of a WebSocket client when its connection closes (RFC 7118 §5, RFC 5626)', async () => {
    const party = await startSipJsParty(service.wsUrl, service.domain, '4000');
    expect(service.sip!.location.lookup('4000', service.clock.now().getTime())).toHaveLength(1);
    // The transport goes away without an unregister, as when a laptop lid closes.
    await party.ua.transport.disconnect();
    await eventually(() => service.sip!.location.lookup('4000', service.clock.now().getTime()).length === 0, 'the binding to be dropped');
    await party.stop();
  });
});
