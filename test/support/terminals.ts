import { spawn, type ChildProcess, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort, freePortRange } from './process.js';

/**
 * Real SIP terminals from Debian, run headless against the service: baresip (`baresip-core`,
 * libre's SIP stack) and linphonec (`linphone-cli`, belle-sip). Under CI=true a missing binary is a
 * failure, not a skip.
 */
export const baresipPath = process.env.BARESIP_PATH ?? '/usr/bin/baresip';
export const baresipModulePath = process.env.BARESIP_MODULE_PATH ?? '/usr/lib/baresip/modules';
export const linphonecPath = process.env.LINPHONEC_PATH ?? '/usr/bin/linphonec';
export const baresipInstalled = existsSync(baresipPath);
export const linphonecInstalled = existsSync(linphonecPath);
if (process.env.CI === 'true') {
  if (!baresipInstalled) throw new Error(`CI=true requires baresip at ${baresipPath}: apt-get install baresip-core`);
  if (!linphonecInstalled) throw new Error(`CI=true requires linphonec at ${linphonecPath}: apt-get install linphone-cli`);
}

export type TerminalTransport = 'udp' | 'tcp' | 'tls';

/** What ctrl_tcp reports (baresip's `event_encode_dict`): `type` is e.g. REGISTER_OK, CALL_ESTABLISHED. */
export interface BaresipEvent {
  type: string;
  class?: string;
  accountaor?: string;
  direction?: string;
  peeruri?: string;
  param?: string;
}

export interface Baresip {
  number: string;
  events: BaresipEvent[];
  /** Everything baresip printed, for failure messages. */
  output: () => string;
  /** Resolves with the first event of `type` (searching those already seen), or rejects after `timeoutMs`. */
  waitFor: (type: string, timeoutMs?: number) => Promise<BaresipEvent>;
  /**
   * Resolves once the registration succeeded: the REGISTER_OK event, or (when that came before
   * ctrl_tcp was connected) the line baresip prints for it. Rejects on a failed one.
   */
  registered: (timeoutMs?: number) => Promise<void>;
  /** A menu command over ctrl_tcp (`dial sip:…`, `hangup`); resolves with baresip's answer. */
  command: (command: string, params?: string) => Promise<{ ok: boolean; data: string }>;
  stop: () => Promise<void>;
}

/**
 * One baresip with one account, its default digest behaviour untouched, registering through the
 * service at 127.0.0.1:`port` over `transport`. No audio device: a sine tone is the microphone and
 * the in-process audio bridge the loudspeaker. Commands and events go over ctrl_tcp (netstring JSON).
 */
