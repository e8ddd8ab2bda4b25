import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/process.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import {
  baresipInstalled,
  linphonecInstalled,
  startBaresip,
  startLinphonec,
  type Baresip,
  type Linphonec,
  type TerminalTransport,
} from '../support/terminals.js';

/**
 * Terminals people actually use, with their digest settings as shipped: baresip (libre) answers
 * only MD5 challenges and gives up on a response that carries any other (issue #10); linphonec
 * (belle-sip) answers the topmost challenge it supports. Both register over UDP, TCP and TLS (the
 * service's self-signed development certificate) and call each other through the proxy.
 */
const ci = process.env.CI === 'true';

describe.skipIf(!(baresipInstalled && linphonecInstalled) && !ci)('real terminals (baresip, linphonec) against the service', () => {
  let service: SipTestService;
  let tlsPort: number;
  let dataDir: string;
  const terminals: { stop: () => Promise<void> }[] = [];

  beforeAll(async () => {
    tlsPort = await freePort();
    dataDir = mkdtempSync(path.join(tmpdir(), 'vp-terminals-'));
    service = await startSipTestService({
      numbers: ['6000', '6001', '6002', '6003', '6004', '6005', '6006', '6007', '6010', '6011'],
      env: { SIP_TLS_PORT: String(tlsPort), DATA_DIR: dataDir },
    });
  });
  afterAll(async () => {
    await Promise.all(terminals.map((terminal) => terminal.stop()));
    await service?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  const portFor = (transport: TerminalTransport) => (transport === 'tls' ? tlsPort : service.sipPort);
  const bindingsOf = (number: string) => service.sip!.location.lookup(number, service.clock.now().getTime());

  async function baresip(number: string, transport: TerminalTransport, autoAnswer = false): Promise<Baresip> {
    const terminal = await startBaresip({
      number,
      password: `pw${number}`,
      domain: service.domain,
      transport,
      port: portFor(transport),
      autoAnswer,
    });
    terminals.push(terminal);
    return terminal;
  }

  const transports: [TerminalTransport, string, string][] = [
    ['udp', '6000', '6001'],
    ['tcp', '6002', '6003'],
    ['tls', '6004', '6005'],
  ];

  describe.each(transports)('baresip over %s', (transport, caller, callee) => {
    let alice: Baresip;
    let bob: Baresip;

    beforeAll(async () => {
      [alice, bob] = await Promise.all([baresip(caller, transport), baresip(callee, transport, true)]);
    });

    it('registers with its default digest settings', async () => {
      await Promise.all([alice.registered(), bob.registered()]);
      for (const number of [caller, callee]) {
        expect(bindingsOf(number)).toEqual([
          expect.objectContaining({
            userAgent: expect.stringMatching(/^baresip/),
            flow: expect.objectContaining({ protocol: transport.toUpperCase() }),
          }),
        ]);
      }
    });

    it('calls another baresip, which answers on its own; the call record goes answered, then completed', async () => {
      expect((await alice.command('dial', `sip:${callee}@${service.domain}`)).ok).toBe(true);
      await bob.waitFor('CALL_ESTABLISHED');
      await alice.waitFor('CALL_ESTABLISHED');
      const record = () => service.ctx.db.selectFrom('call_records').selectAll().where('caller', '=', caller).executeTakeFirstOrThrow();
      expect(await record()).toMatchObject({ callee, status: 'answered' });

      expect((await alice.command('hangup')).ok).toBe(true);
      await Promise.all([alice.waitFor('CALL_CLOSED'), bob.waitFor('CALL_CLOSED')]);
      // The BYE's 200 reaches both ends before the record is written; give it a moment, bounded.
      for (let tries = 0; tries < 50 && (await record()).status !== 'completed'; tries++)
        await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await record()).toMatchObject({ callee, status: 'completed', hung_up_by: 'caller' });
    });
  });

  describe('linphonec', () => {
    let linphone: Linphonec;

    it('registers over UDP with its default digest settings', async () => {
      linphone = await startLinphonec({
        number: '6010',
        password: 'pw6010',
        domain: service.domain,
        transport: 'udp',
        port: service.sipPort,
      });
      terminals.push(linphone);
      await linphone.registered();
      expect(bindingsOf('6010')).toHaveLength(1);
    });
  });
});
