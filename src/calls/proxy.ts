import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import {
  cloneMessage,
  createResponse,
  getHeader,
  getHeaders,
  parseNameAddr,
  parseSmallInteger,
  parseUri,
  parseVia,
  prependHeader,
  safeReason,
  setHeader,
  setHeaders,
  uriScheme,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  type SipUri,
} from '../sip/message/index.js';
import type { DigestAuthenticator } from '../sip/auth/digest.js';
import { createBranch, createTag } from '../sip/transaction/branch.js';
import type { InviteClientTransaction } from '../sip/transaction/client-transaction.js';
import type { InviteServerTransaction, ServerTransaction } from '../sip/transaction/server-transaction.js';
import type { TransactionLayer, TransactionUser } from '../sip/transaction/transaction-layer.js';
import { flowKey, isWebSocket, type Flow, type TransportProtocol } from '../sip/transport/flow.js';
import type { CallPolicy } from './call-policy.js';
import type { CallRecorder } from './call-records.js';
import type { Binding, LocationService } from './location-service.js';
import type { Registrar } from './registrar.js';
import type { SipAccountStore } from './sip-accounts.js';
import type { SipAuthentication } from './sip-authentication.js';

export interface ProxyAddresses {
  /** Host (IP) put in Via and Record-Route for UDP/TCP/TLS; must be reachable by peers. */
  host: string;
  ports: Partial<Record<TransportProtocol, number>>;
  /** Host name used on the WebSocket side (RFC 7118 §5.2: any host will do, the flow carries it). */
  webSocketHost: string;
}

export interface ProxyOptions {
  domain: string;
  addresses: ProxyAddresses;
  flowTokenSecret: Buffer;
  /** §16.6 step 11 Timer C, bounded to how long a person lets it ring. */
  ringTimeoutMs: number;
  sessionExpiresSeconds: number | null;
}

interface ProxyDeps {
  transactions: TransactionLayer;
  registrar: Registrar;
  digest: DigestAuthenticator;
  authentication: SipAuthentication;
  accounts: SipAccountStore;
  location: LocationService;
  policy: CallPolicy;
  recorder: CallRecorder;
  logger: Logger;
  now: () => Date;
}

const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, UPDATE, INFO, REGISTER, PRACK, NOTIFY, REFER';
const FORWARDED_OUT_OF_DIALOG = new Set(['INVITE', 'MESSAGE', 'OPTIONS']);

/**
 * A stateful proxy and registrar front (RFC 3261 §16). Calls between subscribers fork to every
 * registered device; the first answer wins and the other devices hear "answered elsewhere".
 */
export class Proxy implements TransactionUser {
  readonly #forks = new Map<string, InviteFork>();
  readonly #ourHosts: Set<string>;
  readonly #flowTokenKey: Buffer;

  constructor(
    private readonly options: ProxyOptions,
    private readonly deps: ProxyDeps,
  ) {
    this.#flowTokenKey = createHash('sha256').update('videophone flow token').update(options.flowTokenSecret).digest();
    this.#ourHosts = new Set([options.domain, options.addresses.host, options.addresses.webSocketHost].map((h) => h.toLowerCase()));
    deps.transactions.setUser(this);
  }

  get activeForks(): number {
    return this.#forks.size;
  }

