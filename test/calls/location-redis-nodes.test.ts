import type { ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresReachable, postgresUrl } from '../support/engines.js';
import { collectOutput, exited, freePort, runCli, waitForOk } from '../support/process.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { Inviter, SessionState, UserAgent } from 'sip.js';
import { eventually, startSipJsParty } from '../support/sip-clients.js';
import { OwnRedis, redisServer } from '../support/sip-nodes.js';
import { describeRun, runSipp, sippInstalled, sippPath, startSipp, writeInjectionFile, type SippProcess } from '../support/sipp.js';

/**
 * Issue #17: two nodes (separate service processes) on one PostgreSQL database and one Redis share
 * the location, digest nonce counts and the SIP account cache's invalidations. The Redis is the
 * test's own, on a free port, so the test can restart it (empty: it saves nothing).
 */
const ci = process.env.CI === 'true';
const domain = 'vp.test';
const secret = randomBytes(24).toString('hex');

interface Node {
  name: string;
  sipPort: number;
  httpPort: number;
  env: Record<string, string>;
  child?: ChildProcess;
  output?: { text: () => string };
}

describe.skipIf(!sippInstalled && !ci)('two nodes sharing PostgreSQL and Redis (issue #17)', () => {
  const dirs: string[] = [];
  const phones: SippProcess[] = [];
  let redis: OwnRedis;
  let probe: Redis;
  let admin: pg.Client;
  const database = `vp_nodes_${randomBytes(4).toString('hex')}`;
  const nodes: Node[] = [];
  let available = true;

  const temporaryDir = (prefix: string) => {
    const dir = mkdtempSync(path.join(tmpdir(), prefix));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    if (!sippInstalled) throw new Error(`CI=true needs sipp at ${sippPath}: apt-get install sip-tester`);
    if (!existsSync(redisServer)) {
      if (ci) throw new Error(`CI=true needs ${redisServer}: apt-get install redis-server`);
      available = false;
      return;
    }
    if (!(await postgresReachable())) {
      available = false;
      return;
    }
    redis = new OwnRedis(await freePort(), temporaryDir('vp-redis-'));
    await redis.start();
    probe = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 1, retryStrategy: () => 100 });
    // While the test's Redis is down the probe only retries; the nodes' own warnings are what matter.
    probe.on('error', () => undefined);
    admin = new pg.Client({ connectionString: postgresUrl });
    await admin.connect();
    await admin.query(`create database ${database}`);
    const url = new URL(postgresUrl);
    url.pathname = `/${database}`;
    for (const name of ['node-1', 'node-2']) {
      const httpPort = await freePort();
      const sipPort = await freePort();
      nodes.push({
        name,
        httpPort,
        sipPort,
        env: {
          DATA_DIR: temporaryDir('vp-data-'),
          DATABASE_URL: url.toString(),
          REDIS_URL: `redis://127.0.0.1:${redis.port}`,
          NODE_ID: name,
          // Nonces and flow tokens verify on every node.
          SIP_SECRET: secret,
          PORT: String(httpPort),
          HOST: '127.0.0.1',
          SIP_PORT: String(sipPort),
          SIP_HOST: '127.0.0.1',
          SIP_ADVERTISED_ADDRESS: '127.0.0.1',
          SIP_DOMAIN: domain,
          SIP_RATE_LIMIT_EXEMPT: '127.0.0.1',
          JOBS_ENABLED: 'false',
        },
      });
    }
    const provision = runCli(['sip', 'provision', '--from', '2100', '--to', '2105'], nodes[0]!.env);
    const output = collectOutput(provision);
    expect(await exited(provision), output.text()).toBe(0);
    // One after the other: the first applies the migrations and loads the demo subscribers.
    for (const node of nodes) {
      node.child = runCli(node === nodes[0] ? ['serve', '--demo', '--demo-subscribers', '0'] : ['serve'], node.env);
      node.output = collectOutput(node.child);
      await waitForOk(`http://127.0.0.1:${node.httpPort}/readyz`, 90_000);
    }
  }, 300_000);

  afterAll(async () => {
    for (const phone of phones) phone.kill();
    for (const node of nodes) if (node.child?.exitCode === null) node.child.kill('SIGKILL');
    probe?.disconnect();
    await redis?.kill();
    if (admin) {
      await admin.query(`drop database if exists ${database} with (force)`);
      await admin.end();
    }
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  const nodesDatabaseUrl = () => nodes[0]!.env.DATABASE_URL!;
  const node1 = () => nodes[0]!;
  const node2 = () => nodes[1]!;

  /** Until `check` holds, polling; fails after `limitMs`. Returns how long it took. */
  async function within(limitMs: number, what: string, check: () => Promise<boolean>): Promise<number> {
    const started = Date.now();
    while (!(await check())) {
      if (Date.now() - started > limitMs) throw new Error(`${what} did not happen within ${limitMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
    return Date.now() - started;
  }

  async function registerPhone(node: Node, number: string): Promise<{ dir: string }> {
    const dir = temporaryDir('vp-phone-');
    const phone = startSipp({
      scenario: 'uas-register.xml',
      outOfCallScenario: 'uas-answer.xml',
      target: `127.0.0.1:${node.sipPort}`,
      transport: 'u1',
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
    // In Redis as soon as it is registered; the same MULTI announced it to the other node.
    await within(20_000, `${number} registering`, async () => (await probe.hlen(`videophone:location:${number}`).catch(() => 0)) > 0);
    return { dir };
  }

  const invitesReceived = (dir: string) => (readFileSync(path.join(dir, 'messages.log'), 'utf8').match(/^INVITE sip:/gm) ?? []).length;

  async function call(node: Node, from: string, to: string) {
    const dir = temporaryDir('vp-caller-');
    return runSipp({
      scenario: 'uac-call.xml',
      target: `127.0.0.1:${node.sipPort}`,
      transport: 'u1',
      localPort: await freePort(),
      injectionFile: writeInjectionFile(path.join(dir, 'caller.csv'), [from], domain),
      service: to,
      authUri: `${to}@${domain}`,
      calls: 1,
      pauseMs: 100,
      traceMessages: true,
      dir,
      timeoutMs: 30_000,
    });
  }

  it('a phone registered on node 1 over UDP is reached by a call entering node 2', async () => {
    if (!available) return;
    const phone = await registerPhone(node1(), '2101');
    const result = await call(node2(), '2100', '2101');
    expect(result.exitCode, describeRun(result)).toBe(0);
    expect(invitesReceived(phone.dir)).toBe(1);
  }, 60_000);

  it('a browser on a WebSocket to node 2 is called through node 1 along its Path (RFC 3327); either side hangs up; one record per call', async () => {
    if (!available) return;
    const callee = await startSipJsParty(`ws://127.0.0.1:${node2().httpPort}/sip`, domain, '2103');
    const caller = await startSipJsParty(`ws://127.0.0.1:${node1().httpPort}/sip`, domain, '2104');
    const records = new pg.Client({ connectionString: nodesDatabaseUrl() });
    await records.connect();
    try {
      // Node 2 stored the binding with a Path naming itself; node 1 has it through Redis.
      await within(10_000, '2103 in Redis', async () => (await probe.hlen('videophone:location:2103').catch(() => 0)) > 0);
      const [stored] = Object.values(await probe.hgetall('videophone:location:2103')).map(
        (text) => JSON.parse(text) as { path?: string[]; node?: string },
      );
      // With PostgreSQL and Redis each node runs SIP_WORKERS (one per core): a worker is named `node-2/w<i>`.
      expect(stored?.node).toMatch(/^node-2(\/w\d+)?$/);
      expect(stored?.path?.[0]).toMatch(/^<sip:[^@]+@127\.0\.0\.1:\d+;transport=tcp;lr>$/);
      for (const [index, hangsUp] of (['callee', 'caller'] as const).entries()) {
        const inviter = new Inviter(caller.ua, UserAgent.makeURI(`sip:2103@${domain}`)!);
        await inviter.invite();
        await eventually(() => callee.invitations.length === index + 1, 'the browser on node 2 ringing');
        const invitation = callee.invitations[index]!;
        await invitation.accept();
        await eventually(() => inviter.state === SessionState.Established, 'the caller hearing the answer');
        await eventually(() => invitation.state === SessionState.Established, 'the callee getting the ACK');
        await (hangsUp === 'callee' ? invitation : inviter).bye();
        await eventually(
          () => inviter.state === SessionState.Terminated && invitation.state === SessionState.Terminated,
          'both ends hearing the BYE',
        );
        const callId = invitation.request.callId;
        let rows: { status: string; hung_up_by: string | null }[] = [];
        await within(10_000, 'the record closed', async () => {
          rows = (await records.query('select status, hung_up_by from call_records where call_id = $1', [callId])).rows;
          return rows.length === 1 && rows[0]!.status === 'completed';
        });
        expect(rows).toEqual([{ status: 'completed', hung_up_by: hangsUp }]);
      }
    } finally {
      await records.end();
      await caller.stop();
      await callee.stop();
    }
  }, 90_000);

  it('a browser that registered on node 2 through an edge proxy is called through node 1: node 2 sends the INVITE with that Path as Route (RFC 3327 §5.3)', async () => {
    if (!available) return;
    // The Path an edge proxy between the browser and node 2 would have added to its REGISTER.
    const edge = '<sip:edge-2105@127.0.0.1:5999;lr>';
    const callee = await startSipJsParty(`ws://127.0.0.1:${node2().httpPort}/sip`, domain, '2105', { registerHeaders: [`Path: ${edge}`] });
    const caller = await startSipJsParty(`ws://127.0.0.1:${node1().httpPort}/sip`, domain, '2104');
    try {
      await within(10_000, '2105 in Redis', async () => (await probe.hlen('videophone:location:2105').catch(() => 0)) > 0);
      const inviter = new Inviter(caller.ua, UserAgent.makeURI(`sip:2105@${domain}`)!);
      await inviter.invite();
      await eventually(() => callee.invitations.length === 1, 'the browser on node 2 ringing');
      // Node 1 routed along node 2's own Path entry; node 2 took that off and put the edge's on,
      // from the binding it holds (not from the request, which must carry no Route of its own).
      expect(callee.invitations[0]!.request.getHeaders('route')).toEqual([edge]);
      await callee.invitations[0]!.reject();
      await eventually(() => inviter.state === SessionState.Terminated, 'the caller hearing the refusal');
    } finally {
      await caller.stop();
      await callee.stop();
    }
  }, 60_000);

  it('a digest answer node 1 accepted is refused when replayed to node 2 (the same nonce count): challenged again', async () => {
    if (!available) return;
    const peer = await RawUdpPeer.open();
    try {
      const register = (authorization?: string) =>
        [
          `REGISTER sip:${domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
          'Max-Forwards: 70',
          `From: <sip:2102@${domain}>;tag=${randomToken()}`,
          `To: <sip:2102@${domain}>`,
          'Call-ID: replayed-registration',
          'CSeq: 1 REGISTER',
          `Contact: <sip:2102@127.0.0.1:${peer.port}>`,
          'Expires: 600',
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      peer.send(register(), node1().sipPort);
      const challenge = header(await peer.next(/^SIP\/2\.0 401/), 'WWW-Authenticate')!;
      const authorization = digestAuthorization({
        challenge,
        username: '2102',
        password: 'pw2102',
        method: 'REGISTER',
        uri: `sip:${domain}`,
      });
      peer.send(register(authorization), node1().sipPort);
      expect(statusLine(await peer.next())).toBe('SIP/2.0 200 OK');

      // Captured and sent to the other node: the nonce verifies there (one SIP_SECRET), its count does not.
      peer.send(register(authorization), node2().sipPort);
      expect(statusLine(await peer.next())).toBe('SIP/2.0 401 Unauthorized');
    } finally {
      peer.close();
    }
  }, 60_000);

  /** REGISTER over UDP with digest (401, then credentials); the final status line. */
  async function register(node: Node, who: { number: string; username: string; password: string }): Promise<string> {
    const peer = await RawUdpPeer.open();
    try {
      const request = (cseq: number, authorization?: string) =>
        [
          `REGISTER sip:${domain} SIP/2.0`,
          `Via: SIP/2.0/UDP 127.0.0.1:${peer.port};branch=z9hG4bK${randomToken()};rport`,
          'Max-Forwards: 70',
          `From: <sip:${who.number}@${domain}>;tag=${randomToken()}`,
          `To: <sip:${who.number}@${domain}>`,
          `Call-ID: ${randomToken()}`,
          `CSeq: ${cseq} REGISTER`,
          `Contact: <sip:${who.number}@127.0.0.1:${peer.port}>`,
          'Expires: 600',
          ...(authorization ? [`Authorization: ${authorization}`] : []),
          'Content-Length: 0',
          '',
          '',
        ].join('\r\n');
      peer.send(request(1), node.sipPort);
      const challenge = header(await peer.next(/^SIP\/2\.0 401/), 'WWW-Authenticate')!;
      const authorization = digestAuthorization({
        challenge,
        username: who.username,
        password: who.password,
        method: 'REGISTER',
        uri: `sip:${domain}`,
      });
      peer.send(request(2, authorization), node.sipPort);
      return statusLine(await peer.next(/^SIP\/2\.0 [2-6]/));
    } finally {
      peer.close();
    }
  }

  it('a device password rotated through the portal API on node 1 is refused by node 2 at once, though node 2 had it cached', async () => {
    if (!available) return;
    const base = `http://127.0.0.1:${node1().httpPort}`;
    const signIn = await fetch(`${base}/api/portal/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ login: '+8613800000001', password: 'demo-subscriber-pass' }),
    });
    expect(signIn.status, await signIn.clone().text()).toBe(200);
    const cookie = signIn.headers
      .getSetCookie()
      .find((c) => c.startsWith('vp_portal='))!
      .split(';')[0]!;
    const licenceDeviceId = randomUUID();
    const licence = (await (await fetch(`${base}/api/portal/licence?deviceId=${licenceDeviceId}`, { headers: { cookie } })).json()) as {
      version: string;
    };
    const accepted = await fetch(`${base}/api/portal/licence/acceptances`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/json' },
      body: JSON.stringify({ version: licence.version, deviceId: licenceDeviceId }),
    });
    expect([200, 201]).toContain(accepted.status);
    const issue = async (deviceId?: string) => {
      const response = await fetch(`${base}/api/portal/devices`, {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'desk phone', licenceDeviceId, ...(deviceId ? { deviceId } : {}) }),
      });
      expect(response.status, await response.clone().text()).toBe(201);
      return (await response.json()) as { deviceId: string; number: string; authorizationUsername: string; password: string };
    };
    const device = await issue();
    const old = { number: device.number, username: device.authorizationUsername, password: device.password };
    // Node 2 learns (and caches) the device's credentials.
    expect(await register(node2(), old)).toBe('SIP/2.0 200 OK');

    const rotated = await issue(device.deviceId);
    expect(rotated.password).not.toBe(device.password);
    expect(await register(node2(), old)).toBe('SIP/2.0 401 Unauthorized');
    expect(await register(node2(), { ...old, password: rotated.password })).toBe('SIP/2.0 200 OK');
  }, 60_000);

  it('Redis restarted empty: calls meanwhile are answered from memory, and node 1 re-publishes its bindings within seconds', async () => {
    if (!available) return;
    const phone = await registerPhone(node1(), '2103');
    await redis.kill();

    // Redis is away: node 2 still knows the phone (its copy) and the call goes through.
    const during = await call(node2(), '2100', '2103');
    expect(during.exitCode, describeRun(during)).toBe(0);
    expect(invitesReceived(phone.dir)).toBe(1);

    await redis.start();
    const restoredMs = await within(
      15_000,
      'the re-publication of 2103',
      async () => (await probe.hlen('videophone:location:2103').catch(() => 0)) > 0,
    );
    console.log(`bindings back in Redis ${restoredMs} ms after it restarted`);

    // And the nodes replicate again: a phone registering on node 2 now is reached through node 1.
    const later = await registerPhone(node2(), '2104');
    const after = await call(node1(), '2100', '2104');
    expect(after.exitCode, describeRun(after)).toBe(0);
    expect(invitesReceived(later.dir)).toBe(1);
  }, 120_000);
});