export async function startBaresip(options: {
  number: string;
  password: string;
  domain: string;
  transport: TerminalTransport;
  port: number;
  autoAnswer?: boolean;
}): Promise<Baresip> {
  const {
    dir,
    child,
    output: outputOf,
    socket,
  } = await (async () => {
    for (let attempt = 1; ; attempt += 1) {
      const dir = mkdtempSync(path.join(tmpdir(), 'vp-baresip-'));
      // baresip listens for TLS on the SIP port + 1, and an RTP port's RTCP is the port + 1.
      const sipPort = await freePortRange(2);
      const ctrlPort = await freePort();
      const rtpPort = await freePortRange(11);
      writeFileSync(
        path.join(dir, 'config'),
        [
          'poll_method epoll',
          `sip_listen 127.0.0.1:${sipPort}`,
          'audio_player aubridge,nil',
          'audio_alert aubridge,nil',
          'audio_source ausine,440',
          // ausine makes 48 kHz stereo only; baresip resamples to the codec's 8 kHz.
          'ausrc_srate 48000',
          'ausrc_channels 2',
          `rtp_ports ${rtpPort}-${rtpPort + 9}`,
          `module_path ${baresipModulePath}`,
          'module g711.so',
          'module ausine.so',
          'module aubridge.so',
          'module_tmp account.so',
          'module_app menu.so',
          'module_app ctrl_tcp.so',
          `ctrl_tcp_listen 127.0.0.1:${ctrlPort}`,
          '',
        ].join('\n'),
      );
      // The account's outbound proxy is the service; the AOR stays in the service's domain. Over TLS,
      // libre 1.x accepts the development certificate without a CA file (it does not verify servers).
      const outbound = `sip:127.0.0.1:${options.port};transport=${options.transport}`;
      writeFileSync(
        path.join(dir, 'accounts'),
        `<sip:${options.number}@${options.domain};transport=${options.transport}>;auth_pass=${options.password};` +
          `outbound="${outbound}";regint=600;answermode=${options.autoAnswer ? 'auto' : 'manual'};audio_codecs=pcmu,pcma\n`,
      );
      const child = spawn(baresipPath, ['-f', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
      let output = '';
      const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-32_000));
      child.stdout.on('data', keep);
      child.stderr.on('data', keep);

      try {
        return { dir, child, output: () => output, socket: await connectWhenListening(ctrlPort, child, () => output) };
      } catch (error) {
        await stopProcess(child);
        rmSync(dir, { recursive: true, force: true });
        // A port found free a moment ago can be taken by a parallel test (baresip also opens the next
        // one for TLS): try again with fresh ports; anything else is a real failure.
        if (attempt >= 5 || !/Address already in use/.test(output)) throw error;
      }
    }
  })();
  const events: BaresipEvent[] = [];
  const answers = new Map<string, (answer: { ok: boolean; data: string }) => void>();
  let buffer = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    // Netstrings: "<length>:<json>,".
    for (;;) {
      const colon = buffer.indexOf(':');
      if (colon < 0) break;
      const length = Number(buffer.subarray(0, colon).toString());
      if (buffer.length < colon + 1 + length + 1) break;
      const message = JSON.parse(buffer.subarray(colon + 1, colon + 1 + length).toString()) as Record<string, unknown>;
      buffer = buffer.subarray(colon + 1 + length + 1);
      if (message.event) events.push(message as unknown as BaresipEvent);
      else if (message.response && typeof message.token === 'string')
        answers.get(message.token)?.({ ok: message.ok === true, data: String(message.data ?? '') });
    }
  });
  let tokens = 0;

  const describe = () => `baresip ${options.number} (${options.transport}) events ${JSON.stringify(events)}\n${outputOf().slice(-4000)}`;
  const until = async (done: () => boolean, what: string, timeoutMs: number, failed: () => boolean = () => false) => {
    const started = Date.now();
    while (!done()) {
      if (failed()) throw new Error(`${what} failed: ${describe()}`);
      if (child.exitCode !== null) throw new Error(`baresip exited ${child.exitCode} before ${what}: ${describe()}`);
      if (Date.now() - started > timeoutMs) throw new Error(`no ${what} within ${timeoutMs} ms: ${describe()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    number: options.number,
    events,
    output: outputOf,
    waitFor: async (type, timeoutMs = 10_000) => {
      await until(() => events.some((e) => e.type === type), type, timeoutMs);
      return events.find((e) => e.type === type)!;
    },
    registered: (timeoutMs = 10_000) =>
      until(
        () => events.some((e) => e.type === 'REGISTER_OK') || / \{\d+\/(?:UDP|TCP|TLS)\/v4\} 200 OK/.test(outputOf()),
        'registration',
        timeoutMs,
        () => events.some((e) => e.type === 'REGISTER_FAIL') || /Register: /.test(outputOf()),
      ),
    command: (command, params) =>
      new Promise((resolve, reject) => {
        const token = String(++tokens);
        const timer = setTimeout(() => reject(new Error(`no answer to ${command} within 5000 ms: ${describe()}`)), 5000);
        answers.set(token, (answer) => {
          clearTimeout(timer);
          resolve(answer);
        });
        const json = Buffer.from(JSON.stringify({ command, ...(params ? { params } : {}), token }));
        socket.write(Buffer.concat([Buffer.from(`${json.length}:`), json, Buffer.from(',')]));
      }),
    stop: async () => {
      socket.destroy();
      await stopProcess(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function connectWhenListening(port: number, child: ChildProcess, output: () => string): Promise<Socket> {
  const started = Date.now();
  for (;;) {
    try {
      return await new Promise<Socket>((resolve, reject) => {
        const socket = connect(port, '127.0.0.1');
        socket.once('connect', () => resolve(socket));
        socket.once('error', reject);
      });
    } catch {
      if (child.exitCode !== null || Date.now() - started > 5000)
        throw new Error(`baresip's ctrl_tcp did not listen on ${port}: exit ${child.exitCode}\n${output()}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

/** SIGTERM, then SIGKILL if it is still there a second later. */
export async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 1000);
  await exited;
  clearTimeout(timer);
}

export interface Linphonec {
  /** Everything linphonec printed. */
  output: () => string;
  /** Waits until the output matches, or rejects after `timeoutMs`. */
  waitFor: (pattern: RegExp, timeoutMs?: number) => Promise<void>;
  /** One line on linphonec's command prompt (`call sip:…`, `terminate`). */
  send: (line: string) => void;
  /** Asks `status register` until linphonec says it is registered, or rejects after `timeoutMs`. */
  registered: (timeoutMs?: number) => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * linphonec with a fresh configuration in a temporary HOME, its digest settings left at their
 * defaults, registering through the service at 127.0.0.1:`port` over `transport`. Driven through
 * its command prompt on stdin; `-S` prints the registration and call states it goes through.
 */
export async function startLinphonec(
  options:
    | {
        number: string;
        password: string;
        domain: string;
        transport: TerminalTransport;
        port: number;
        autoAnswer?: boolean;
      }
    | {
        number: string;
        /**
         * Remote provisioning: no account in the local file; liblinphone fetches this URL at start
         * (`[misc] config-uri`) and takes its account, server and codecs from there.
         */
        configUri: string;
        autoAnswer?: boolean;
      },
): Promise<Linphonec> {
  const home = mkdtempSync(path.join(tmpdir(), 'vp-linphone-'));
  mkdirSync(path.join(home, '.local/share/linphone'), { recursive: true });
  const rc = path.join(home, 'linphonerc');
  writeFileSync(
    rc,
    [
      '[sip]',
      'sip_port=-1',
      'sip_tcp_port=-1',
      'sip_tls_port=-1',
      'default_proxy=0',
      // No network interface check: the service is on loopback. The development certificate is
      // self-signed, so linphone is told not to verify it.
      'register_only_when_network_is_up=0',
      'verify_server_certs=0',
      'verify_server_cn=0',
      '[rtp]',
      'audio_rtp_port=-1',
      '[sound]',
      'echocancellation=0',
      ...('configUri' in options ? ['[misc]', `config-uri=${options.configUri}`] : accountSections(options)),
      '',
    ].join('\n'),
  );
  // stdbuf: linphonec prints with stdio, which a pipe would otherwise hold back until it exits.
  const child = spawn('stdbuf', ['-oL', '-eL', linphonecPath, '-c', rc, '-S', ...(options.autoAnswer ? ['-a'] : [])], {
    env: { ...process.env, HOME: home },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  return driveLinphonec(child, home, options.number);
}

function accountSections(options: {
  number: string;
  password: string;
  domain: string;
  transport: TerminalTransport;
  port: number;
}): string[] {
  return [
    '[auth_info_0]',
    `username=${options.number}`,
    `passwd=${options.password}`,
    `realm=${options.domain}`,
    `domain=${options.domain}`,
    '[proxy_0]',
    `reg_proxy=<sip:127.0.0.1:${options.port};transport=${options.transport}>`,
    // Calls go through the service too (an outbound proxy, RFC 3261 §8.1.2), not to the domain.
    `reg_route=<sip:127.0.0.1:${options.port};transport=${options.transport};lr>`,
    `reg_identity=sip:${options.number}@${options.domain}`,
    'reg_expires=600',
    'reg_sendregister=1',
  ];
}

function driveLinphonec(child: ChildProcessWithoutNullStreams, home: string, number: string): Linphonec {
  let output = '';
  const keep = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-64_000));
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  child.stdin.on('error', () => undefined);
  const waitFor = async (pattern: RegExp, timeoutMs = 10_000, poke?: () => void) => {
    const started = Date.now();
    let poked = 0;
    for (;;) {
      if (pattern.test(output)) return;
      if (child.exitCode !== null) throw new Error(`linphonec exited ${child.exitCode} before ${pattern}:\n${output.slice(-4000)}`);
      if (Date.now() - started > timeoutMs)
        throw new Error(`linphonec printed no ${pattern} within ${timeoutMs} ms:\n${output.slice(-4000)}`);
      if (poke && Date.now() - poked > 500) {
        poke();
        poked = Date.now();
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  return {
    output: () => output,
    waitFor: (pattern, timeoutMs) => waitFor(pattern, timeoutMs),
    send: (line) => child.stdin.write(`${line}\n`),
    registered: (timeoutMs) =>
      waitFor(new RegExp(`^registered, identity=sip:${number}@`, 'm'), timeoutMs, () => child.stdin.write('status register\n')),
    stop: async () => {
      if (child.exitCode === null) child.stdin.write('quit\n');
      const quit = new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', () => resolve())));
      const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
      await quit;
      clearTimeout(timer);
      rmSync(home, { recursive: true, force: true });
    },
  };
}