  onRequest(transaction: ServerTransaction): void {
    this.#handle(transaction).catch((error: unknown) => {
      this.deps.logger.error({ err: error, method: transaction.request.method }, 'proxy failed on a request');
      transaction.respond(createResponse(transaction.request, 500, { toTag: createTag(), reason: 'Server Internal Error' }));
    });
  }

  onAck(request: SipRequest, flow: Flow): void {
    // §16.11 / §13.2.2.4: the ACK for a 2xx is its own transaction, routed by the route set statelessly.
    this.#forwardAck(request, flow).catch((error: unknown) => this.deps.logger.warn({ err: error }, 'could not forward ACK'));
  }

  onStrayResponse(response: SipResponse): void {
    // §16.7 / RFC 6026: a late 2xx from a fork whose branch already ended still belongs upstream.
    const top = getHeader(response, 'Via');
    if (!top || response.status < 200 || response.status >= 300) return;
    const branch = parseVia(top).params.get('branch');
    const fork = branch ? this.#forks.get(branch) : undefined;
    fork?.forwardLate2xx(response);
  }

  onFlowClosed(flow: Flow): void {
    this.deps.location.removeByFlow(flow);
  }

  async #handle(transaction: ServerTransaction): Promise<void> {
    const request = transaction.request;
    const reply = (status: number, reason?: string, headers: SipHeader[] = []) =>
      transaction.respond(
        createResponse(request, status, { toTag: createTag(), headers, ...(reason ? { reason: safeReason(reason) } : {}) }),
      );

    // §8.2.2.1: only sip and sips URIs are routed here.
    const scheme = uriScheme(request.uri);
    if (scheme !== 'sip' && scheme !== 'sips') return reply(416);

    // §16.3 step 3: Max-Forwards.
    const maxForwardsText = getHeader(request, 'Max-Forwards');
    const maxForwards = maxForwardsText === undefined ? 70 : parseSmallInteger(maxForwardsText, 'Max-Forwards', 255);
    if (maxForwards === 0) {
      if (request.method === 'OPTIONS') return reply(200, undefined, this.#capabilities());
      return reply(483);
    }
    // §16.3 step 6: we support no extension a proxy must understand.
    const proxyRequire = getHeaders(request, 'Proxy-Require');
    if (proxyRequire.length > 0) return reply(420, undefined, [{ name: 'Unsupported', value: proxyRequire.join(', ') }]);

    const { routes, flowToken } = this.#consumeOurRoutes(request);

    if (request.method === 'CANCEL') return this.#cancel(transaction);
    if (routes.length > 0) return this.#forwardInDialog(transaction, await this.#resolveUri(parseNameAddr(routes[0]!).uri));

    const toTag = parseNameAddr(getHeader(request, 'To')!).params.get('tag');
    if (toTag) return this.#forwardInDialog(transaction, await this.#targetFor(request.uri, flowToken));

    if (request.method === 'REGISTER') return this.deps.registrar.handle(transaction);

    const requestUri = parseUri(request.uri);
    if (!this.#ourHosts.has(requestUri.host)) return reply(403, 'Relaying denied');
    if (request.method === 'OPTIONS' && !requestUri.user) return reply(200, undefined, this.#capabilities());
    if (!FORWARDED_OUT_OF_DIALOG.has(request.method)) return reply(405, undefined, [{ name: 'Allow', value: ALLOWED_METHODS }]);

    // §22.3: a proxy challenges with 407; the caller is who authenticated, and must be the From user.
    const fromUser = parseUri(parseNameAddr(getHeader(request, 'From')!).uri).user;
    const owner = await this.deps.authentication.authenticate(transaction, 'proxy', fromUser);
    if (!owner) return;
    const caller = owner.number;
    const callee = requestUri.user;
    if (!callee) return reply(404);

    const decision = await this.deps.policy.authorizeCall({ caller, callee, at: this.deps.now() });
    if (!decision.allow) return reply(decision.status, decision.reason);

    const bindings = this.deps.location.lookup(callee, this.deps.now().getTime());
    if (bindings.length === 0) return reply(480, 'Temporarily Unavailable');
    // Strip credentials meant for us before the request leaves (§22.3: they are consumed here).
    setHeaders(request, 'Proxy-Authorization', []);

    if (request.method === 'INVITE') return this.#fork(transaction as InviteServerTransaction, caller, callee, bindings);
    return this.#forkNonInvite(transaction, bindings);
  }

  #capabilities(): SipHeader[] {
    return [
      { name: 'Allow', value: ALLOWED_METHODS },
      { name: 'Accept', value: 'application/sdp, text/plain' },
      { name: 'Supported', value: 'path, outbound, gruu' },
    ];
  }

  // -- routing ---------------------------------------------------------------------------------

  /**
   * §16.4: removes the Route entries that name us from the top of the request; the flow token of the
   * last one removed names the flow toward the next hop (it faces the destination).
   */
  #consumeOurRoutes(request: SipRequest): { routes: string[]; flowToken: string | null } {
    const routes = getHeaders(request, 'Route');
    let flowToken: string | null = null;
    while (routes.length > 0) {
      const uri = this.#ourRouteUri(routes[0]!);
      if (!uri) break;
      flowToken = uri.user ?? flowToken;
      routes.shift();
    }
    setHeaders(request, 'Route', routes);
    return { routes, flowToken };
  }

  /** A Route entry naming us (host ours, and the port one of ours if given), parsed; else null. */
  #ourRouteUri(route: string): SipUri | null {
    try {
      const uri = parseUri(parseNameAddr(route).uri);
      if (!this.#ourHosts.has(uri.host)) return null;
      if (uri.port !== null && !Object.values(this.options.addresses.ports).includes(uri.port)) return null;
      return uri;
    } catch {
      return null;
    }
  }

  /** Where an in-dialog request goes: the flow named by our Record-Route token, else a registered contact, else the URI itself. */
  async #targetFor(uri: string, flowToken: string | null): Promise<Flow | null> {
    const flow = flowToken ? this.#flowFromToken(flowToken) : null;
    if (flow) return flow;
    const binding = this.deps.location.findByContact(uri, this.deps.now().getTime());
    if (binding) return this.#flowToDevice(binding);
    return this.#resolveUri(uri);
  }

  async #resolveUri(text: string): Promise<Flow | null> {
    let uri: SipUri;
    try {
      uri = parseUri(text);
    } catch {
      return null;
    }
    if (uri.host.endsWith('.invalid')) return null; // a WebSocket client's contact: only its flow reaches it
    const transportParam = (uri.params.get('transport') ?? (uri.scheme === 'sips' ? 'tls' : 'udp')).toUpperCase();
    const protocol = (['UDP', 'TCP', 'TLS'].includes(transportParam) ? transportParam : 'UDP') as TransportProtocol;
    const host = uri.host.replace(/^\[|\]$/g, '');
    const address = isIP(host) ? host : (await dnsLookup(host).catch(() => null))?.address;
    if (!address) return null;
    const port = uri.port ?? (protocol === 'TLS' ? 5061 : 5060);
    return this.deps.transactions.transport.connect({ protocol, address, port }).catch((error: unknown) => {
      this.deps.logger.info({ err: error, uri: text }, 'next hop not reachable');
      return null;
    });
  }

  /** The registered flow if it is still open, else a new connection to the contact (plain TCP/TLS registrations). */
  async #flowToDevice(binding: Binding): Promise<Flow | null> {
    if (this.#flowUsable(binding.flow)) return binding.flow;
    return this.#resolveUri(binding.contact);
  }

  #flowUsable(flow: Flow): boolean {
    return !flow.connectionId || this.deps.transactions.transport.hasConnection(flow.connectionId);
  }

  /**
   * RFC 5626 §5.2-style flow token: the flow, encrypted and authenticated (AES-256-GCM), so a peer
   * can neither aim us at another flow nor read the other party's address from the route set.
   */
  #flowToken(flow: Flow): string {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#flowTokenKey, nonce);
    const plain = Buffer.from(JSON.stringify([flow.protocol, flow.remoteAddress, flow.remotePort, flow.connectionId]));
    return Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url');
  }

  #flowFromToken(token: string): Flow | null {
    try {
      const data = Buffer.from(token, 'base64url');
      if (data.length < 12 + 16 + 2) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.#flowTokenKey, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      const [protocol, remoteAddress, remotePort, connectionId] = JSON.parse(plain.toString()) as [
        TransportProtocol,
        string,
        number,
        string | null,
      ];
      const flow: Flow = { protocol, remoteAddress, remotePort, localAddress: '', localPort: 0, connectionId };
      return this.#flowUsable(flow) ? flow : null;
    } catch {
      return null; // forged, truncated or from another deployment's secret
    }
  }

  #ourHostPort(flow: Flow): { host: string; port: number | null } {
    if (isWebSocket(flow.protocol)) return { host: this.options.addresses.webSocketHost, port: null };
    return { host: this.options.addresses.host, port: this.options.addresses.ports[flow.protocol] ?? null };
  }

  #via(flow: Flow, branch: string): string {
    const { host, port } = this.#ourHostPort(flow);
    return `SIP/2.0/${flow.protocol} ${host}${port !== null ? `:${port}` : ''};branch=${branch};rport`;
  }

  /** §16.6 step 4 with RFC 5658 double record-routing: one entry per side, each carrying its flow. */
  #recordRoute(flow: Flow): string {
    const { host, port } = this.#ourHostPort(flow);
    return `<sip:${this.#flowToken(flow)}@${host}${port !== null ? `:${port}` : ''};transport=${flow.protocol.toLowerCase()};lr>`;
  }

  /** §16.6 steps 1–3 and 8: the copy that goes to one target. */
  #prepareForward(
    request: SipRequest,
    target: Flow,
    options: { requestUri?: string; recordRouteFrom?: Flow; branch?: string },
  ): SipRequest {
    const copy = cloneMessage(request);
    if (options.requestUri) copy.uri = options.requestUri;
    const maxForwards = getHeader(copy, 'Max-Forwards');
    setHeader(copy, 'Max-Forwards', String((maxForwards === undefined ? 70 : Number(maxForwards)) - 1));
    if (options.recordRouteFrom) {
      prependHeader(copy, 'Record-Route', this.#recordRoute(options.recordRouteFrom));
      prependHeader(copy, 'Record-Route', this.#recordRoute(target));
    }
    prependHeader(copy, 'Via', this.#via(target, options.branch ?? createBranch()));
    return copy;
  }

  // -- in-dialog requests and ACK ---------------------------------------------------------------

  async #forwardInDialog(transaction: ServerTransaction, target: Flow | null): Promise<void> {
    const request = transaction.request;
    if (!target) {
      transaction.respond(createResponse(request, 480, { toTag: createTag(), reason: 'Peer not reachable' }));
      return;
    }
    const callId = getHeader(request, 'Call-ID')!;
    const now = this.deps.now();
    if (request.method === 'BYE') {
      const fromTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
      await this.deps.recorder.ended(callId, now, fromTag, 'BYE');
    } else if (request.method === 'INVITE' || request.method === 'UPDATE') {
      await this.deps.recorder.refreshed(callId, now);
    }
    const forwarded = this.#prepareForward(request, target, {
      recordRouteFrom: request.method === 'INVITE' ? transaction.flow : undefined,
    });
    this.deps.transactions.sendRequest(forwarded, target, {
      onResponse: (response) => {
        if (response.status === 100) return;
        transaction.respond(withoutTopVia(response));
      },
      onTimeout: () => transaction.respond(createResponse(request, 408, { toTag: createTag() })),
      onTransportError: () => transaction.respond(createResponse(request, 480, { toTag: createTag(), reason: 'Peer not reachable' })),
    });
  }

  async #forwardAck(request: SipRequest, flow: Flow): Promise<void> {
    const { routes, flowToken } = this.#consumeOurRoutes(request);
    const target =
      routes.length > 0 ? await this.#resolveUri(parseNameAddr(routes[0]!).uri) : await this.#targetFor(request.uri, flowToken);
    if (!target || flowKey(target) === flowKey(flow)) return;
    // §16.11: a stateless forward uses a branch derived from the incoming one, so retransmissions match.
    const incoming = parseVia(getHeader(request, 'Via')!).params.get('branch') ?? '';
    const branch = 'z9hG4bK' + createHash('sha1').update(`ack:${incoming}`).digest('base64url').slice(0, 20);
    this.deps.transactions.transport.sendOnFlow(this.#prepareForward(request, target, { branch }), target);
  }

  // -- CANCEL (§16.10) --------------------------------------------------------------------------

  #cancel(transaction: ServerTransaction): void {
    const request = transaction.request;
    const invite = this.deps.transactions.findInviteServerTransaction(request);
    if (!invite) {
      transaction.respond(createResponse(request, 481, { toTag: createTag() }));
      return;
    }
    transaction.respond(createResponse(request, 200, { toTag: createTag() }));
    const fork = [...this.#forks.values()].find((candidate) => candidate.server === invite);
    fork?.cancelByCaller(getHeaders(request, 'Reason'));
  }

  // -- forking (§16.5–§16.7) --------------------------------------------------------------------

  async #fork(server: InviteServerTransaction, caller: string, callee: string, bindings: Binding[]): Promise<void> {
    const request = server.request;
    server.respond(createResponse(request, 100));
    const now = this.deps.now();
    const sessionExpires = getHeader(request, 'Session-Expires');
    // The record is durable before the first device rings.
    const recordId = await this.deps.recorder.started({
      callId: getHeader(request, 'Call-ID')!,
      fromTag: parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '',
      caller,
      callee,
      callerDevice: getHeader(request, 'User-Agent') ?? null,
      at: now,
      sessionExpiresSeconds: sessionExpires ? Number.parseInt(sessionExpires, 10) || null : this.options.sessionExpiresSeconds,
    });
    const fork = new InviteFork(server, recordId, this.deps, () => {
      for (const branch of fork.branchIds) setTimeout(() => this.#forks.delete(branch), 64 * this.deps.transactions.timers.T1).unref();
    });
    for (const binding of bindings) {
      const flow = await this.#flowToDevice(binding);
      if (!flow) continue;
      const branch = createBranch();
      const forwarded = this.#prepareForward(request, flow, { requestUri: binding.contact, recordRouteFrom: server.flow, branch });
      this.#forks.set(branch, fork);
      fork.addBranch(branch, { ...binding, flow }, forwarded);
    }
    fork.start(this.options.ringTimeoutMs);
  }

  async #forkNonInvite(server: ServerTransaction, bindings: Binding[]): Promise<void> {
    const request = server.request;
    let pending = 0;
    let answered = false;
    const finals: SipResponse[] = [];
    const settle = () => {
      if (answered || pending > 0) return;
      answered = true;
      const best = chooseBestResponse(finals);
      server.respond(best ? withoutTopVia(best) : createResponse(request, 480, { toTag: createTag() }));
    };
    for (const binding of bindings) {
      const flow = await this.#flowToDevice(binding);
      if (!flow) continue;
      pending += 1;
      const forwarded = this.#prepareForward(request, flow, { requestUri: binding.contact });
      this.deps.transactions.sendRequest(forwarded, flow, {
        onResponse: (response) => {
          if (response.status < 200) return;
          pending -= 1;
          if (response.status < 300 && !answered) {
            answered = true;
            server.respond(withoutTopVia(response));
            return;
          }
          finals.push(response);
          settle();
        },
        onTimeout: () => {
          pending -= 1;
          settle();
        },
        onTransportError: () => {
          pending -= 1;
          settle();
        },
      });
    }
    settle();
  }
}

