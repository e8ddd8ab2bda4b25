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
      numbers: ['6000', '6001', '6002', '6003', '6004', '6005', '6010', '6011', '6012', '6013', '6014', '6015', '6016'],
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

  async function linphonec(number: string, transport: TerminalTransport, autoAnswer = false): Promise<Linphonec> {
    const terminal = await startLinphonec({
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

  it.each<[TerminalTransport, string]>([
    ['udp', '6010'],
    ['tcp', '6011'],
    ['tls', '6012'],
  ])('linphonec registers over %s with its default digest settings', async (transport, number) => {
    const linphone = await linphonec(number, transport);
    await linphone.registered();
    expect(bindingsOf(number)).toEqual([
      expect.objectContaining({
        userAgent: expect.stringMatching(/^Linphonec/),
        flow: expect.objectContaining({ protocol: transport.toUpperCase() }),
      }),
    ]);
  });

  it('linphonec calls baresip over UDP; baresip answers on its own; linphonec hangs up; the call record says completed', async () => {
    const [linphone, bob] = await Promise.all([linphonec('6013', 'udp'), baresip('6014', 'udp', true)]);
    await Promise.all([linphone.registered(), bob.registered()]);
    linphone.send(`call sip:6014@${service.domain}`);
    await bob.waitFor('CALL_ESTABLISHED').catch((error: Error) => {
      throw new Error(`${error.message}\nlinphonec:\n${linphone.output().slice(-5000)}`);
    });
    await linphone.waitFor(/connected/i);
    const record = () => service.ctx.db.selectFrom('call_records').selectAll().where('caller', '=', '6013').executeTakeFirstOrThrow();
    expect(await record()).toMatchObject({ callee: '6014', status: 'answered' });
    linphone.send('terminate');
    await bob.waitFor('CALL_CLOSED');
    for (let tries = 0; tries < 50 && (await record()).status !== 'completed'; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await record()).toMatchObject({ callee: '6014', status: 'completed', hung_up_by: 'caller' });
  });

  it('baresip calls linphonec over TCP; linphonec answers on its own; baresip hangs up; the call record says completed', async () => {
    const [alice, linphone] = await Promise.all([baresip('6015', 'tcp'), linphonec('6016', 'tcp', true)]);
    await Promise.all([alice.registered(), linphone.registered()]);
    expect((await alice.command('dial', `sip:6016@${service.domain}`)).ok).toBe(true);
    await alice.waitFor('CALL_ESTABLISHED').catch((error: Error) => {
      throw new Error(`${error.message}\nlinphonec:\n${linphone.output().slice(-5000)}`);
    });
    const record = () => service.ctx.db.selectFrom('call_records').selectAll().where('caller', '=', '6015').executeTakeFirstOrThrow();
    expect(await record()).toMatchObject({ callee: '6016', status: 'answered' });
    expect((await alice.command('hangup')).ok).toBe(true);
    await alice.waitFor('CALL_CLOSED');
    await linphone.waitFor(/Call \d+ with sip:6015@\S+ ended/);
    for (let tries = 0; tries < 50 && (await record()).status !== 'completed'; tries++)
      await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await record()).toMatchObject({ callee: '6016', status: 'completed', hung_up_by: 'caller' });
  });
});
