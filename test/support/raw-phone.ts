import { createSocket, type Socket } from 'node:dgram';
import { digestAuthorization, header, randomToken, statusLine } from './raw-sip.js';

/**
 * A minimal SIP phone over UDP, written from RFC 3261 for tests: it registers with digest, places
 * calls, answers whatever rings it, and answers in-dialog requests with 200. Every message it sends
 * and receives is kept, so a test can assert what reached it and build spoofs from what it saw.
 */
export class RawPhone {
  readonly received: string[] = [];
  /** Requests that arrived (never consumed by waits on responses). */
  readonly requests: string[] = [];
  autoAnswer = true;
  /** Extra header lines put in this phone's 200 to an INVITE. */
  answerHeaders: string[] = [];
  #cseq = 1;

  private constructor(
    private readonly socket: Socket,
    readonly address: string,
    readonly port: number,
    readonly number: string,
    private readonly domain: string,
    private readonly proxyPort: number,
  ) {
    socket.on('message', (data) => this.#receive(data.toString('utf8')));
  }

  static async open(options: { number: string; domain: string; proxyPort: number; address?: string }): Promise<RawPhone> {
    const address = options.address ?? '127.0.0.1';
    const socket = createSocket('udp4');
    await new Promise<void>((resolve) => socket.bind(0, address, () => resolve()));
    return new RawPhone(socket, address, socket.address().port, options.number, options.domain, options.proxyPort);
  }

  get contact(): string {
    return `<sip:${this.number}@${this.address}:${this.port}>`;
  }

  send(text: string, port = this.proxyPort, address = '127.0.0.1'): void {
    this.socket.send(Buffer.from(text.replace(/\r?\n/g, '\r\n')), port, address);
  }

  via(): string {
    return `SIP/2.0/UDP ${this.address}:${this.port};branch=z9hG4bK${randomToken()};rport`;
  }

  /** Registers this phone's contact (with `extraHeaders` in the REGISTER); returns the registrar's 200. */
  async register(extraHeaders: string[] = []): Promise<string> {
    const callId = randomToken();
    const uri = `sip:${this.domain}`;
    const build = (auth?: string) =>
      [
        `REGISTER ${uri} SIP/2.0`,
        `Via: ${this.via()}`,
        'Max-Forwards: 70',
        `From: <sip:${this.number}@${this.domain}>;tag=${randomToken()}`,
        `To: <sip:${this.number}@${this.domain}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${this.#cseq++} REGISTER`,
        `Contact: ${this.contact}`,
        'Expires: 600',
        ...extraHeaders,
        ...(auth ? [`Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    this.send(build());
    const challenge = await this.nextResponse(/^SIP\/2\.0 401/);
    this.send(
      build(
        digestAuthorization({
          challenge: md5Challenge(challenge, 'WWW-Authenticate'),
          username: this.number,
          password: `pw${this.number}`,
          method: 'REGISTER',
          uri,
        }),
      ),
    );
    return this.nextResponse(/^SIP\/2\.0 200/);
  }

  /**
   * Calls `callee` and waits for the 200; sends the ACK. Returns what a spoofer would need: the
   * dialog identifiers and this phone's route set (the Record-Route of the 200, reversed: §12.1.2).
   */
  async call(callee: string, extraHeaders: string[] = []): Promise<EstablishedCall> {
    // As long as real phones make theirs (V8 copies a string under 13 characters instead of slicing
    // it, so shorter ones would hide what the service keeps of a message).
    const callId = `${randomToken()}${randomToken()}@${this.address}`;
    const fromTag = `${randomToken()}${randomToken()}`;
    const uri = `sip:${callee}@${this.domain}`;
    const cseq = this.#cseq++;
    const build = (auth?: string) =>
      [
        `INVITE ${uri} SIP/2.0`,
        `Via: ${this.via()}`,
        'Max-Forwards: 70',
        `From: <sip:${this.number}@${this.domain}>;tag=${fromTag}`,
        `To: <${uri}>`,
        `Call-ID: ${callId}`,
        `CSeq: ${cseq} INVITE`,
        `Contact: ${this.contact}`,
        ...extraHeaders,
        ...(auth ? [`Proxy-Authorization: ${auth}`] : []),
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
    this.send(build());
    const challenge = await this.nextResponse(/^SIP\/2\.0 407/);
    this.ackNon2xx(challenge, uri);
    this.send(
      build(
        digestAuthorization({
          challenge: md5Challenge(challenge, 'Proxy-Authenticate'),
          username: this.number,
          password: `pw${this.number}`,
          method: 'INVITE',
          uri,
        }),
      ),
    );
    const ok = await this.nextResponse(/^SIP\/2\.0 200/);
    const recordRoutes = allHeaders(ok, 'Record-Route');
    const call: EstablishedCall = {
      callId,
      fromTag,
      toTag: /;tag=([^;>\s]+)/.exec(header(ok, 'To')!)![1]!,
      remoteTarget: /<([^>]+)>/.exec(header(ok, 'Contact')!)![1]!,
      routeSet: [...recordRoutes].reverse(),
      answer: ok,
      cseq,
    };
    this.send(this.inDialog('ACK', call, { cseq }));
    return call;
  }

  /** An in-dialog request of `call` as this phone (the caller) would send it. */
  inDialog(method: string, call: EstablishedCall, options: { cseq?: number; routes?: string[]; via?: string } = {}): string {
    return [
      `${method} ${call.remoteTarget} SIP/2.0`,
      `Via: ${options.via ?? this.via()}`,
      'Max-Forwards: 70',
      ...(options.routes ?? call.routeSet).map((route) => `Route: ${route}`),
      `From: <sip:${this.number}@${this.domain}>;tag=${call.fromTag}`,
      `To: ${header(call.answer, 'To')}`,
      `Call-ID: ${call.callId}`,
      `CSeq: ${options.cseq ?? ++call.cseq} ${method}`,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  ackNon2xx(response: string, uri: string): void {
    this.send(
      [
        `ACK ${uri} SIP/2.0`,
        `Via: ${header(response, 'Via')}`,
        'Max-Forwards: 70',
        `From: ${header(response, 'From')}`,
        `To: ${header(response, 'To')}`,
        `Call-ID: ${header(response, 'Call-ID')}`,
        `CSeq: ${header(response, 'CSeq')!.split(' ')[0]} ACK`,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n'),
    );
  }

  /**
   * Answers `request` (a request it received) with `status` by hand, for a test that holds its
   * calls (`autoAnswer` off): a 180 stops the proxy retransmitting an INVITE (RFC 3261 §17.1.1.2).
   */
  respond(request: string, status: number, reason: string, toTag = randomToken(), extraHeaders: string[] = []): void {
    this.send(this.#response(request, status, reason, toTag, extraHeaders), ...this.#replyTo(request));
  }

  async nextResponse(match: RegExp, timeoutMs = 5000): Promise<string> {
    return this.#take(this.received, match, timeoutMs);
  }

  async nextRequest(match: RegExp, timeoutMs = 5000): Promise<string> {
    return this.#take(this.requests, match, timeoutMs);
  }

  async #take(list: string[], match: RegExp, timeoutMs: number): Promise<string> {
    const started = Date.now();
    for (;;) {
      const index = list.findIndex((m) => match.test(m));
      if (index >= 0) return list.splice(index, 1)[0]!;
      if (Date.now() - started > timeoutMs) throw new Error(`${this.number}: nothing matching ${match} within ${timeoutMs} ms`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  #receive(text: string): void {
    if (text.startsWith('SIP/2.0')) {
      this.received.push(text);
      return;
    }
    this.requests.push(text);
    const method = text.split(' ')[0]!;
    if (method === 'ACK' || !this.autoAnswer) return;
    if (method === 'INVITE' && !/^To:.*;tag=/im.test(text)) {
      const toTag = `${randomToken()}${randomToken()}`;
      this.send(this.#response(text, 180, 'Ringing', toTag), ...this.#replyTo(text));
      this.send(this.#response(text, 200, 'OK', toTag, [`Contact: ${this.contact}`, ...this.answerHeaders]), ...this.#replyTo(text));
      return;
    }
    this.send(this.#response(text, 200, 'OK'), ...this.#replyTo(text));
  }

  /** §18.2.2: to the top Via's received/rport, else its sent-by. */
  #replyTo(request: string): [number, string] {
    const via = header(request, 'Via')!;
    const rport = /;rport=(\d+)/.exec(via)?.[1];
    const received = /;received=([^;\s]+)/.exec(via)?.[1];
    const sentBy = /SIP\/2\.0\/UDP ([^;:\s]+)(?::(\d+))?/.exec(via)!;
    return [Number(rport ?? sentBy[2] ?? 5060), received ?? sentBy[1]!];
  }

  #response(request: string, status: number, reason: string, toTag?: string, extra: string[] = []): string {
    const lines = request.split('\r\n');
    const copied = lines.filter((line) => /^(Via|From|Call-ID|CSeq|Record-Route):/i.test(line));
    const to = header(request, 'To')!;
    return [
      `SIP/2.0 ${status} ${reason}`,
      ...copied,
      `To: ${toTag && !/;tag=/.test(to) ? `${to};tag=${toTag}` : to}`,
      ...extra,
      'Content-Length: 0',
      '',
      '',
    ].join('\r\n');
  }

  close(): void {
    this.socket.close();
  }
}

export interface EstablishedCall {
  callId: string;
  fromTag: string;
  toTag: string;
  remoteTarget: string;
  routeSet: string[];
  answer: string;
  cseq: number;
}

export function allHeaders(message: string, name: string): string[] {
  return message
    .split('\r\n')
    .filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`))
    .flatMap((line) => line.slice(name.length + 1).split(/,(?=\s*<)/))
    .map((value) => value.trim());
}

/** The MD5 challenge of a 401/407 (the server may offer SHA-256 too; this phone computes MD5). */
function md5Challenge(response: string, name: string): string {
  const values = response.split('\r\n').filter((line) => line.toLowerCase().startsWith(`${name.toLowerCase()}:`));
  const chosen = values.find((value) => /algorithm=MD5/i.test(value)) ?? values[0];
  if (!chosen) throw new Error(`no ${name} in ${statusLine(response)}`);
  return chosen;
}
