/**
 * Part 3 of `npm run bench:charging`: the cutoff end to end, through the real SIP service.
 *
 * The whole service (`createService`, real clock, jobs off) runs in this process on its own pool
 * over the bench's schema, listening on loopback. A sipp callee registers and answers every call at
 * once (bench/sipp/uas-answer.xml); a sipp caller places one call per subscriber (digest, 407, ACK,
 * 200, ACK) and then waits for the proxy's BYE, answering it 200 (the scenario below). Each caller
 * has a limit worth exactly `limitSeconds` of calling and no other call, so its headroom ends
 * `limitSeconds` after the answer; sipp's response-time timer 1 runs from the 200 it receives to the
 * BYE it receives, so timer − limitSeconds is the cutoff delay as the caller's phone sees it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { provisionSipAccounts } from '../src/calls/index.js';
import { systemClock } from '../src/platform/clock.js';
import { loadConfig } from '../src/platform/config/config.js';
import { openPostgres } from '../src/platform/db/database.js';
import { createService } from '../src/service.js';
import { freePort } from '../test/support/process.js';
import { describeRun, runSipp, sippInstalled, startSipp, writeInjectionFile } from '../test/support/sipp.js';

export { sippInstalled };

export interface SipCutoffResult {
  callers: number;
  created: number;
  failed: number;
  /** Per call: BYE received − (200 received + limitSeconds), from sipp's timer (1 ms resolution). */
  delaysMs: number[];
  /** Per call, from the call record the proxy closed: ended − answered − limitSeconds. */
  recordedDelaysMs: number[];
  /** The records' end reasons, counted. */
  endReasons: Map<string, number>;
  sippFailure: string | null;
}

/** The caller: INVITE → 407 → ACK → INVITE with credentials → 180 → 200 → ACK, then the proxy's BYE → 200. */
const callerScenario = `<?xml version="1.0" encoding="UTF-8" ?>
<!DOCTYPE scenario SYSTEM "sipp.dtd">
<scenario name="caller talks until the proxy hangs up">
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[field1] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:[field0]@[field1]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[field1]>
      Call-ID: [call_id]
      CSeq: 1 INVITE
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      User-Agent: sipp
      Content-Length: 0

    ]]>
  </send>
  <recv response="100" optional="true" />
  <recv response="407" auth="true" />
  <send>
    <![CDATA[
      ACK sip:[service]@[field1] SIP/2.0
      [last_Via:]
      From: <sip:[field0]@[field1]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[field1]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 1 ACK
      Max-Forwards: 70
      User-Agent: sipp
      Content-Length: 0

    ]]>
  </send>
  <send retrans="500">
    <![CDATA[
      INVITE sip:[service]@[field1] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      From: <sip:[field0]@[field1]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[field1]>
      Call-ID: [call_id]
      CSeq: 2 INVITE
      Contact: <sip:[field0]@[local_ip]:[local_port];transport=[transport]>
      [field2]
      Max-Forwards: 70
      User-Agent: sipp
      Content-Type: application/sdp
      Content-Length: [len]

      v=0
      o=caller 1 1 IN IP[local_ip_type] [local_ip]
      s=-
      c=IN IP[media_ip_type] [media_ip]
      t=0 0
      m=video [media_port] RTP/AVP 96
      a=rtpmap:96 H264/90000

    ]]>
  </send>
  <recv response="100" optional="true" />
  <recv response="180" optional="true" />
  <recv response="200" rrs="true" start_rtd="1" />
  <send>
    <![CDATA[
      ACK [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch];rport
      [routes]
      From: <sip:[field0]@[field1]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[field1]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: 2 ACK
      Max-Forwards: 70
      User-Agent: sipp
      Content-Length: 0

    ]]>
  </send>
  <recv request="BYE" rtd="1" timeout="120000" />
  <send>
    <![CDATA[
      SIP/2.0 200 OK
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      User-Agent: sipp
      Content-Length: 0

    ]]>
  </send>
  <ResponseTimeRepartition value="1000, 5000, 10000, 20000, 30000, 60000" />
</scenario>
`;

