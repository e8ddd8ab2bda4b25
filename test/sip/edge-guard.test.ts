import type { Socket } from 'node:dgram';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { KyselyPlugin } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logging.js';
import { digestAuthorization, header, RawUdpPeer, randomToken, statusLine } from '../support/raw-sip.js';
import { repoRoot } from '../support/process.js';
import { startSipTestService, type SipTestService } from '../support/sip-service.js';

/** The shipped fail2ban filter's failregex, with `<HOST>` as fail2ban expands it (an address group). */
function fail2banFailRegex(): RegExp {
  const filter = readFileSync(path.join(repoRoot, 'deploy/fail2ban/filter.d/videophone-sip.conf'), 'utf8');
  const failregex = /^failregex\s*=\s*(.+)$/m.exec(filter)![1]!.trim();
  return new RegExp(failregex.replace('<HOST>', '(?<host>[0-9a-fA-F.:]+)'));
}

/**
 * Runs Debian's `fail2ban-regex` over log lines with the shipped filter (date pattern included);
 * under CI a missing fail2ban is a failure, elsewhere the JS check above stands alone.
 */
function fail2banRegexHits(lines: string[]): { matched: number; failregexHits: number } | 'fail2ban not installed' {
  const binary = '/usr/bin/fail2ban-regex';
  if (!existsSync(binary)) {
    if (process.env.CI === 'true') throw new Error('fail2ban-regex is not installed (apt-get install fail2ban)');
    return 'fail2ban not installed';
  }
  const dir = mkdtempSync(path.join(tmpdir(), 'vp-f2b-'));
  const log = path.join(dir, 'videophone.log');
  writeFileSync(log, lines.join('\n') + '\n');
  const output = execFileSync(binary, [log, path.join(repoRoot, 'deploy/fail2ban/filter.d/videophone-sip.conf')], { encoding: 'utf8' });
  return {
    matched: Number(/Lines: \d+ lines, \d+ ignored, (\d+) matched/.exec(output)?.[1] ?? -1),
    failregexHits: Number(/Failregex: (\d+) total/.exec(output)?.[1] ?? -1),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Builds requests from a bare UDP peer (the bytes are the test's). */
function sipRequest(
  peer: RawUdpPeer,
  domain: string,
  method: 'REGISTER' | 'INVITE' | 'ACK',
  options: { from: string; to?: string; callId?: string; cseq?: number; fromTag?: string; branch?: string; extra?: string[] },
): string {
  const uri = method === 'REGISTER' ? `sip:${domain}` : `sip:${options.to}@${domain}`;
  const to = method === 'REGISTER' ? `<sip:${options.from}@${domain}>` : `<${uri}>`;
  const body =
    method === 'INVITE' ? 'v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=video 9 RTP/AVP 96\r\n' : '';
  return [
    `${method} ${uri} SIP/2.0`,
    `Via: SIP/2.0/UDP ${peer.address}:${peer.port};branch=${options.branch ?? `z9hG4bK${randomToken()}`};rport`,
    'Max-Forwards: 70',
    `From: <sip:${options.from}@${domain}>;tag=${options.fromTag ?? randomToken()}`,
    `To: ${to}`,
    `Call-ID: ${options.callId ?? randomToken()}`,
    `CSeq: ${options.cseq ?? 1} ${method}`,
    `Contact: <sip:${options.from}@${peer.address}:${peer.port}>`,
    ...(method === 'REGISTER' ? ['Expires: 600'] : []),
    ...(options.extra ?? []),
    ...(body ? ['Content-Type: application/sdp'] : []),
    `Content-Length: ${Buffer.byteLength(body)}`,
    '',
    body,
  ].join('\r\n');
}

/** One wrong-password REGISTER for `number` on a nonce it was given: guess number `n` (its nonce count n + 1). */
function sendGuess(peer: RawUdpPeer, service: SipTestService, number: string, challenge: string, n: number): void {
  const authorization = digestAuthorization({
    challenge,
    username: number,
    password: `guess${n}`,
    method: 'REGISTER',
    uri: `sip:${service.domain}`,
    nc: n + 1,
  });
  peer.send(sipRequest(peer, service.domain, 'REGISTER', { from: number, extra: [`Authorization: ${authorization}`] }), service.sipPort);
}

/** REGISTER with the right (or a wrong) password: challenge, then answer. Returns the final status line. */
async function register(peer: RawUdpPeer, service: SipTestService, number: string, password = `pw${number}`): Promise<string> {
  const callId = randomToken();
  peer.send(sipRequest(peer, service.domain, 'REGISTER', { from: number, callId }), service.sipPort);
  const challenge = await peer.next(/^SIP\/2\.0 401/);
  const authorization = digestAuthorization({
    challenge: header(challenge, 'WWW-Authenticate')!,
    username: number,
    password,
    method: 'REGISTER',
    uri: `sip:${service.domain}`,
  });
  peer.send(
    sipRequest(peer, service.domain, 'REGISTER', { from: number, callId, cseq: 2, extra: [`Authorization: ${authorization}`] }),
    service.sipPort,
  );
  return statusLine(await peer.next(/^SIP\/2\.0 [2-6]/));
}

/** INVITE → 407 → ACK → INVITE with credentials; resolves with the final status the caller hears. */
async function call(caller: RawUdpPeer, service: SipTestService, from: string, to: string): Promise<string> {
  const callId = randomToken();
  const fromTag = randomToken();
  const first = sipRequest(caller, service.domain, 'INVITE', { from, to, callId, fromTag });
  caller.send(first, service.sipPort);
  const challenge = await caller.next(new RegExp(`^SIP/2\\.0 407[\\s\\S]*Call-ID: ${callId}`));
  const ack = sipRequest(caller, service.domain, 'ACK', { from, to, callId, fromTag, branch: /branch=([^;\r\n]+)/.exec(first)![1] });
  caller.send(ack.replace(/^To: .*$/m, `To: ${header(challenge, 'To')}`), service.sipPort);
  const authorization = digestAuthorization({
    challenge: header(challenge, 'Proxy-Authenticate')!,
    username: from,
    password: `pw${from}`,
    method: 'INVITE',
    uri: `sip:${to}@${service.domain}`,
  });
  caller.send(
    sipRequest(caller, service.domain, 'INVITE', { from, to, callId, fromTag, cseq: 2, extra: [`Proxy-Authorization: ${authorization}`] }),
    service.sipPort,
  );
  return statusLine(await caller.next(new RegExp(`^SIP/2\\.0 [2-6][\\s\\S]*Call-ID: ${callId}`), 8000));
}

/** A callee that answers every INVITE with 200 OK (and ignores everything else). */
async function answeringPhone(address: string): Promise<RawUdpPeer> {
  const peer = await RawUdpPeer.open(address);
  const inner = (peer as unknown as { socket: Socket }).socket;
  inner.on('message', (data, rinfo) => {
    const text = data.toString('utf8');
    if (!text.startsWith('INVITE ')) return;
    const lines = text.split('\r\n');
    const copy = (name: string) => lines.filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
    const response = [
      'SIP/2.0 200 OK',
      ...copy('Via'),
      ...copy('Record-Route'),
      ...copy('From'),
      `${copy('To')[0]};tag=${randomToken()}`,
      ...copy('Call-ID'),
      ...copy('CSeq'),
      `Contact: <sip:callee@${address}:${peer.port}>`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
    inner.send(Buffer.from(response), rinfo.port, rinfo.address);
  });
  return peer;
}

interface LogLine {
  msg: string;
  event?: string;
  address?: string;
  port?: number;
  transport?: string;
  username?: string | null;
  reason?: string;
  kind?: string;
  value?: string;
}

describe('brute force against one username', () => {
  let service: SipTestService;
  const lines: LogLine[] = [];
  const raw: string[] = [];
  const peers: RawUdpPeer[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', {
      destination: {
        write: (line: string) => {
          raw.push(line);
          lines.push(JSON.parse(line) as LogLine);
        },
      },
    });
    service = await startSipTestService({ numbers: ['4000', '4001'], logger, env: { SIP_BAN_SECONDS: '600' } });
  });
  afterEach(() => {
    for (const peer of peers.splice(0)) peer.close();
  });
  afterAll(async () => {
    await service?.close();
  });

  it('bans the guessing source within 2 s, one log line per failure and per ban; the subscriber on another address keeps registering and calling; the ban expires by itself', async () => {
    const phone = await RawUdpPeer.open('127.0.0.2');
    const callee = await answeringPhone('127.0.0.9');
    const attacker = await RawUdpPeer.open('127.0.0.1');
    peers.push(phone, callee, attacker);
    expect(await register(phone, service, '4000')).toBe('SIP/2.0 200 OK');
    expect(await register(callee, service, '4001')).toBe('SIP/2.0 200 OK');

    // The attacker guesses 4000's password at 70 a second, on a nonce it was really given.
    attacker.send(sipRequest(attacker, service.domain, 'REGISTER', { from: '4000' }), service.sipPort);
    const challenge = header(await attacker.next(/^SIP\/2\.0 401/), 'WWW-Authenticate')!;
    // 140 guesses paced at 70 a second: two seconds on a quiet machine (a count, not a time window,
    // so a loaded machine sends as many, only slower).
    let sent = 0;
    while (sent < 140) {
      sendGuess(attacker, service, '4000', challenge, sent);
      sent += 1;
      await sleep(1000 / 70);
    }
    await sleep(200);
    const bans = await service.sip!.bans.list();
    expect(bans.map((ban) => `${ban.kind}:${ban.value}`)).toContain('source:127.0.0.1');
    const sourceBan = bans.find((ban) => ban.kind === 'source')!;
    expect(sourceBan.until.getTime() - sourceBan.since.getTime()).toBe(600_000);
    // Ten failures were answered (one challenge each, sent once); everything after the ban was dropped.
    expect(attacker.receivedCount).toBe(11);

    const failures = lines.filter((line) => line.msg === 'SIP auth failed');
    expect(failures).toHaveLength(10);
    expect(failures[0]).toMatchObject({
      event: 'sip.auth.failed',
      address: '127.0.0.1',
      port: attacker.port,
      transport: 'UDP',
      username: '4000',
      reason: 'wrong-response',
    });
    // The shipped fail2ban filter finds exactly the failure lines, and the address in each.
    const failregex = fail2banFailRegex();
    const matched = raw.map((line) => failregex.exec(line)).filter((match) => match !== null);
    expect(matched).toHaveLength(10);
    expect(matched.every((match) => match.groups!.host === '127.0.0.1')).toBe(true);
    // And fail2ban itself, reading the same lines with the shipped filter, agrees.
    expect(fail2banRegexHits(raw)).toEqual({ matched: 10, failregexHits: 10 });
    const banLines = lines.filter((line) => line.msg === 'SIP ban');
    expect(banLines).toHaveLength(1);
    expect(banLines[0]).toMatchObject({ event: 'sip.ban', kind: 'source', value: '127.0.0.1', address: '127.0.0.1', username: '4000' });

    // The right password from the banned address is not answered either.
    attacker.send(sipRequest(attacker, service.domain, 'REGISTER', { from: '4000' }), service.sipPort);
    await sleep(300);
    expect(attacker.receivedCount).toBe(11);

    // The subscriber's own phone on another address registers and calls as before.
    expect(await register(phone, service, '4000')).toBe('SIP/2.0 200 OK');
    expect(await call(phone, service, '4000', '4001')).toBe('SIP/2.0 200 OK');

    // The ban expires by itself.
    service.clock.advance({ seconds: 601 });
    attacker.received.length = 0;
    expect(await register(attacker, service, '4000')).toBe('SIP/2.0 200 OK');
  }, 20_000);

  it('bans a username guessed at from many addresses, but only for strangers: the phone that registered keeps working', async () => {
    const phone = await RawUdpPeer.open('127.0.0.2');
    const callee = await answeringPhone('127.0.0.9');
    peers.push(phone, callee);
    expect(await register(phone, service, '4000')).toBe('SIP/2.0 200 OK');
    expect(await register(callee, service, '4001')).toBe('SIP/2.0 200 OK');
    // Nine wrong guesses from each of four addresses: none reaches the source threshold (10), the name does (30).
    for (const address of ['127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']) {
      const attacker = await RawUdpPeer.open(address);
      peers.push(attacker);
      for (let i = 0; i < 9; i += 1) expect(await register(attacker, service, '4000', `guess${i}`)).toMatch(/^SIP\/2\.0 (401|403)/);
    }
    const bans = await service.sip!.bans.list();
    expect(bans.map((ban) => `${ban.kind}:${ban.value}`)).toContain('username:4000');
    expect(bans.map((ban) => `${ban.kind}:${ban.value}`)).not.toContain('source:127.0.0.3');

    // A stranger with the right password is refused while the name is banned...
    const stranger = await RawUdpPeer.open('127.0.0.7');
    peers.push(stranger);
    expect(await register(stranger, service, '4000')).toBe('SIP/2.0 403 Forbidden');
    // ...the subscriber's registered phone is not.
    expect(await register(phone, service, '4000')).toBe('SIP/2.0 200 OK');
    expect(await call(phone, service, '4000', '4001')).toBe('SIP/2.0 200 OK');
    const usernameBan = lines.filter((line) => line.msg === 'SIP ban' && line.kind === 'username');
    expect(usernameBan).toHaveLength(1);
    expect(usernameBan[0]).toMatchObject({ value: '4000', username: '4000' });
  }, 30_000);
});

describe('guesses already being checked when the ban lands', () => {
  let service: SipTestService;
  const lines: LogLine[] = [];
  const peers: RawUdpPeer[] = [];

  beforeAll(async () => {
    const logger = createLogger('info', { destination: { write: (line: string) => lines.push(JSON.parse(line) as LogLine) } });
    service = await startSipTestService({ numbers: ['4100'], logger, env: { SIP_BAN_SECONDS: '600' } });
  });
  afterAll(async () => {
    for (const peer of peers.splice(0)) peer.close();
    await service?.close();
  });

  it('are dropped as the edge drops what comes after them: a burst gets ten answers and ten failure lines, as paced guesses do', async () => {
    const attacker = await RawUdpPeer.open('127.0.0.1');
    peers.push(attacker);
    attacker.send(sipRequest(attacker, service.domain, 'REGISTER', { from: '4100' }), service.sipPort);
    const challenge = header(await attacker.next(/^SIP\/2\.0 401/), 'WWW-Authenticate')!;
    // Sixteen guesses back to back: all pass the edge before the first has been checked (each waits
    // for the account), so the ban after the tenth lands while six are still being checked.
    for (let guess = 0; guess < 16; guess += 1) sendGuess(attacker, service, '4100', challenge, guess);
    await sleep(1_000);
    const bans = await service.sip!.bans.list();
    expect(bans.map((ban) => `${ban.kind}:${ban.value}`)).toContain('source:127.0.0.1');
    // The first challenge and one per counted failure; the six checked after the ban get nothing.
    expect(attacker.receivedCount).toBe(11);
    expect(lines.filter((line) => line.msg === 'SIP auth failed')).toHaveLength(10);
    expect(lines.filter((line) => line.msg === 'SIP ban')).toHaveLength(1);
    // Nothing is left waiting for an answer that will never come.
    expect(service.sip!.transactions.serverTransactionCount).toBe(0);
  }, 20_000);
});

describe('a flood of unauthenticated INVITEs with random usernames', () => {
  let service: SipTestService;

  beforeAll(async () => {
    // Bans are off here (thresholds out of reach) so the flood reaches the rate limit, the stateless
    // challenge and the unknown-username cache, each of which must hold on its own.
    service = await startSipTestService({
      numbers: ['5000', '5001'],
      engine: 'postgres',
      env: { SIP_BAN_SOURCE_FAILURES: '1000000', SIP_BAN_USERNAME_FAILURES: '1000000' },
    });
  });
  afterAll(async () => {
    await service?.close();
  });

  it('keeps 99 % of legitimate calls connecting, never retransmits a challenge, and looks each unknown name up at most once', async () => {
    const accounts = service.sip!.accounts as unknown as { db: typeof service.ctx.db };
    // Counts, per flood username, the queries that name it (a real count on the store's own path).
    const lookups = new Map<string, number>();
    const counting: KyselyPlugin = {
      transformQuery: (args) => {
        for (const match of JSON.stringify(args.node).matchAll(/"(9\d{9}|59\d{6}-[0-9a-f]{8})"/g))
          lookups.set(match[1]!, (lookups.get(match[1]!) ?? 0) + 1);
        return args.node;
      },
      transformResult: async (args) => args.result,
    };
    accounts.db = accounts.db.withPlugin(counting);

    const caller = await RawUdpPeer.open('127.0.0.2');
    const callee = await answeringPhone('127.0.0.3');
    const flood = await RawUdpPeer.open('127.0.0.1');
    try {
      expect(await register(caller, service, '5000')).toBe('SIP/2.0 200 OK');
      expect(await register(callee, service, '5001')).toBe('SIP/2.0 200 OK');
      flood.send(sipRequest(flood, service.domain, 'INVITE', { from: '5000', to: '5001' }), service.sipPort);
      const challenge = header(await flood.next(/^SIP\/2\.0 407/), 'Proxy-Authenticate')!;
      flood.receivedCount = 0;

      // 1,000 distinct unknown names (numbers and device-shaped), each tried ten times over 10 s.
      const names = Array.from({ length: 1000 }, (_, i) =>
        i % 2 === 0
          ? `9${randomBytes(5).readUIntBE(0, 5).toString().padStart(9, '0').slice(0, 9)}`
          : `59${String(i).padStart(6, '0')}-${randomBytes(4).toString('hex')}`,
      );
      let sent = 0;
      const floodDone = (async () => {
        const started = Date.now();
        for (let tick = 0; tick < 1000; tick += 1) {
          for (let i = 0; i < 10; i += 1) {
            const username = names[sent % names.length]!;
            const authorization = digestAuthorization({
              challenge,
              username,
              password: 'x',
              method: 'INVITE',
              uri: `sip:5001@${service.domain}`,
            });
            flood.send(
              sipRequest(flood, service.domain, 'INVITE', { from: username, to: '5001', extra: [`Proxy-Authorization: ${authorization}`] }),
              service.sipPort,
            );
            sent += 1;
          }
          const due = started + (tick + 1) * 10;
          await sleep(Math.max(0, due - Date.now()));
        }
      })();

      // Meanwhile the subscriber places two calls a second.
      const outcomes: Promise<string>[] = [];
      for (let i = 0; i < 20; i += 1) {
        outcomes.push(call(caller, service, '5000', '5001').catch((error: unknown) => String(error)));
        await sleep(500);
      }
      await floodDone;
      const results = await Promise.all(outcomes);
      // A retransmitted challenge would come T1 (500 ms, Timer G) after the first: wait twice that after
      // the last one. Retransmissions of the earlier ones would have arrived during the 10 s flood.
      await sleep(1000);

      const connected = results.filter((status) => status === 'SIP/2.0 200 OK').length;
      expect(connected / results.length).toBeGreaterThanOrEqual(0.99);
      expect(sent).toBe(10_000);
      // One answer at most per request: no challenge was retransmitted (Timer G would send 11).
      expect(flood.receivedCount).toBeGreaterThan(0);
      expect(flood.receivedCount).toBeLessThanOrEqual(sent);
      expect(flood.received.every((message) => statusLine(message) === 'SIP/2.0 407 Proxy Authentication Required')).toBe(true);
      // At most one database query per distinct unknown name within the minute.
      expect(lookups.size).toBeGreaterThan(0);
      expect(Math.max(...lookups.values())).toBe(1);
    } finally {
      caller.close();
      callee.close();
      flood.close();
    }
  }, 60_000);
});
