import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slotOfDatagram } from '../../src/platform/cluster/index.js';
import { postgresReachable, postgresUrl } from '../support/engines.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { describeRun, runSipp, sippInstalled, sippPath, startSipp, writeInjectionFile, type SippProcess } from '../support/sipp.js';

/**
 * Issue #17 "every core": SIP_WORKERS=2 worker processes behind one node's public SIP and HTTP ports,
 * on PostgreSQL and a Redis of the test's own. Both workers read the public UDP socket; whichever
 * reads a datagram hands it to the worker of its Call-ID: a retransmitted INVITE and a CANCEL find
 * the transaction they belong to, so no call reaches its callee twice, though one source's calls
 * spread over the workers.
 */
const ci = process.env.CI === 'true';
const redisServer = '/usr/bin/redis-server';
const domain = 'vp.test';

/** The process ids of a process's children. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

async function within(limitMs: number, what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > limitMs) throw new Error(`${what} did not happen within ${limitMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe.skipIf(!sippInstalled && !ci)('SIP_WORKERS=2: one node, two worker processes (issue #17)', () => {
  const dirs: string[] = [];
  const phones: SippProcess[] = [];
  let redis: ChildProcess | null = null;
  let redisPort = 0;
  let probe: Redis;
  let admin: pg.Client;
  let records: pg.Client;
  const database = `vp_workers_${randomBytes(4).toString('hex')}`;
  let node: ChildProcess | null = null;
  let output: { text: () => string } = { text: () => '' };
  let env: Record<string, string> = {};
  let sipPort = 0;
  let httpPort = 0;
  let available = true;

  const temporaryDir = (prefix: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };
  const listening = () => (output.text().match(/SIP worker listening on its own port too/g) ?? []).length;

  beforeAll(async () => {
    if (!sippInstalled) throw new Error(`CI=true needs sipp at ${sippPath}: apt-get install sip-tester`);
    if (!existsSync(redisServer)) {
      if (ci) throw new Error(`CI=true needs ${redisServer}: apt-get install redis-server`);
      available = false;
      return;
    }
    if (!(await postgresReachable())) {
      if (ci) throw new Error(`CI=true needs PostgreSQL at ${postgresUrl}`);
      available = false;
      return;
    }
    redisPort = await freePort();
    redis = spawn(
      redisServer,
      ['--port', String(redisPort), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', temporaryDir('vp-redis-')],
      { stdio: 'ignore' },
    );
    probe = new Redis({ port: redisPort, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    probe.on('error', () => undefined);
    await within(10_000, 'redis-server answering', async () => (await probe.ping().catch(() => '')) === 'PONG');
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    records = new pg.Client({ connectionString: url.toString() });
    await records.connect();
    httpPort = await freePort();
    sipPort = await freePort();
    env = {
      DATA_DIR: temporaryDir('vp-data-'),
      DATABASE_URL: url.toString(),
      REDIS_URL: `redis://127.0.0.1:${redisPort}`,
      SIP_WORKERS: '2',
      NODE_ID: 'node-w',
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      SIP_PORT: String(sipPort),
      SIP_HOST: '127.0.0.1',
      SIP_ADVERTISED_ADDRESS: '127.0.0.1',
      SIP_DOMAIN: domain,
      SIP_RATE_LIMIT_EXEMPT: '127.0.0.1',
      JOBS_ENABLED: 'false',
      LOG_LEVEL: 'info',
    };
    const provision = runCli(['sip', 'provision', '--from', '2200', '--to', '2209'], env);
    const provisioned = collectOutput(provision);
    expect(await exited(provision), provisioned.text()).toBe(0);
    node = runCli(['serve'], env);
    output = collectOutput(node);
    await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 180_000);
    await within(180_000, 'both workers listening', () => listening() >= 2);
  }, 400_000);

  afterAll(async () => {
    for (const phone of phones) phone.kill();
    if (node?.exitCode === null) {
      node.kill('SIGTERM');
      await Promise.race([exited(node), new Promise((resolve) => setTimeout(resolve, 30_000))]);
      if (node.exitCode === null) node.kill('SIGKILL');
    }
    probe?.disconnect();
    redis?.kill('SIGKILL');
    await records?.end();
    if (admin) {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  /** A sipp phone registered through the public port that answers (or rings until cancelled). */
  async function registerPhone(number: string, transport: 'u1' | 't1', answer: 'uas-answer.xml' | 'uas-ring.xml' = 'uas-answer.xml') {
    const dir = temporaryDir('vp-phone-');
    const phone = startSipp({
      scenario: 'uas-register.xml',
      outOfCallScenario: answer,
      target: `127.0.0.1:${sipPort}`,
      transport,
      localPort: await freePort(),
      injectionFile: writeInjectionFile(path.join(dir, 'phone.csv'), [number], domain),
      authUri: domain,
      calls: 1,
      pauseMs: 600_000,
      traceMessages: true,
      dir,
      timeoutMs: 600_000,
    });
    phones.push(phone);
    await within(30_000, `${number} registering`, async () => (await probe.hlen(`videophone:location:${number}`).catch(() => 0)) > 0);
    return { dir };
  }

  /** INVITEs the phone received (sipp's message trace): one per call when nothing is duplicated. */
  const invitesReceived = (dir: string) => (readFileSync(path.join(dir, 'messages.log'), 'utf8').match(/^INVITE sip:/gm) ?? []).length;
  /** The workers that forwarded the phone's INVITEs: each sends from, and names in its Via, its own private port. */
  const forwardingPorts = (dir: string) =>
    new Set(
      [
        ...readFileSync(path.join(dir, 'messages.log'), 'utf8').matchAll(
          /^INVITE sip:[^\n]*\n(?:[^\n]+\n)*?Via: SIP\/2\.0\/UDP [^:;\s]+:(\d+)/gm,
        ),
      ].map((match) => match[1]),
    );

  async function calls(from: string, to: string, count: number, transport: 'u1' | 't1') {
    const dir = temporaryDir('vp-caller-');
    return runSipp({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${sipPort}`,
      transport,
      localPort: await freePort(),
      injectionFile: writeInjectionFile(path.join(dir, 'caller.csv'), [from], domain),
      service: to,
      authUri: `${to}@${domain}`,
      calls: count,
      rate: 5,
      limit: 5,
      pauseMs: 200,
      dir,
      timeoutMs: 120_000,
    });
  }

  const recordsOf = async (callee: string) =>
    (await records.query<{ status: string }>('select status from call_records where callee = $1', [callee])).rows;

  it('20 calls over UDP and 6 over TCP through the public port all complete, each reaching its callee once and recorded once', async () => {
    if (!available) return;
    const udpPhone = await registerPhone('2201', 'u1');
    const tcpPhone = await registerPhone('2202', 't1');

    const overUdp = await calls('2200', '2201', 20, 'u1');
    expect(overUdp.exitCode, describeRun(overUdp)).toBe(0);
    expect(overUdp.stats?.successful).toBe(20);
    const overTcp = await calls('2200', '2202', 6, 't1');
    expect(overTcp.exitCode, describeRun(overTcp)).toBe(0);

    expect(invitesReceived(udpPhone.dir)).toBe(20);
    expect(invitesReceived(tcpPhone.dir)).toBe(6);
    // One caller socket, 20 Call-IDs: both workers forwarded some (all 20 on one: odds of 2 in 2^20).
    expect(forwardingPorts(udpPhone.dir).size).toBe(2);
    await within(10_000, 'the call records written', async () => (await recordsOf('2202')).length >= 6);
    expect((await recordsOf('2201')).length).toBe(20);
    expect((await recordsOf('2202')).length).toBe(6);
  }, 300_000);

  it('a retransmitted INVITE and the CANCEL of a ringing call reach the worker that holds the call: rung once, cancelled', async () => {
    if (!available) return;
    const phone = await registerPhone('2204', 'u1', 'uas-ring.xml');
    const attempts = 6;
    for (let attempt = 0; attempt < attempts; attempt += 1) {
      const caller = await RawUdpPeer.open();
      try {
        const callId = `cancelled-${attempt}-${randomToken()}`;
        const fromTag = randomToken();
        const invite = (cseq: number, branch: string, authorization?: string) =>
          [
            `INVITE sip:2204@${domain} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
            'Max-Forwards: 70',
            `From: <sip:2203@${domain}>;tag=${fromTag}`,
            `To: <sip:2204@${domain}>`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} INVITE`,
            `Contact: <sip:2203@127.0.0.1:${caller.port}>`,
            ...(authorization ? [`Proxy-Authorization: ${authorization}`] : []),
            'Content-Type: application/sdp',
            'Content-Length: 59',
            '',
            'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n',
          ].join('\r\n');
        const hopByHop = (method: 'ACK' | 'CANCEL', cseq: number, branch: string, toTag?: string) =>
          [
            `${method} sip:2204@${domain} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=${branch};rport`,
            'Max-Forwards: 70',
            `From: <sip:2203@${domain}>;tag=${fromTag}`,
            `To: <sip:2204@${domain}>${toTag ? `;tag=${toTag}` : ''}`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} ${method}`,
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n');
        const first = `z9hG4bK${randomToken()}`;
        caller.send(invite(1, first), sipPort);
        const challenge = await caller.next(/^SIP\/2\.0 407/, 15_000);
        const toTagOf = (message: string) => /;tag=([^;\s]+)/.exec(header(message, 'To') ?? '')?.[1];
        caller.send(hopByHop('ACK', 1, first, toTagOf(challenge)), sipPort);
        const authorization = digestAuthorization({
          challenge: header(challenge, 'Proxy-Authenticate')!,
          username: '2203',
          password: 'pw2203',
          method: 'INVITE',
          uri: `sip:2204@${domain}`,
        });
        const second = `z9hG4bK${randomToken()}`;
        // §17.1.1.2: the same request again, as a client does when it hears nothing in time.
        caller.send(invite(2, second, authorization), sipPort);
        caller.send(invite(2, second, authorization), sipPort);
        await caller.next(/^SIP\/2\.0 180/, 15_000);
        caller.send(hopByHop('CANCEL', 2, second), sipPort);
        expect(statusLine(await caller.next(/^SIP\/2\.0 \d+ .*\r\n(.*\r\n)*CSeq: 2 CANCEL/, 15_000))).toBe('SIP/2.0 200 OK');
        const terminated = await caller.next(/^SIP\/2\.0 487/, 15_000);
        caller.send(hopByHop('ACK', 2, second, toTagOf(terminated)), sipPort);
        // Whichever worker read each request, and whichever handled it, every response came from the
        // public port it was sent to (RFC 3581 §4), not from a worker's own socket.
        expect([...caller.sourcePorts]).toEqual([sipPort]);
      } finally {
        caller.close();
      }
    }
    expect(invitesReceived(phone.dir)).toBe(attempts);
    await within(10_000, 'the call records closed', async () => (await recordsOf('2204')).every((r) => r.status === 'cancelled'));
    expect((await recordsOf('2204')).map((r) => r.status)).toEqual(Array.from({ length: attempts }, () => 'cancelled'));
  }, 300_000);

  it("a dialog's BYE sent to the public port reaches the worker that record-routed the dialog, whatever its Call-ID's worker", async () => {
    if (!available) return;
    await registerPhone('2206', 'u1');
    const privatePorts = [...output.text().matchAll(/"privatePort":(\d+)/g)].map((match) => Number(match[1]));
    expect(privatePorts).toHaveLength(2);
    // Each call starts at one worker's own port (as a dialog does that began while its Call-ID's
    // worker was down); both Call-IDs go to the same worker, so one of the dialogs belongs to the other.
    const callIdOfSlot0 = () => {
      for (;;) {
        const callId = `routed-${randomToken()}`;
        if (slotOfDatagram(Buffer.from(`BYE sip:x SIP/2.0\r\nCall-ID: ${callId}\r\n\r\n`), '127.0.0.1', 1, 2) === 0) return callId;
      }
    };
    for (const workerPort of privatePorts) {
      const caller = await RawUdpPeer.open();
      try {
        const callId = callIdOfSlot0();
        const fromTag = randomToken();
        const request = (method: string, uri: string, cseq: number, extra: string[], toTag?: string) =>
          [
            `${method} ${uri} SIP/2.0`,
            `Via: SIP/2.0/UDP 127.0.0.1:${caller.port};branch=z9hG4bK${randomToken()};rport`,
            'Max-Forwards: 70',
            `From: <sip:2207@${domain}>;tag=${fromTag}`,
            `To: <sip:2206@${domain}>${toTag ? `;tag=${toTag}` : ''}`,
            `Call-ID: ${callId}`,
            `CSeq: ${cseq} ${method}`,
            `Contact: <sip:2207@127.0.0.1:${caller.port}>`,
            ...extra,
            'Content-Length: 0',
            '',
            '',
          ].join('\r\n');
        caller.send(request('INVITE', `sip:2206@${domain}`, 1, []), workerPort);
        const challenge = await caller.next(/^SIP\/2\.0 407/, 15_000);
        const authorization = digestAuthorization({
          challenge: header(challenge, 'Proxy-Authenticate')!,
          username: '2207',
          password: 'pw2207',
          method: 'INVITE',
          uri: `sip:2206@${domain}`,
        });
        caller.send(request('INVITE', `sip:2206@${domain}`, 2, [`Proxy-Authorization: ${authorization}`]), workerPort);
        const answer = await caller.next(/^SIP\/2\.0 200 .*\r\n(.*\r\n)*CSeq: 2 INVITE/, 15_000);
        const toTag = /;tag=([^;\s]+)/.exec(header(answer, 'To') ?? '')![1];
        const recordRoutes = [...answer.matchAll(/^Record-Route: *(.+?)\r$/gm)].flatMap((match) => match[1]!.split(/, *(?=<)/));
        expect(recordRoutes.join(), 'the dialog is record-routed through the worker it began at').toContain(`:${workerPort};`);
        const routeSet = `Route: ${recordRoutes.reverse().join(', ')}`;
        const target = /<([^>]+)>/.exec(header(answer, 'Contact')!)![1]!;
        // Sent to the public port, as sipp does, not to the first Route's address (RFC 3261 §12.2.1.1).
        caller.send(request('ACK', target, 2, [routeSet], toTag), sipPort);
        caller.send(request('BYE', target, 3, [routeSet], toTag), sipPort);
        expect(statusLine(await caller.next(/^SIP\/2\.0 \d+ .*\r\n(.*\r\n)*CSeq: 3 BYE/, 15_000))).toBe('SIP/2.0 200 OK');
      } finally {
        caller.close();
      }
    }
    await within(
      10_000,
      'both calls recorded as ended',
      async () => (await recordsOf('2206')).filter((r) => r.status === 'completed').length === 2,
    );
  }, 120_000);

  it('a worker killed with SIGKILL is started again by the primary, and calls go on', async () => {
    if (!available) return;
    const workers = childrenOf(node!.pid!);
    expect(workers).toHaveLength(2);
    const before = listening();
    process.kill(workers[0]!, 'SIGKILL');
    await within(180_000, 'a new worker listening', () => listening() > before);
    const after = childrenOf(node!.pid!);
    expect(after).toHaveLength(2);
    expect(after).not.toContain(workers[0]);
    expect(output.text()).toContain('SIP worker died; restarting it');

    const phone = await registerPhone('2205', 'u1');
    const result = await calls('2200', '2205', 10, 'u1');
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(invitesReceived(phone.dir)).toBe(10);
  }, 300_000);

  it('SIGTERM to the primary stops the workers cleanly and the node exits', async () => {
    if (!available) return;
    const workers = childrenOf(node!.pid!);
    node!.kill('SIGTERM');
    expect(await exited(node!)).toBe(0);
    for (const pid of workers) expect(() => process.kill(pid, 0)).toThrow();
  }, 120_000);
});

describe('the embedded default (issue #17)', () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('starts exactly one process, and more workers without Redis are refused with the reason', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'vp-embedded-'));
    dirs.push(dataDir);
    const httpPort = await freePort();
    const env = {
      DATA_DIR: dataDir,
      PORT: String(httpPort),
      HOST: '127.0.0.1',
      SIP_PORT: String(await freePort()),
      SIP_HOST: '127.0.0.1',
      JOBS_ENABLED: 'false',
    };
    const refused = runCli(['serve'], { ...env, SIP_WORKERS: '2', DATABASE_URL: postgresUrl });
    const refusal = collectOutput(refused);
    expect(await exited(refused)).toBe(2);
    expect(refusal.text()).toContain('SIP_WORKERS: more than 1 needs REDIS_URL');

    const embedded = runCli(['serve'], env);
    try {
      await waitForOk(`http://127.0.0.1:${httpPort}/readyz`, 180_000);
      expect(childrenOf(embedded.pid!)).toEqual([]);
    } finally {
      embedded.kill('SIGTERM');
      await exited(embedded);
    }
  }, 300_000);
});
