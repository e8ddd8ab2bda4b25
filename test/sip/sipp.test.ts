import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/process.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';
import {
  describeRun,
  runSipp,
  sippInstalled,
  sippPath,
  startSipp,
  writeInjectionFile,
  type SippResult,
  type SippTransport,
} from '../support/sipp.js';

/**
 * The registrar and proxy as SIPp sees them, over UDP and over TCP: the scenarios in bench/sipp/
 * are the ones the benchmark runs, so a scenario that no longer passes here cannot produce numbers.
 * A callee is a sipp that registers from its own socket (over TCP: its own connection, which the
 * binding's flow names, RFC 5626) and answers incoming calls with an out-of-call scenario.
 */
const ci = process.env.CI === 'true';
const callers = ['1000', '1002', '1003', '1004'];
const callee = '1001';
const unknown = '1999';
/** How long a callee stays registered; the caller's part takes well under a second. */
const calleeStaysMs = 3_000;

describe.skipIf(!sippInstalled && !ci).each<[string, SippTransport]>([
  ['UDP', 'u1'],
  ['TCP', 't1'],
])('SIPp against the registrar and proxy over %s', (_name, transport) => {
  let service: SipTestService;
  let dir: string;
  let target: string;

  beforeAll(async () => {
    if (!sippInstalled) throw new Error(`CI=true needs sipp at ${sippPath}: apt-get install sip-tester`);
    service = await startSipTestService({ numbers: [...callers, callee] });
    target = `127.0.0.1:${service.sipPort}`;
    dir = mkdtempSync(path.join(tmpdir(), 'vp-sipp-test-'));
    writeInjectionFile(path.join(dir, 'callers.csv'), callers, service.domain);
    writeInjectionFile(path.join(dir, 'callee.csv'), [callee], service.domain);
  });

  afterAll(async () => {
    await service?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Each sipp writes its statistics and traces into a directory of its own. */
  const runDir = () => mkdtempSync(path.join(dir, 'run-'));

  const bindingsOf = (number: string) => service.sip!.location.lookup(number, service.clock.now().getTime());

  /** The callee's sipp, registered and waiting; it exits on its own `calleeStaysMs` later. */
  async function startCallee(answer: 'uas-answer.xml' | 'uas-ring.xml') {
    const localPort = await freePort();
    const sipp = startSipp({
      scenario: 'uas-register.xml',
      outOfCallScenario: answer,
      target,
      transport,
      localPort,
      injectionFile: path.join(dir, 'callee.csv'),
      authUri: service.domain,
      calls: 1,
      pauseMs: calleeStaysMs,
      traceMessages: true,
      dir: runDir(),
      timeoutMs: calleeStaysMs + 15_000,
    });
    const started = Date.now();
    while (!bindingsOf(callee).some((binding) => binding.contact.includes(`:${localPort};`))) {
      if (Date.now() - started > 5_000) {
        sipp.kill();
        throw new Error(`the callee never registered\n${describeRun(await sipp.done)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return sipp;
  }

  async function call(scenario: string, from: string, to: string): Promise<SippResult> {
    return runSipp({
      scenario,
      target,
      transport,
      localPort: await freePort(),
      injectionFile: writeInjectionFile(path.join(dir, `caller-${from}.csv`), [from], service.domain),
      service: to,
      authUri: `${to}@${service.domain}`,
      calls: 1,
      pauseMs: 100,
      traceMessages: true,
      dir: runDir(),
      timeoutMs: 15_000,
    });
  }

  function expectAllSucceeded(result: SippResult, calls: number) {
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(result.stats, describeRun(result)).toMatchObject({ successful: calls, failed: 0 });
  }

  it('four phones register with digest authentication: each REGISTER is challenged with 401 and then bound with 200', async () => {
    const localPort = await freePort();
    const result = await runSipp({
      scenario: 'register.xml',
      target,
      transport,
      localPort,
      injectionFile: path.join(dir, 'callers.csv'),
      authUri: service.domain,
      calls: callers.length,
      rate: 10,
      traceMessages: true,
      dir: runDir(),
      timeoutMs: 15_000,
    });

    expectAllSucceeded(result, callers.length);
    const messages = result.messages();
    expect(messages.match(/^SIP\/2\.0 401 /gm)).toHaveLength(callers.length);
    expect(messages.match(/^Authorization: Digest .*uri="sip:vp\.test".*algorithm=MD5/gm)).toHaveLength(callers.length);
    // §10.3 step 8: each 200 lists the binding just made, with the granted lifetime.
    for (const number of callers) {
      const contact = `<sip:${number}@127.0.0.1:${localPort};transport=${transport === 'u1' ? 'UDP' : 'TCP'}>;expires=3600`;
      expect(messages).toContain(`Contact: ${contact}`);
    }
  });

  it('1000 calls 1001; the phone rings and is answered; 1000 hangs up; the call record says completed, hung up by the caller', async () => {
    const phone = await startCallee('uas-answer.xml');
    const caller = await call('uac-call.xml', '1000', callee);
    const calleeRun = await phone.done;

    expectAllSucceeded(caller, 1);
    expectAllSucceeded(calleeRun, 1);
    // The phone removed its binding as it left (§10.2.2, Expires: 0).
    expect(bindingsOf(callee)).toEqual([]);
    // Both Record-Route entries of the double record-route reach the callee (RFC 5658 §3.2).
    expect(calleeRun.messages()).toMatch(/^Record-Route: <sip:[^>]+;lr>, ?<sip:[^>]+;lr>|^Record-Route:[^\n]+\nRecord-Route:/m);
    const callId = /^Call-ID: (\S+)/m.exec(caller.messages())![1]!;
    const record = await service.ctx.db.selectFrom('call_records').selectAll().where('call_id', '=', callId).executeTakeFirst();
    expect(record).toMatchObject({ caller: '1000', callee, status: 'completed', hung_up_by: 'caller', final_status: 200 });
  });

  it('1002 calls 1001 and gives up while it rings: CANCEL gets 200, the INVITE ends with 487, and the call record says cancelled', async () => {
    const phone = await startCallee('uas-ring.xml');
    const caller = await call('uac-cancel.xml', '1002', callee);
    const calleeRun = await phone.done;

    expectAllSucceeded(caller, 1);
    expectAllSucceeded(calleeRun, 1);
    // §16.10: the CANCEL went on to the ringing phone, which answered it and its INVITE (487).
    expect(calleeRun.messages()).toMatch(/^CANCEL sip:1001@/m);
    expect(calleeRun.messages()).toMatch(/^SIP\/2\.0 487 /m);
    const callId = /^Call-ID: (\S+)/m.exec(caller.messages())![1]!;
    const record = await service.ctx.db.selectFrom('call_records').selectAll().where('call_id', '=', callId).executeTakeFirst();
    expect(record).toMatchObject({ caller: '1002', callee, status: 'cancelled', final_status: 487 });
  });

  it('1003 dials a number nobody has: after authenticating the INVITE it gets 404 and acknowledges it', async () => {
    const result = await call('uac-unknown.xml', '1003', unknown);

    expectAllSucceeded(result, 1);
    expect(result.messages()).toMatch(/^SIP\/2\.0 404 /m);
  });
});