/** One INVITE forked to every device of the callee. */
class InviteFork {
  readonly #branches = new Map<string, { binding: Binding; transaction: InviteClientTransaction | null; final: SipResponse | null }>();
  #answered = false;
  #finished = false;
  #timerC: NodeJS.Timeout | null = null;

  readonly callId: string;

  constructor(
    readonly server: InviteServerTransaction,
    private readonly recordId: string,
    private readonly deps: ProxyDeps,
    private readonly onDone: () => void,
  ) {
    this.callId = getHeader(server.request, 'Call-ID')!;
  }

  get branchIds(): string[] {
    return [...this.#branches.keys()];
  }

  addBranch(branch: string, binding: Binding, request: SipRequest): void {
    const state = { binding, transaction: null as InviteClientTransaction | null, final: null as SipResponse | null };
    this.#branches.set(branch, state);
    state.transaction = this.deps.transactions.sendRequest(request, binding.flow, {
      onResponse: (response) => this.#onBranchResponse(branch, response),
      onTimeout: () => this.#onBranchFinal(branch, createResponse(request, 408, { toTag: createTag() })),
      onTransportError: () =>
        this.#onBranchFinal(branch, createResponse(request, 480, { toTag: createTag(), reason: 'Device unreachable' })),
    }) as InviteClientTransaction;
  }

  start(ringTimeoutMs: number): void {
    if (this.#branches.size === 0) {
      void this.#finish(createResponse(this.server.request, 480, { toTag: createTag() }), 'no reachable device');
      return;
    }
    // §16.6 step 11: Timer C bounds how long the call may ring.
    this.#timerC = setTimeout(() => {
      if (this.#finished) return;
      void this.#finish(createResponse(this.server.request, 408, { toTag: createTag(), reason: 'No answer' }), 'no answer');
      this.#cancelBranches([]);
    }, ringTimeoutMs);
    this.#timerC.unref();
  }

