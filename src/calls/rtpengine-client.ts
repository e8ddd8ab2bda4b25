import { randomBytes } from 'node:crypto';
import { createSocket, type Socket } from 'node:dgram';
import { isIPv6 } from 'node:net';
import { decodeBencode, encodeBencode, type BencodeValue } from './bencode.js';

/**
 * A client of rtpengine's "ng" control protocol over UDP: each message is a random cookie, a
 * space and a bencoded dictionary with a `command`; the reply carries the same cookie and a
 * dictionary with `result` ("ok", "pong", "error" with `error-reason`). A lost datagram is sent
 * again with the same cookie, which rtpengine recognises and answers from its cache instead of
 * running the command twice.
 */
export type NgCommand = 'ping' | 'offer' | 'answer' | 'delete' | 'query' | 'list';

export type NgDictionary = { [key: string]: BencodeValue };

export type NgOutcome =
  | { ok: true; reply: NgDictionary }
  /** `unreachable`: no answer after every retry (or the socket failed); `refused`: rtpengine said error. */
  | { ok: false; failure: 'unreachable' | 'refused'; reason: string };

export interface RtpengineAddress {
  host: string;
  port: number;
}

export interface RtpengineClientOptions {
  /** How long to wait for each attempt's reply. */
  timeoutMs?: number;
  /** Attempts after the first one. */
  retries?: number;
}

/** `udp:127.0.0.1:2223`, `udp:[::1]:2223` (the RTPENGINE_URL setting); null if it is not one. */
export function parseRtpengineUrl(url: string): RtpengineAddress | null {
  const match = /^udp:(?:\/\/)?(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(url.trim());
  if (!match) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

export class RtpengineClient {
  readonly #pending = new Map<string, (reply: NgDictionary) => void>();
  readonly #timeoutMs: number;
  readonly #retries: number;
  #socket: Socket | null = null;

  constructor(
    readonly address: RtpengineAddress,
    options: RtpengineClientOptions = {},
  ) {
    this.#timeoutMs = options.timeoutMs ?? 1000;
    this.#retries = options.retries ?? 2;
  }

  /** Sends `command` with `parameters`; resolves (never rejects) once answered or given up on. */
  async request(command: NgCommand, parameters: NgDictionary = {}): Promise<NgOutcome> {
    const cookie = randomBytes(8).toString('hex');
    const datagram = Buffer.concat([Buffer.from(`${cookie} `), encodeBencode({ ...parameters, command })]);
    let socket: Socket;
    try {
      socket = this.#open();
    } catch (error) {
      return { ok: false, failure: 'unreachable', reason: (error as Error).message };
    }
    const reply = await new Promise<NgDictionary | null>((resolve) => {
      let attempts = 0;
      let timer: NodeJS.Timeout | null = null;
      const done = (value: NgDictionary | null) => {
        if (timer) clearTimeout(timer);
        this.#pending.delete(cookie);
        resolve(value);
      };
      const attempt = () => {
        if (attempts > this.#retries) return done(null);
        attempts += 1;
        socket.send(datagram, this.address.port, this.address.host, (error) => {
          // An unresolvable host or a local send failure will not improve with retries.
          if (error) done(null);
        });
        // Not unref'd: a request in flight is work the process still has to finish (bounded by the retries).
        timer = setTimeout(attempt, this.#timeoutMs);
      };
      this.#pending.set(cookie, done);
      attempt();
    });
    if (!reply) {
      return {
        ok: false,
        failure: 'unreachable',
        reason: `no answer from rtpengine at ${this.address.host}:${this.address.port} to ${command} (${this.#retries + 1} attempts)`,
      };
    }
    const result = reply.result;
    if (result === 'error') {
      const reason = typeof reply['error-reason'] === 'string' ? reply['error-reason'] : 'unknown error';
      return { ok: false, failure: 'refused', reason: `rtpengine refused ${command}: ${reason}` };
    }
    return { ok: true, reply };
  }

  close(): void {
    for (const done of [...this.#pending.values()]) done({ result: 'error', 'error-reason': 'client closed' });
    this.#socket?.close();
    this.#socket = null;
  }

  #open(): Socket {
    if (this.#socket) return this.#socket;
    const socket = createSocket(isIPv6(this.address.host) ? 'udp6' : 'udp4');
    socket.on('message', (message) => {
      const space = message.indexOf(0x20);
      if (space <= 0) return;
      const done = this.#pending.get(message.subarray(0, space).toString('latin1'));
      if (!done) return; // a late duplicate of a reply already taken
      try {
        const value = decodeBencode(message.subarray(space + 1));
        if (value && typeof value === 'object' && !Array.isArray(value)) done(value);
        else done({ result: 'error', 'error-reason': 'reply is not a dictionary' });
      } catch (error) {
        done({ result: 'error', 'error-reason': `malformed reply (${(error as Error).message})` });
      }
    });
    // ICMP port unreachable and the like: the attempts' timers decide, the socket stays usable.
    socket.on('error', () => undefined);
    socket.unref();
    this.#socket = socket;
    return socket;
  }
}