export async function cutoffThroughSip(options: {
  url: string;
  schema: string;
  /** Billed numbers (digits only) whose limit is worth exactly `limitSeconds`, and who call nothing else. */
  callers: string[];
  limitSeconds: number;
  sliceSeconds: number;
  dataKeys: string;
  rate: number;
  log: (text: string) => void;
}): Promise<SipCutoffResult> {
  const work = mkdtempSync(path.join(tmpdir(), 'vp-charging-sip-'));
  const httpPort = await freePort();
  const sipPort = await freePort();
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'silent',
    DATA_DIR: work,
    DATA_KEYS: options.dataKeys,
    HOST: '127.0.0.1',
    PORT: String(httpPort),
    SIP_HOST: '127.0.0.1',
    SIP_PORT: String(sipPort),
    SIP_ADVERTISED_ADDRESS: '127.0.0.1',
    SIP_RATE_LIMIT_PER_SECOND: '1000000',
    SIP_RATE_LIMIT_BURST: '1000000',
    NODE_ID: `bench-sip-${options.schema}`,
    JOBS_ENABLED: 'false',
    VP_CREDIT_SLICE_SECONDS: String(options.sliceSeconds),
  });
  // The service's own pool (DATABASE_POOL_SIZE's default), on the bench's schema.
  const database = await openPostgres(options.url, 10, { searchPath: options.schema });
  const service = await createService(config, { clock: systemClock, database, logger: pino({ level: 'silent' }), webRoot: null });
  const domain = config.sip.domain;
  const callee = '8610999000';
  const target = `127.0.0.1:${sipPort}`;
  try {
    await provisionSipAccounts(
      service.ctx.db,
      domain,
      [...options.callers, callee].map((number) => ({ number, password: `pw${number}` })),
      systemClock.now(),
    );
    await service.listen();
    const callers = writeInjectionFile(path.join(work, 'callers.csv'), options.callers, domain);
    const calleeFile = writeInjectionFile(path.join(work, 'callee.csv'), [callee], domain);
    const calleePort = await freePort();
    const registered = await runSipp({
      scenario: 'register.xml',
      target,
      transport: 'u1',
      localPort: calleePort,
      injectionFile: calleeFile,
      authUri: domain,
      calls: 1,
      timeoutMs: 10_000,
      dir: mkdtempSync(path.join(work, 'register-')),
    });
    if (registered.exitCode !== 0) throw new Error(`the callee could not register\n${describeRun(registered)}`);
    const answering = startSipp({
      scenario: 'uas-answer.xml',
      transport: 'u1',
      localPort: calleePort,
      timeoutMs: 600_000,
      dir: mkdtempSync(path.join(work, 'callee-')),
    });
    const callerDir = mkdtempSync(path.join(work, 'caller-'));
    writeFileSync(path.join(callerDir, 'uac-cutoff.xml'), callerScenario);
    options.log(
      `part 3: ${options.callers.length.toLocaleString('en')} sipp calls through the SIP service at ${options.rate}/s, ` +
        `each caller's limit worth ${options.limitSeconds} s …`,
    );
    const began = new Date();
    const run = await runSipp({
      scenario: 'uac-cutoff.xml',
      target,
      transport: 'u1',
      localPort: await freePort(),
      injectionFile: callers,
      service: callee,
      authUri: `${callee}@${domain}`,
      calls: options.callers.length,
      rate: options.rate,
      limit: options.callers.length,
      traceResponseTimes: true,
      timeoutMs: (options.callers.length / options.rate + options.limitSeconds + 150) * 1000,
      dir: callerDir,
    });
    answering.kill();
    await answering.done;
    // The proxy settles each call just after its BYE; give the last ones a moment.
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    const delaysMs = (run.responseTimes().get(1) ?? []).map((ms) => ms - options.limitSeconds * 1000);
    const records = await service.ctx.db
      .selectFrom('call_records')
      .select(['answered_at', 'ended_at', 'end_reason'])
      .where('caller', 'in', options.callers)
      .where('invited_at', '>=', began)
      .execute();
    const endReasons = new Map<string, number>();
    for (const record of records) endReasons.set(record.end_reason ?? '(none)', (endReasons.get(record.end_reason ?? '(none)') ?? 0) + 1);
    const recordedDelaysMs = records
      .filter((r) => r.answered_at && r.ended_at)
      .map((r) => r.ended_at!.getTime() - r.answered_at!.getTime() - options.limitSeconds * 1000);
    const ok = run.exitCode === 0 || run.exitCode === 1;
    return {
      callers: options.callers.length,
      created: run.stats?.created ?? 0,
      failed: run.stats?.failed ?? 0,
      delaysMs,
      recordedDelaysMs,
      endReasons,
      sippFailure: ok && (run.stats?.failed ?? 0) === 0 ? null : describeRun(run).slice(-3000),
    };
  } finally {
    await service.close();
    await database.close();
    rmSync(work, { recursive: true, force: true });
  }
}