  #onBranchResponse(branch: string, response: SipResponse): void {
    if (response.status === 100) return;
    if (response.status < 200) {
      // §16.7 step 5: provisional responses go upstream while the call is undecided.
      if (!this.#finished) this.server.respond(withoutTopVia(response));
      return;
    }
    if (response.status < 300) {
      // §16.7 step 5: every 2xx goes upstream; the first one decides the call.
      this.server.respond(withoutTopVia(response));
      if (!this.#answered) {
        this.#answered = true;
        const state = this.#branches.get(branch)!;
        state.final = response;
        this.#finished = true;
        if (this.#timerC) clearTimeout(this.#timerC);
        void this.deps.recorder.answered(this.callId, this.recordId, this.deps.now(), state.binding.userAgent ?? state.binding.contact);
        // RFC 3326: the other devices learn the call was answered elsewhere.
        this.#cancelBranches([{ name: 'Reason', value: 'SIP ;cause=200 ;text="Call completed elsewhere"' }]);
        this.onDone();
      }
      return;
    }
    this.#onBranchFinal(branch, response);
  }

  #onBranchFinal(branch: string, response: SipResponse): void {
    const state = this.#branches.get(branch);
    if (!state || state.final) return;
    state.final = response;
    if (this.#finished) return;
    const pending = [...this.#branches.values()].filter((b) => b.final === null);
    // §16.7 step 5: a 6xx ends the search; the other branches are cancelled.
    if (response.status >= 600) {
      this.#cancelBranches([]);
      void this.#finish(withoutTopVia(response), 'declined');
      return;
    }
    if (pending.length === 0) {
      const best = chooseBestResponse([...this.#branches.values()].map((b) => b.final!).filter(Boolean));
      if (best) void this.#finish(withoutTopVia(best), 'no device answered');
      else void this.#finish(createResponse(this.server.request, 480, { toTag: createTag() }), 'no device answered');
    }
  }

  cancelByCaller(reason: string[]): void {
    if (this.#finished) return;
    this.#cancelBranches(reason.map((value) => ({ name: 'Reason', value })));
    void this.#finish(createResponse(this.server.request, 487, { toTag: createTag() }), 'cancelled by caller', true);
  }

  forwardLate2xx(response: SipResponse): void {
    this.server.respond(withoutTopVia(response));
  }

  #cancelBranches(headers: SipHeader[]): void {
    for (const state of this.#branches.values()) if (state.final === null) state.transaction?.cancel(headers);
  }

  /** Sends the one final response upstream; `upstream` already carries the caller's Via list. */
  async #finish(upstream: SipResponse, reason: string, cancelled = false): Promise<void> {
    if (this.#finished && !cancelled) return;
    this.#finished = true;
    if (this.#timerC) clearTimeout(this.#timerC);
    // §16.7 step 6: a 503 from downstream is not passed on as such.
    if (upstream.status === 503) {
      upstream.status = 500;
      upstream.reason = 'Server Internal Error';
    }
    this.server.respond(upstream);
    this.onDone();
    await this.deps.recorder.failed(
      this.callId,
      this.recordId,
      this.deps.now(),
      upstream.status,
      `${reason} (${upstream.status} ${upstream.reason})`,
      cancelled,
    );
  }
}

/** §16.7 step 6: 6xx first, else the lowest class; within a class a specific answer beats "no answer". */
export function chooseBestResponse(responses: SipResponse[]): SipResponse | null {
  const finals = responses.filter((r) => r.status >= 300);
  if (finals.length === 0) return null;
  const global = finals.find((r) => r.status >= 600);
  if (global) return global;
  const weak = new Set([408, 480, 487, 503]);
  return [...finals].sort(
    (a, b) => Math.floor(a.status / 100) - Math.floor(b.status / 100) || Number(weak.has(a.status)) - Number(weak.has(b.status)),
  )[0]!;
}

/** §16.7 step 3: the proxy's own Via comes off before a response goes upstream. */
function withoutTopVia(response: SipResponse): SipResponse {
  const copy = cloneMessage(response);
  const index = copy.headers.findIndex((h) => h.name === 'Via');
  if (index >= 0) copy.headers.splice(index, 1);
  return copy;
}
