import { hash } from 'node:crypto';
import { isIP } from 'node:net';
import { lookup as dnsLookup } from 'node:dns/promises';
import type { Logger } from 'pino';
import {
  cloneMessage,
  detachedCopy,
  createResponse,
  getHeader,
  getHeaders,
  appendHeader,
  parseNameAddr,
  parseSmallInteger,
  parseUri,
  parseVia,
  prependHeader,
  quote,
  safeReason,
  setHeader,
  setHeaders,
  unsupportedOptionTags,
  uriScheme,
  type SipHeader,
  type SipRequest,
  type SipResponse,
  type SipUri,
  createBranch,
  createTag,
  type InviteServerTransaction,
  type ServerTransaction,
  type TransactionLayer,
  type TransactionUser,
  flowKey,
  isWebSocket,
  type Flow,
  type TransportProtocol,
  KeptFor,
} from '../sip/index.js';
import { isDatabaseUnavailable } from '../platform/db/index.js';
import { SampledLog } from '../platform/logging.js';
import type { CallBudget } from './call-budget.js';
import { CallMeter } from './call-meter.js';
import type { CallPolicy } from './call-policy.js';
import { FlowTokenCipher, PATH_TOKEN_DIALOG, type FlowTokenClaims } from './flow-token.js';
import { ENDED_BY_PROXY, type CallRecorder } from './call-records.js';
import { DialogKeepalive } from './dialog-keepalive.js';
import { chooseBestResponse, InviteFork, recordFailureOnceRecorded, withoutTopVia } from './invite-fork.js';
import type { Binding, LocationService } from './location-service.js';
import { movedNumberWarnings, type MovedNumbers } from './moved-numbers.js';
import { MediaBridge, mediaKindOfBinding, mediaKindOfSdp, type BridgeFailure, type MediaKind } from './media-bridge.js';
import type { Registrar } from './registrar.js';
import { REFER_OUTSIDE_DIALOG, screenRefer } from './refer-screen.js';
import type { SipAuthentication } from './sip-authentication.js';

export interface ProxyAddresses {
  /** Host (IP) put in Via and Record-Route for UDP/TCP/TLS; must be reachable by peers. */
  host: string;
  ports: Partial<Record<TransportProtocol, number>>;
  /** Ports that name this proxy in a Route though it does not put them in its own Via and Record-Route (a node's public ports, in a worker). */
  sharedPorts?: number[];
  /** Host name used on the WebSocket side (RFC 7118 §5.2: any host will do, the flow carries it). */
  webSocketHost: string;
}

export interface ProxyOptions {
  domain: string;
  addresses: ProxyAddresses;
  flowTokenSecret: Buffer;
  /** §16.6 step 11 Timer C, bounded to how long a person lets it ring. */
  ringTimeoutMs: number;
  /**
   * RFC 4028 §8.1: the session interval the proxy asks for when the caller asked for none, so every
   * answered call proves it is alive at a known interval (null: leave the caller's choice alone).
   */
  sessionExpiresSeconds: number | null;
  /** RFC 4028 §5: the smallest session interval accepted (90 s is the RFC's floor). */
  minSessionExpiresSeconds?: number;
  /**
   * This node's name (NODE_ID). A binding another node made with a Path (RFC 3327) is reached
   * through that node, which holds the device's connection.
   */
  node?: string;
}

/** Where a request to a device goes first, and the Route entries it carries (RFC 3327 Path, §16.6 step 6). */
export interface NextHop {
  flow: Flow;
  route: string[];
}

/**
 * What a node that only carries a call to the device it holds writes about the call: nothing. The
 * node the call entered records and meters it (issue #17: the record is written once).
 */
const TRANSIT_RECORDER = { answered: async () => undefined, failed: async () => undefined };
/** The record a transit node's fork waits for: none, at once. */
const TRANSIT_RECORD = Promise.resolve('');
/** Timer C of a transit hop: longer than the entry node's, which decides when the call stops ringing. */
const TRANSIT_TIMER_C_GRACE_MS = 5_000;

interface ProxyDeps {
  transactions: TransactionLayer;
  registrar: Registrar;
  authentication: SipAuthentication;
  location: LocationService;
  policy: CallPolicy;
  /** How long each call may run (charging's; `unmeteredBudget` without it). */
  budget: CallBudget;
  recorder: CallRecorder;
  logger: Logger;
  now: () => Date;
  /** Numbers that changed (clause 7): calls to the old one are answered 301 with the new one (null: none). */
  movedNumbers: MovedNumbers | null;
  /** rtpengine between browsers and plain-RTP phones; without it such calls get 488. */
  media?: MediaBridge;
  /** Each request refused as a relay or spoof attempt (the metrics count them; the log samples them). */
  onRefused?: (reason: ProxyRefusal) => void;
}

/**
 * Why a request was refused as not the sender's to make: a relay (a Route or Request-URI to anywhere
 * but our subscribers), or an in-dialog request or CANCEL from someone who is not a party.
 */
export type ProxyRefusal =
  'relay' | 'unknown-dialog' | 'forged-route' | 'incomplete-route' | 'route-of-another-dialog' | 'not-a-party' | 'cancel-not-caller';

/**
 * A refused in-dialog request or CANCEL is logged at most once a minute per source address: anyone
 * can send them by the thousand (session 35 saw thousands in a bench from sipp's aborted calls).
 */
const REFUSAL_LOG_INTERVAL_MS = 60_000;
const REFUSAL_LOG_SOURCES = 10_000;

/** §17.2.1 asks for a 100 (Trying) within 200 ms unless the TU answers by then; see #fork. */
const TRYING_AFTER_MS = 100;
const ALLOWED_METHODS = 'INVITE, ACK, CANCEL, BYE, OPTIONS, MESSAGE, UPDATE, INFO, REGISTER, PRACK, NOTIFY, REFER';
const FORWARDED_OUT_OF_DIALOG = new Set(['INVITE', 'MESSAGE', 'OPTIONS']);
/**
 * Methods allowed here only within a dialog (BYE §15.1.2, PRACK RFC 3262 §3, UPDATE RFC 3311 §5.2,
 * INFO RFC 6086 §4.2.1, NOTIFY RFC 6665 §4.1.3). Without a To tag one cannot belong to any dialog,
 * so it is answered 481 as a dialog that does not exist is; not 405, whose Allow would list it.
 */
const DIALOG_ONLY_METHODS = new Set(['BYE', 'PRACK', 'UPDATE', 'INFO', 'NOTIFY']);
/** The extensions named in this server's Supported (OPTIONS), and so understood in a Require sent to it. */
const SUPPORTED_OPTION_TAGS: ReadonlySet<string> = new Set(['path', 'outbound']);

/**
 * A stateful proxy and registrar front (RFC 3261 §16). Calls between subscribers fork to every
 * registered device; the first answer wins and the other devices hear "answered elsewhere".
 */
export class Proxy implements TransactionUser {
  /** Forks still deciding their call, by branch. */
  readonly #forks = new Map<string, InviteFork>();
  /**
   * Forks that are done, by branch, for 64*T1: a 2xx that comes after its branch's transaction
   * ended still goes upstream (§16.7 step 5, RFC 6026 §7.1), as long as a retransmitted 2xx may.
   */
  readonly #finishedForks: KeptFor<InviteFork>;
  /** The fork of each INVITE server transaction, for CANCEL (§16.10). */
  readonly #forkOfServer = new WeakMap<InviteServerTransaction, InviteFork>();
  readonly #ourHosts: Set<string>;
  readonly #tokens: FlowTokenCipher;
  readonly #keepalive: DialogKeepalive;
  readonly #meter: CallMeter;
  /** The fork of each ringing call by Call-ID, for a cutoff while it rings. */
  readonly #forkOfCall = new Map<string, InviteFork>();
  /** The parties of each ringing call, by Call-ID (`hangUpCallsOf` ends ringing calls too). */
  readonly #ringingParties = new Map<string, { caller: string; callee: string }>();
  readonly #media: MediaBridge;
  readonly #refusalLog: SampledLog;

  constructor(
    private readonly options: ProxyOptions,
    private readonly deps: ProxyDeps,
  ) {
    this.#tokens = new FlowTokenCipher(options.flowTokenSecret);
    this.#finishedForks = new KeptFor(64 * deps.transactions.timers.T1);
    this.#media = deps.media ?? new MediaBridge(null, options.addresses.host, deps.logger);
    this.#keepalive = new DialogKeepalive({
      ...deps,
      via: (flow, branch) => this.#via(flow, branch),
      onGone: (callId) => {
        this.#meter.lost(callId);
        this.#media.end(callId, 'call gone');
      },
    });
    this.#meter = new CallMeter(deps.budget, deps, {
      abandonRinging: (callId, status, reason) => this.#forkOfCall.get(callId)?.abandon(status, reason, 'credit limit reached'),
      hangUp: (callId, status, reason) => this.#hangUp(callId, status, reason),
    });
    this.#refusalLog = new SampledLog({
      intervalMs: REFUSAL_LOG_INTERVAL_MS,
      maxKeys: REFUSAL_LOG_SOURCES,
      now: () => deps.now().getTime(),
    });
    this.#ourHosts = new Set([options.domain, options.addresses.host, options.addresses.webSocketHost].map((h) => h.toLowerCase()));
    deps.transactions.setUser(this);
  }

  get activeForks(): number {
    return this.#forks.size;
  }

  /** Calls whose liveness the proxy itself checks (no session timer was negotiated). */
  get keptAliveDialogs(): number {
    return this.#keepalive.size;
  }

  /** Calls whose media this node has rtpengine bridge. */
  get bridgedCalls(): number {
    return this.#media.size;
  }

  /** Calls whose time this node keeps (metered by charging). */
  get meteredCalls(): number {
    return this.#meter.size;
  }

  close(): void {
    this.#keepalive.stopAll();
    this.#meter.stopAll();
  }

  /** Ends an answered call from the proxy (its time ran out): BYE both ways, the record closed. */
  #hangUp(callId: string, status: number, reason: string): Date | null {
    const at = this.deps.now();
    if (!this.#keepalive.hangUp(callId, `SIP ;cause=${status} ;text="${reason}"`)) return null;
    this.#media.end(callId, 'ended by the proxy');
    void this.deps.recorder
      .ended(callId, at, ENDED_BY_PROXY, status === 402 ? 'credit-limit' : `ended by the proxy (${status} ${reason})`)
      .catch((error: unknown) => this.deps.logger.error({ err: error, callId }, 'could not record the end of a call'));
    return at;
  }

  /**
   * Ends every call in which one of `numbers` is the caller or the callee (a judicial order that
   * ends calls in progress, clause 10): an answered call as #hangUp does (BYE to both parties with
   * the RFC 3326 Reason, the record closed as a BYE would close it, `hung_up_by` system), a ringing
   * one as a cutoff (the devices cancelled, the caller answered `480`). `reason` is what the parties'
   * phones and the record read, so it must not carry the order's details. Returns how many calls.
   */
  hangUpCallsOf(numbers: readonly string[], reason: string): number {
    const wanted = new Set(numbers);
    const text = safeReason(reason);
    let ended = 0;
    for (const callId of this.#keepalive.callsOf(wanted)) {
      const at = this.deps.now();
      if (!this.#keepalive.hangUp(callId, `SIP ;cause=480 ;text="${text}"`)) continue;
      this.#meter.ended(callId, at);
      void this.deps.recorder
        .ended(callId, at, ENDED_BY_PROXY, text)
        .catch((error: unknown) => this.deps.logger.error({ err: error, callId }, 'could not record the end of a call'));
      ended += 1;
    }
    for (const [callId, parties] of this.#ringingParties) {
      if (!wanted.has(parties.caller) && !wanted.has(parties.callee)) continue;
      this.#forkOfCall.get(callId)?.abandon(480, text, text);
      ended += 1;
    }
    return ended;
  }

  onRequest(transaction: ServerTransaction): void {
    this.#handle(transaction).catch((error: unknown) => {
      // RFC 3261 §21.5.4: a temporary overload or outage is 503 with Retry-After, not a server fault.
      if (isDatabaseUnavailable(error)) {
        this.deps.logger.warn({ err: error, method: transaction.request.method }, 'database unavailable; answering 503');
        transaction.respond(
          createResponse(transaction.request, 503, {
            toTag: createTag(),
            reason: 'Service Unavailable',
            headers: [{ name: 'Retry-After', value: '5' }],
          }),
        );
        return;
      }
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
    const fork = branch ? (this.#forks.get(branch) ?? this.#finishedForks.get(branch)) : undefined;
    if (branch) fork?.forwardLate2xx(branch, response);
  }

  onFlowClosed(flow: Flow): void {
    this.deps.location.removeByFlow(flow);
  }

  #forkFinished(fork: InviteFork): void {
    for (const branch of fork.branchIds) {
      this.#forks.delete(branch);
      this.#finishedForks.keep(branch, fork);
    }
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
      if (request.method === 'OPTIONS') return this.#answerOptions(transaction);
      return reply(483);
    }
    // §16.3 step 6: we support no extension a proxy must understand.
    const proxyRequire = getHeaders(request, 'Proxy-Require');
    if (proxyRequire.length > 0) return reply(420, undefined, [{ name: 'Unsupported', value: proxyRequire.join(', ') }]);

    if (request.method === 'CANCEL') return this.#cancel(transaction);
    // §12.2: a To tag makes a request part of a dialog, which only its parties may use.
    if (parseNameAddr(getHeader(request, 'To')!).params.get('tag')) return this.#forwardInDialog(transaction);

    // RFC 3327: a request another node of this deployment sends along the Path of a device whose
    // connection this node holds. The Path token proves the sender knows the deployment's secret.
    const along = this.#pathClaims(request);
    if (along) return this.#relayAlongPath(transaction, along);

    // §16.4: a preloaded Route naming us (an outbound proxy setting) is ours to remove; a Route to
    // anywhere else would make us an open relay, since we route only to our own subscribers.
    if (this.#removeOurRoutes(request).length > 0) return this.#refuseRelay(reply);

    if (request.method === 'REGISTER') return this.deps.registrar.handle(transaction);

    const requestUri = parseUri(request.uri);
    if (!this.#ourHosts.has(requestUri.host)) return this.#refuseRelay(reply);
    if (request.method === 'OPTIONS' && !requestUri.user) return this.#answerOptions(transaction);
    if (request.method === 'REFER') return reply(REFER_OUTSIDE_DIALOG.status, REFER_OUTSIDE_DIALOG.reason);
    if (DIALOG_ONLY_METHODS.has(request.method)) {
      // Without a To tag it belongs to no dialog at all: counted as one we do not know, not logged.
      this.deps.onRefused?.('unknown-dialog');
      return reply(481);
    }
    if (!FORWARDED_OUT_OF_DIALOG.has(request.method)) return reply(405, undefined, [{ name: 'Allow', value: ALLOWED_METHODS }]);

    // §22.3: a proxy challenges with 407; the caller is who authenticated, and must be the From user.
    const fromUser = parseUri(parseNameAddr(getHeader(request, 'From')!).uri).user;
    const owner = await this.deps.authentication.authenticate(transaction, 'proxy', fromUser);
    if (!owner) return;
    const caller = owner.number;
    const callee = requestUri.user;
    if (!callee) return reply(404);

    const decision = await this.deps.policy.authorizeCall({ caller, callee, at: this.deps.now() });
    if (!decision.allow) {
      // A callee that cannot be reached as an account (404: no account; 480: no longer active) may
      // be an old number that changed (clause 7); the caller is told the new one (§21.3.2).
      const moved = this.deps.movedNumbers;
      if (moved && (decision.status === 404 || decision.status === 480)) {
        // A lookup that fails (the database is away) must not turn a plain refusal into a server error.
        const movedTo = await moved.movedTo(callee, this.deps.now()).catch(() => null);
        if (movedTo !== null) return this.#answerMoved(transaction, callee, movedTo);
      }
      return reply(decision.status, decision.reason);
    }

    const bindings = this.deps.location.lookup(callee, this.deps.now().getTime());
    if (bindings.length === 0) return reply(480, 'Temporarily Unavailable');
    // Strip credentials meant for us before the request leaves (§22.3: they are consumed here).
    setHeaders(request, 'Proxy-Authorization', []);

    if (request.method === 'INVITE') return this.#fork(transaction as InviteServerTransaction, caller, callee, bindings);
    return this.#forkNonInvite(transaction, bindings);
  }

  /**
   * RFC 3261 §21.3.2 301 Moved Permanently: the Contact is the new address, which the caller should
   * use from now on (§8.1.3.4: a UAC may retry there by itself). The Warning says it in words, in
   * both languages, for phones that show the response rather than follow it.
   */
  #answerMoved(transaction: ServerTransaction, oldNumber: string, newNumber: string): void {
    const warnings = movedNumberWarnings(oldNumber, newNumber);
    const host = this.options.addresses.host;
    transaction.respond(
      createResponse(transaction.request, 301, {
        toTag: createTag(),
        reason: 'Moved Permanently',
        headers: [
          { name: 'Contact', value: `<sip:${newNumber}@${this.options.domain}>` },
          { name: 'Warning', value: `399 ${host} ${quote(warnings.en)}` },
          { name: 'Warning', value: `399 ${host} ${quote(warnings['zh-CN'])}` },
        ],
      }),
    );
  }

  /**
   * OPTIONS to this server itself (§11.2): as a UAS it first refuses an extension it does not
   * understand (§8.2.2.3), then answers with what it allows, accepts and supports.
   */
  #answerOptions(transaction: ServerTransaction): void {
    const request = transaction.request;
    const unsupported = unsupportedOptionTags(getHeaders(request, 'Require'), SUPPORTED_OPTION_TAGS);
    const [status, headers] =
      unsupported.length > 0
        ? [420, [{ name: 'Unsupported', value: unsupported.join(', ') }]]
        : [
            200,
            [
              { name: 'Allow', value: ALLOWED_METHODS },
              { name: 'Accept', value: 'application/sdp, text/plain' },
              { name: 'Supported', value: [...SUPPORTED_OPTION_TAGS].join(', ') },
            ],
          ];
    transaction.respond(createResponse(request, status, { toTag: createTag(), headers }));
  }

  // -- routing ---------------------------------------------------------------------------------

  /** §16.4: removes the Route entries naming us from the top of the request; returns the rest. */
  #removeOurRoutes(request: SipRequest): string[] {
    const routes = getHeaders(request, 'Route');
    while (routes.length > 0 && this.#ourRouteUri(routes[0]!)) routes.shift();
    setHeaders(request, 'Route', routes);
    return routes;
  }

  /** The claims of a Path token of ours at the top of the Route set (RFC 3327), or null. */
  #pathClaims(request: SipRequest): FlowTokenClaims | null {
    const top = getHeader(request, 'Route');
    if (top === undefined) return null;
    const uri = this.#ourRouteUri(top);
    const claims = uri?.user ? this.#tokens.open(uri.user) : null;
    return claims !== null && claims.dialog === PATH_TOKEN_DIALOG ? claims : null;
  }

  /** A Route entry naming us (host ours, and the port one of ours if given), parsed; else null. */
  #ourRouteUri(route: string): SipUri | null {
    try {
      const uri = parseUri(parseNameAddr(route).uri);
      if (!this.#ourHosts.has(uri.host)) return null;
      const { ports, sharedPorts = [] } = this.options.addresses;
      if (uri.port !== null && !Object.values(ports).includes(uri.port) && !sharedPorts.includes(uri.port)) return null;
      return uri;
    } catch {
      return null;
    }
  }

  /**
   * Whether an in-dialog request (or ACK) may pass, and where it goes. Every dialog this proxy
   * forwards is double record-routed with flow tokens (RFC 5658), so a genuine in-dialog request
   * carries two of our Route entries (§12.2.1.1: the UAC uses the route set): the first names the
   * flow of the party sending it, the last the flow toward the other party (§16.4: both are ours
   * and are removed). A request with no Route of ours belongs to no dialog we know (481); one with
   * a forged token, a token issued for another dialog, a foreign Route, or that comes from anyone
   * but the party its token names is refused (403) and nothing is forwarded.
   */
  #verifyDialogRoute(
    request: SipRequest,
    arrival: Flow,
  ):
    | { ok: true; destination: FlowTokenClaims; transit: boolean; nextRoute: string | null }
    | { ok: false; status: number; reason: string; refusal: ProxyRefusal } {
    const routes = getHeaders(request, 'Route');
    const claims: FlowTokenClaims[] = [];
    while (routes.length > 0) {
      const uri = this.#ourRouteUri(routes[0]!);
      if (!uri) break;
      const opened = uri.user ? this.#tokens.open(uri.user) : null;
      if (!opened) return { ok: false, status: 403, reason: 'Route not issued by this proxy', refusal: 'forged-route' };
      claims.push(opened);
      routes.shift();
    }
    if (claims.length === 0) {
      if (routes.length > 0) return { ok: false, status: 403, reason: 'Relaying denied', refusal: 'relay' };
      return { ok: false, status: 481, reason: 'Call/Transaction Does Not Exist', refusal: 'unknown-dialog' };
    }
    if (claims.length < 2) return { ok: false, status: 403, reason: 'Incomplete route set', refusal: 'incomplete-route' };
    const callId = getHeader(request, 'Call-ID')!;
    const tags = [getHeader(request, 'From'), getHeader(request, 'To')].map((value) => parseNameAddr(value!).params.get('tag') ?? '');
    const dialogs = new Set(tags.map((tag) => FlowTokenCipher.dialogOf(callId, tag)));
    if (!claims.every((claim) => dialogs.has(claim.dialog)))
      return { ok: false, status: 403, reason: 'Route issued for another dialog', refusal: 'route-of-another-dialog' };
    // The rest of the route set must go on to another node of this deployment (one that record-routed
    // the same dialog, so its token opens here); anything else would make us a relay.
    if (routes.length > 0 && !this.#isPeerRoute(routes[0]!, dialogs))
      return { ok: false, status: 403, reason: 'Relaying denied', refusal: 'relay' };
    if (!this.#comesFromParty(claims[0]!, arrival))
      return { ok: false, status: 403, reason: 'Not a party to this dialog', refusal: 'not-a-party' };
    setHeaders(request, 'Route', routes);
    return {
      ok: true,
      destination: claims[claims.length - 1]!,
      transit: claims.some((claim) => claim.transit === true),
      nextRoute: routes[0] ?? null,
    };
  }

  /** A Route entry another node of this deployment issued for one of `dialogs` (same secret, RFC 5658 token). */
  #isPeerRoute(route: string, dialogs: Set<string>): boolean {
    try {
      const user = parseUri(parseNameAddr(route).uri).user;
      const opened = user ? this.#tokens.open(user) : null;
      return opened !== null && dialogs.has(opened.dialog);
    } catch {
      return false;
    }
  }

  /**
   * The sender is the party its token names when the request came over that party's flow, from
   * its address (a device that reconnected, or whose stream client opened a new connection), or
   * over a flow it has since registered from (it authenticated there).
   */
  #comesFromParty(party: FlowTokenClaims, arrival: Flow): boolean {
    if (party.flow.connectionId !== null && party.flow.connectionId === arrival.connectionId) return true;
    if (party.flow.remoteAddress === arrival.remoteAddress) return true;
    const arrivalKey = flowKey(arrival);
    return this.deps.location.lookup(party.party, this.deps.now().getTime()).some((binding) => flowKey(binding.flow) === arrivalKey);
  }

  /**
   * Where an in-dialog request goes: the flow its token names if still open, else the next node of
   * the route set (§16.12) if there is one, else the remote target (the Request-URI).
   */
  async #targetFor(uri: string, destination: FlowTokenClaims, nextRoute: string | null = null): Promise<Flow | null> {
    if (this.#flowUsable(destination.flow)) return destination.flow;
    if (nextRoute !== null) return this.#resolveRoute(nextRoute);
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

  /** The way to a registered device, as an INVITE to it goes (for requests the server itself sends). */
  reach(binding: Binding): Promise<NextHop | null> {
    return this.#nextHop(binding);
  }

  /**
   * RFC 3327 §4.3 as an edge proxy would add it: the Path entry by which other nodes reach a device
   * whose connection this node holds. Its token names the flow and the number, sealed like a
   * Record-Route token; it goes over TCP when we listen on TCP (an INVITE from a browser outgrows a
   * UDP datagram, §18.1.1). Null when this node has no UDP or TCP address to be reached on.
   */
  pathTo(flow: Flow, aor: string): string | null {
    const { host, ports } = this.options.addresses;
    const protocol: TransportProtocol | null = ports.TCP !== undefined ? 'TCP' : ports.UDP !== undefined ? 'UDP' : null;
    if (protocol === null) return null;
    const token = this.#tokens.seal({ flow, dialog: PATH_TOKEN_DIALOG, party: aor });
    return `<sip:${token}@${host}:${ports[protocol]!};transport=${protocol.toLowerCase()};lr>`;
  }

  /**
   * The first hop toward a binding: its own flow (or a new connection to its contact) when this node
   * made it or it needs no particular node, else the node its Path names, with the Path as Route.
   * The proxies the device registered through (its edge Path, RFC 3327 §5.3) follow as Route: the
   * node holding a flow-bound binding adds them itself (#relayAlongPath).
   */
  async #nextHop(binding: Binding): Promise<NextHop | null> {
    if (binding.path && binding.path.length > 0 && binding.node !== undefined && binding.node !== this.options.node) {
      const flow = await this.#resolveRoute(binding.path[0]!);
      return flow ? { flow, route: binding.path } : null;
    }
    const flow = await this.#flowToDevice(binding);
    return flow ? { flow, route: binding.edgePath ?? [] } : null;
  }

  /** A connection (or UDP flow) to the node a Route entry names. */
  #resolveRoute(route: string): Promise<Flow | null> {
    let uri: string;
    try {
      uri = parseNameAddr(route).uri;
    } catch {
      return Promise.resolve(null);
    }
    return this.#resolveUri(uri);
  }

  /** Our Via toward a flow (for requests the server itself sends). */
  via(flow: Flow, branch: string): string {
    return this.#via(flow, branch);
  }

  /** The registered flow if it is still open, else a new connection to the contact (plain TCP/TLS registrations). */
  async #flowToDevice(binding: Binding): Promise<Flow | null> {
    if (this.#flowUsable(binding.flow)) return binding.flow;
    // Registered through proxies (RFC 3327): the device is reached through the first of them.
    if (binding.edgePath && binding.edgePath.length > 0) return this.#resolveRoute(binding.edgePath[0]!);
    return this.#resolveUri(binding.contact);
  }

  #flowUsable(flow: Flow): boolean {
    return !flow.connectionId || this.deps.transactions.transport.hasConnection(flow.connectionId);
  }

  #ourHostPort(flow: Flow): { host: string; port: number | null } {
    if (isWebSocket(flow.protocol)) return { host: this.options.addresses.webSocketHost, port: null };
    return { host: this.options.addresses.host, port: this.options.addresses.ports[flow.protocol] ?? null };
  }

  #via(flow: Flow, branch: string): string {
    const { host, port } = this.#ourHostPort(flow);
    return `SIP/2.0/${flow.protocol} ${host}${port !== null ? `:${port}` : ''};branch=${branch};rport`;
  }

  /** §16.6 step 4 with RFC 5658 double record-routing: one entry per side, each carrying its flow, party and dialog. */
  #recordRoute(claims: FlowTokenClaims): string {
    const { host, port } = this.#ourHostPort(claims.flow);
    const token = this.#tokens.seal(claims);
    return `<sip:${token}@${host}${port !== null ? `:${port}` : ''};transport=${claims.flow.protocol.toLowerCase()};lr>`;
  }

  /** §16.6 steps 1–3 and 8: the copy that goes to one target. */
  #prepareForward(
    request: SipRequest,
    target: Flow,
    options: {
      requestUri?: string;
      recordRoute?: {
        dialog: string;
        caller: Omit<FlowTokenClaims, 'dialog'>;
        callee: Omit<FlowTokenClaims, 'dialog'>;
        transit?: boolean;
      };
      branch?: string;
      /** §16.6 step 6 / RFC 3327: Route entries toward the target (the node holding its connection). */
      route?: string[];
    },
  ): SipRequest {
    const copy = cloneMessage(request);
    if (options.requestUri) copy.uri = options.requestUri;
    if (options.route && options.route.length > 0) setHeaders(copy, 'Route', [...options.route, ...getHeaders(copy, 'Route')]);
    const maxForwards = getHeader(copy, 'Max-Forwards');
    setHeader(copy, 'Max-Forwards', String((maxForwards === undefined ? 70 : Number(maxForwards)) - 1));
    if (options.recordRoute) {
      // The callee's route set is these entries in order, the caller's in reverse (§12.1.1, §12.1.2):
      // either way the first Route of a party's request names that party's own flow.
      const { dialog, caller, callee } = options.recordRoute;
      const transit = options.recordRoute.transit === true ? { transit: true } : {};
      prependHeader(copy, 'Record-Route', this.#recordRoute({ ...caller, dialog, ...transit }));
      prependHeader(copy, 'Record-Route', this.#recordRoute({ ...callee, dialog, ...transit }));
    }
    prependHeader(copy, 'Via', this.#via(target, options.branch ?? createBranch()));
    return copy;
  }

  // -- refusals ---------------------------------------------------------------------------------

  /** §16.4: we route only to our own subscribers; anything else would make us an open relay. */
  #refuseRelay(reply: (status: number, reason: string) => void): void {
    this.deps.onRefused?.('relay');
    reply(403, 'Relaying denied');
  }

  /**
   * Counts a refusal and logs it through the sampled log: `log` runs for the first refusal from an
   * address in a minute, with how many went unlogged before it.
   */
  #noteRefusal(refusal: ProxyRefusal, from: Flow, log: (unlogged: number) => void): void {
    this.deps.onRefused?.(refusal);
    const sampled = this.#refusalLog.take(from.remoteAddress);
    if (sampled) log(sampled.unlogged);
  }

  // -- in-dialog requests and ACK ---------------------------------------------------------------

  async #forwardInDialog(transaction: ServerTransaction): Promise<void> {
    const request = transaction.request;
    const reply = (status: number, reason: string) =>
      transaction.respond(createResponse(request, status, { toTag: createTag(), reason: safeReason(reason) }));
    const callId = getHeader(request, 'Call-ID')!;
    const verdict = this.#verifyDialogRoute(request, transaction.flow);
    if (!verdict.ok) {
      this.#noteRefusal(verdict.refusal, transaction.flow, (unlogged) =>
        this.deps.logger.warn(
          {
            method: request.method,
            callId,
            source: transaction.flow.remoteAddress,
            port: transaction.flow.remotePort,
            reason: verdict.reason,
            unlogged,
          },
          'SIP in-dialog request refused',
        ),
      );
      // Stateless (§16.3 allows it): a stranger's request leaves no transaction behind to absorb
      // the real party's request, and its refusal is sent once, never retransmitted.
      return this.deps.transactions.replyStatelessly(transaction, verdict.status, { reason: safeReason(verdict.reason) });
    }
    // Blind transfer (RFC 3515): screened here, then relayed like any in-dialog request.
    const referRefusal = request.method === 'REFER' ? screenRefer(request) : null;
    if (referRefusal) return reply(referRefusal.status, referRefusal.reason);
    const target = await this.#targetFor(request.uri, verdict.destination, verdict.nextRoute);
    if (!target) return reply(480, 'Peer not reachable');
    // A node that only carries the dialog to its device (a transit hop) keeps no record of it.
    const keepsRecord = !verdict.transit;
    // The record's end is when a party's BYE was accepted; the write is ordered per call and must
    // not hold the BYE back (the other party has to learn the call ended, database or not).
    const acceptedAt = this.deps.now();
    const fromTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
    const toTag = parseNameAddr(getHeader(request, 'To')!).params.get('tag') ?? '';
    // A new offer in a bridged call (re-INVITE, UPDATE) is rewritten for the other party, as the first was.
    const offer = this.#media.bridges(callId) && (request.method === 'INVITE' || request.method === 'UPDATE') ? sdpOf(request) : null;
    if (offer !== null) {
      const outcome = await this.#media.offer(callId, fromTag, offer, this.#media.kindFacing(callId, fromTag)!, toTag);
      if (!outcome.ok) return transaction.respond(bridgeFailureResponse(request, outcome.failure));
      request.body = Buffer.from(outcome.sdp);
    }
    if (request.method === 'BYE' && keepsRecord) {
      this.#media.end(callId, 'BYE');
      this.#keepalive.stop(callId);
      this.#meter.ended(callId, acceptedAt);
      void this.deps.recorder
        .ended(callId, acceptedAt, fromTag, 'BYE')
        .catch((error: unknown) => this.deps.logger.error({ err: error, callId }, 'could not record the end of a call'));
    }
    const refreshesSession = keepsRecord && (request.method === 'INVITE' || request.method === 'UPDATE');
    this.#keepalive.observeRequest(callId, request);
    const forwarded = this.#prepareForward(request, target, {});
    // The answer to a rewritten offer goes back rewritten for the offerer; responses keep their order.
    let rewrites: Promise<void> = Promise.resolve();
    const answered = (response: SipResponse, handle: () => void) => {
      const answer = offer !== null && response.status > 100 && response.status < 300 ? sdpOf(response) : null;
      if (answer === null) {
        rewrites = rewrites.then(handle);
        return;
      }
      rewrites = rewrites
        .then(async () => {
          const outcome = await this.#media.answer(callId, fromTag, toTag, answer, this.#media.kindOf(callId, fromTag)!);
          if (outcome.ok) response.body = Buffer.from(outcome.sdp);
        })
        .then(handle);
    };
    this.deps.transactions.sendRequest(forwarded, target, {
      onResponse: (response) =>
        answered(response, () => {
          if (response.status === 100) return;
          // RFC 4028 §10: a session refresh proves the call alive only once the other party accepted it.
          if (refreshesSession && response.status >= 200 && response.status < 300) {
            void this.deps.recorder
              .refreshed(callId, this.deps.now())
              .catch((error: unknown) => this.deps.logger.warn({ err: error, callId }, 'could not record a session refresh'));
          }
          transaction.respond(withoutTopVia(response));
        }),
      onTimeout: () => transaction.respond(createResponse(request, 408, { toTag: createTag() })),
      onTransportError: () => transaction.respond(createResponse(request, 480, { toTag: createTag(), reason: 'Peer not reachable' })),
    });
  }

  async #forwardAck(request: SipRequest, flow: Flow): Promise<void> {
    // §13.2.2.4: the ACK for a 2xx follows the route set like any in-dialog request; an ACK that is
    // not ours to route (a spoof, or the ACK for a final response we sent ourselves) goes nowhere.
    const verdict = this.#verifyDialogRoute(request, flow);
    if (!verdict.ok) return;
    const target = await this.#targetFor(request.uri, verdict.destination, verdict.nextRoute);
    if (!target || flowKey(target) === flowKey(flow)) return;
    // §16.11: a stateless forward uses a branch derived from the incoming one, so retransmissions match.
    const incoming = parseVia(getHeader(request, 'Via')!).params.get('branch') ?? '';
    const branch = 'z9hG4bK' + hash('sha1', `ack:${incoming}`, 'base64url').slice(0, 20);
    this.deps.transactions.transport.sendOnFlow(this.#prepareForward(request, target, { branch }), target);
  }

  // -- along a Path (RFC 3327) ---------------------------------------------------------------------

  /**
   * RFC 3327 §5.3 and RFC 5626 §5.3 as an edge proxy: a request another node routed along a device's
   * Path goes on over the device's flow, which only this node holds. The node the call entered has
   * authenticated, authorised and recorded it; this node record-routes, marked transit, so the
   * dialog's later requests pass here too and are not recorded twice.
   */
  #relayAlongPath(transaction: ServerTransaction, claims: FlowTokenClaims): void {
    const request = transaction.request;
    const reply = (status: number, reason: string) => transaction.respond(createResponse(request, status, { toTag: createTag(), reason }));
    // The Path is the whole route: anything after it would make us a relay for whoever sent it.
    if (getHeaders(request, 'Route').length > 1) return reply(403, 'Relaying denied');
    // RFC 5626 §5.3: the device's connection is gone; it has to register again (perhaps elsewhere).
    if (!this.#flowUsable(claims.flow)) return reply(430, 'Flow Failed');
    // The device's own edge Path (RFC 3327 §5.3), from the binding this node holds, not from the request.
    const held = this.deps.location
      .lookup(claims.party, this.deps.now().getTime())
      .find((binding) => flowKey(binding.flow) === flowKey(claims.flow));
    setHeaders(request, 'Route', held?.edgePath ?? []);
    if (request.method !== 'INVITE') {
      this.deps.transactions.sendRequest(this.#prepareForward(request, claims.flow, {}), claims.flow, {
        onResponse: (response) => {
          if (response.status > 100) transaction.respond(withoutTopVia(response));
        },
        onTimeout: () => reply(408, 'Request Timeout'),
        onTransportError: () => reply(430, 'Flow Failed'),
      });
      return;
    }
    const server = transaction as InviteServerTransaction;
    // §16.2 hop by hop: the node before us stops retransmitting at once.
    server.respond(createResponse(request, 100));
    const callId = getHeader(request, 'Call-ID')!;
    const callerTag = parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '';
    // The caller as the INVITE names it (the entry node authenticated it): only the tokens' party.
    const caller = parseUri(parseNameAddr(getHeader(request, 'From')!).uri).user ?? '';
    const binding: Binding = {
      aor: claims.party,
      contact: request.uri,
      instanceId: null,
      regId: null,
      flow: claims.flow,
      expiresAt: 0,
      callId,
      cseq: 0,
      userAgent: null,
      q: 1,
    };
    const fork = new InviteFork(
      server,
      TRANSIT_RECORD,
      { transactions: this.deps.transactions, recorder: TRANSIT_RECORDER, now: this.deps.now },
      () => this.#forkFinished(fork),
    );
    this.#forkOfServer.set(server, fork);
    const branch = createBranch();
    const forwarded = this.#prepareForward(request, claims.flow, {
      recordRoute: {
        dialog: FlowTokenCipher.dialogOf(callId, callerTag),
        caller: { flow: server.flow, party: caller },
        callee: { flow: claims.flow, party: claims.party },
        transit: true,
      },
      branch,
    });
    this.#forks.set(branch, fork);
    fork.addBranch(branch, binding, forwarded);
    fork.start(this.options.ringTimeoutMs + TRANSIT_TIMER_C_GRACE_MS);
  }

  // -- CANCEL (§16.10) --------------------------------------------------------------------------

  #cancel(transaction: ServerTransaction): void {
    const request = transaction.request;
    const invite = this.deps.transactions.findInviteServerTransaction(request);
    if (!invite) {
      transaction.respond(createResponse(request, 481, { toTag: createTag() }));
      return;
    }
    // Only the caller may cancel its call: the CANCEL comes the way its INVITE came (§9.1: same
    // hop, same Via), not from whoever learned the branch.
    const from = invite.flow;
    const sameSender =
      (from.connectionId !== null && from.connectionId === transaction.flow.connectionId) ||
      from.remoteAddress === transaction.flow.remoteAddress;
    if (!sameSender) {
      this.#noteRefusal('cancel-not-caller', transaction.flow, (unlogged) =>
        this.deps.logger.warn(
          { callId: getHeader(request, 'Call-ID'), source: transaction.flow.remoteAddress, port: transaction.flow.remotePort, unlogged },
          'SIP CANCEL refused: not from the caller',
        ),
      );
      this.deps.transactions.replyStatelessly(transaction, 403, { reason: 'Not the caller' });
      return;
    }
    transaction.respond(createResponse(request, 200, { toTag: createTag() }));
    const fork = this.#forkOfServer.get(invite);
    if (fork) {
      fork.cancelByCaller(getHeaders(request, 'Reason'));
      return;
    }
    // §16.10: no branch was started yet (the INVITE is still being authorised or recorded): the
    // INVITE ends here with 487, and #fork sees the transaction is over and forwards nothing.
    if (invite.state === 'Proceeding') invite.respond(createResponse(invite.request, 487, { toTag: createTag() }));
  }

  // -- forking (§16.5–§16.7) --------------------------------------------------------------------

  async #fork(server: InviteServerTransaction, caller: string, callee: string, bindings: Binding[]): Promise<void> {
    const request = server.request;
    const receivedAt = this.deps.now();
    // §17.2.1: the caller is owed a 100 (Trying) unless an answer comes within 200 ms. It leaves
    // right after the INVITE has been forwarded, or at TRYING_AFTER_MS if authorising and recording
    // take longer, not before them: on a busy machine every send can hand the CPU to the process
    // that receives it, and the forwarded INVITE is what the call waits for (bench:call, README).
    let trying: NodeJS.Timeout | null = setTimeout(() => sendTrying(), TRYING_AFTER_MS);
    const sendTrying = () => {
      if (trying === null) return;
      clearTimeout(trying);
      trying = null;
      if (server.state === 'Proceeding') server.respond(createResponse(request, 100));
    };
    try {
      // The parties' numbers as copies, like the Call-ID and tag there (see #authorizeAndFork).
      await this.#authorizeAndFork(server, detachedCopy(caller), detachedCopy(callee), bindings, receivedAt);
    } finally {
      sendTrying();
    }
  }

  async #authorizeAndFork(
    server: InviteServerTransaction,
    caller: string,
    callee: string,
    bindings: Binding[],
    receivedAt: Date,
  ): Promise<void> {
    const request = server.request;
    const sessionInterval = this.#requestSessionTimer(request);
    // What the proxy and its helpers keep for as long as the call lasts (the meter, the record's
    // bookkeeping, the call figures) is keyed by these and the parties' numbers: copies, not slices
    // that would keep the INVITE's whole header text alive as long.
    const callId = detachedCopy(getHeader(request, 'Call-ID')!);
    const callerTag = detachedCopy(parseNameAddr(getHeader(request, 'From')!).params.get('tag') ?? '');
    // Clause 9: the call is granted its first time, or refused for the credit limit, before anything rings.
    const grant = await this.#meter.authorize(callId, callerTag, caller);
    if (grant.kind === 'refused') {
      server.respond(
        createResponse(request, grant.status, {
          toTag: createTag(),
          reason: safeReason(grant.reason),
          // RFC 3261 §20.43: 399 is the miscellaneous warning, with the text a person can read.
          headers: [{ name: 'Warning', value: `399 ${this.options.addresses.host} "${safeReason(grant.reason)}"` }],
        }),
      );
      return;
    }
    // The record is written while the devices ring, with the other calls' records of the moment in
    // one statement (group commit); the fork passes no final response on before it is durable, so
    // no call is answered without its record. Waiting for it here instead put a database write in
    // front of every ring, and one statement per call where the rate did not fill a batch by itself.
    const recorded = this.deps.recorder
      .started({
        callId,
        fromTag: callerTag,
        caller,
        callee,
        callerDevice: getHeader(request, 'User-Agent') ?? null,
        at: receivedAt,
        sessionExpiresSeconds: sessionInterval,
      })
      .then((recordId) => {
        this.#meter.recorded(callId, recordId);
        return recordId;
      });
    // Handled where the call ends (the fork, or the early exits below); this keeps a failure that
    // comes before either from counting as unhandled.
    recorded.catch(() => undefined);
    const targets: { binding: Binding; flow: Flow; route: string[] }[] = [];
    for (const binding of bindings) {
      const hop = await this.#nextHop(binding);
      if (hop) targets.push({ binding, ...hop });
    }
    const media = await this.#bridgeOffer(request, callId, callerTag, targets);
    // The caller may have given up while the devices were looked up (CANCEL answered with 487, or
    // a transport failure): a call nobody waits for must not ring, let alone be answered.
    if (server.state !== 'Proceeding') {
      this.#media.end(callId, 'cancelled before ringing');
      this.#meter.ended(callId, this.deps.now());
      await recordFailureOnceRecorded(
        this.deps.recorder,
        { callId, recorded, at: this.deps.now() },
        487,
        'cancelled by caller before ringing (487 Request Terminated)',
        true,
      );
      return;
    }
    // Devices that need a bridge rtpengine could not give are left out; if that is all of them, the
    // caller hears why (488 none configured or refused, 503 not reachable) instead of a silent failure.
    const reachable = media.failure ? targets.filter((target) => !media.bridged.has(target)) : targets;
    if (media.failure && reachable.length === 0) {
      this.#meter.ended(callId, this.deps.now());
      server.respond(bridgeFailureResponse(request, media.failure));
      const { status, reason } = media.failure;
      await recordFailureOnceRecorded(
        this.deps.recorder,
        { callId, recorded, at: this.deps.now() },
        status,
        `media bridge unavailable (${status} ${reason})`,
        false,
      );
      return;
    }
    const fork = new InviteFork(server, recorded, this.deps, () => {
      if (this.#forkOfCall.get(callId) === fork) {
        this.#forkOfCall.delete(callId);
        this.#ringingParties.delete(callId);
      }
      this.#forkFinished(fork);
    });
    // No callback the fork keeps refers to `request`: every closure made here shares one scope, so
    // one that did would keep the whole INVITE as long as the fork (64*T1 after an answer).
    const callerSupportsTimer = supportsSessionTimer(request);
    fork.completeAnswer = (response) => completeSessionTimer(callerSupportsTimer, response, sessionInterval);
    const bridgedBranches = new Set<string>();
    const incomingRecordRoutes = getHeaders(request, 'Record-Route').length;
    fork.onAnswered = (invite, response, calleeFlow, answeredAt, binding) => {
      this.#keepalive.start(
        invite,
        server.flow,
        response,
        calleeFlow,
        sessionInterval,
        { caller, callee },
        routesBeyondUs(getHeaders(response, 'Record-Route'), incomingRecordRoutes),
      );
      this.#meter.answered(callId, answeredAt);
      // A device that speaks as the caller does answered: the call goes peer to peer after all.
      if (media.callerKind !== null && mediaKindOfBinding(binding) === media.callerKind) this.#media.end(callId, 'answered directly');
    };
    fork.onUnanswered = () => {
      this.#meter.ended(callId, this.deps.now());
      this.#media.end(callId, 'unanswered');
    };
    if (media.sdp !== null) {
      const callerKind = media.callerKind!;
      fork.rewriteResponse = async (branch, response) => {
        if (!bridgedBranches.has(branch) || response.status <= 100 || response.status >= 300) return;
        const answer = sdpOf(response);
        if (answer === null) return;
        const toTag = parseNameAddr(getHeader(response, 'To')!).params.get('tag') ?? '';
        const outcome = await this.#media.answer(callId, callerTag, toTag, answer, callerKind);
        if (outcome.ok) response.body = Buffer.from(outcome.sdp);
      };
    }
    this.#forkOfServer.set(server, fork);
    this.#forkOfCall.set(callId, fork);
    this.#ringingParties.set(callId, { caller, callee });
    const dialog = FlowTokenCipher.dialogOf(callId, callerTag);
    for (const target of reachable) {
      const { binding, flow, route } = target;
      const branch = createBranch();
      const forwarded = this.#prepareForward(request, flow, {
        requestUri: binding.contact,
        recordRoute: { dialog, caller: { flow: server.flow, party: caller }, callee: { flow, party: callee } },
        branch,
        route,
      });
      if (media.sdp !== null && media.bridged.has(target)) {
        forwarded.body = Buffer.from(media.sdp);
        bridgedBranches.add(branch);
      }
      this.#forks.set(branch, fork);
      fork.addBranch(branch, binding, forwarded, flow);
    }
    fork.start(this.options.ringTimeoutMs);
  }

  /**
   * Whether the caller's offer needs rtpengine for some of the callee's devices (one end WebRTC, the
   * other plain RTP), and if so rtpengine's rewritten offer for them, or why there is none. An
   * INVITE without SDP (offer in the 2xx) is passed through unbridged.
   */
  async #bridgeOffer<Target extends { binding: Binding }>(
    request: SipRequest,
    callId: string,
    callerTag: string,
    targets: Target[],
  ): Promise<{ callerKind: MediaKind | null; bridged: Set<Target>; sdp: string | null; failure: BridgeFailure | null }> {
    const offer = sdpOf(request);
    const callerKind = offer === null ? null : mediaKindOfSdp(offer);
    const bridged = new Set(targets.filter((target) => callerKind !== null && mediaKindOfBinding(target.binding) !== callerKind));
    if (offer === null || callerKind === null || bridged.size === 0) return { callerKind, bridged, sdp: null, failure: null };
    const outcome = await this.#media.offer(callId, callerTag, offer, callerKind === 'plain' ? 'webrtc' : 'plain');
    return outcome.ok
      ? { callerKind, bridged, sdp: outcome.sdp, failure: null }
      : { callerKind, bridged, sdp: null, failure: outcome.failure };
  }

  /**
   * RFC 4028 §8.1: when the caller asked for no session timer, the proxy asks for one (with Min-SE),
   * so the call has to prove it is alive every interval; returns the interval in force, if any.
   */
  #requestSessionTimer(request: SipRequest): number | null {
    const asked = parseDeltaSeconds(getHeader(request, 'Session-Expires'));
    if (asked !== null) return asked;
    const interval = this.options.sessionExpiresSeconds;
    if (interval === null) return null;
    const minimum = Math.max(parseDeltaSeconds(getHeader(request, 'Min-SE')) ?? 0, this.options.minSessionExpiresSeconds ?? 90);
    const chosen = Math.max(interval, minimum);
    setHeader(request, 'Session-Expires', String(chosen));
    setHeader(request, 'Min-SE', String(minimum));
    return chosen;
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
      const hop = await this.#nextHop(binding);
      if (!hop) continue;
      pending += 1;
      const forwarded = this.#prepareForward(request, hop.flow, { requestUri: binding.contact, route: hop.route });
      this.deps.transactions.sendRequest(forwarded, hop.flow, {
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

/** RFC 4028 §7.1: `timer` among the option tags of the request's Supported. */
function supportsSessionTimer(request: SipRequest): boolean {
  return getHeaders(request, 'Supported').some((value) => value.split(',').some((tag) => tag.trim().toLowerCase() === 'timer'));
}

/**
 * RFC 4028 §8.2: when the callee does not support session timers but the caller does (`timer` in
 * Supported), the proxy puts the interval in the 2xx with the caller as refresher and requires the
 * extension, so the caller refreshes. Otherwise the 2xx passes unchanged (§8.2: a proxy does not
 * alter a Session-Expires it received).
 */
function completeSessionTimer(callerSupportsTimer: boolean, answer: SipResponse, interval: number | null): void {
  if (interval === null || getHeader(answer, 'Session-Expires') !== undefined) return;
  if (!callerSupportsTimer) return;
  setHeader(answer, 'Session-Expires', `${interval};refresher=uac`);
  appendHeader(answer, 'Require', 'timer');
}

/**
 * The Route entries toward each party beyond this node, read off the Record-Route of the answer
 * (§12.1.1: the callee's route set is that list in order, the caller's in reverse). The list is
 * the callee side's nodes, then our two entries, then the `callerSideCount` the INVITE arrived with.
 */
function routesBeyondUs(recordRoutes: string[], callerSideCount: number): { towardCaller: string[]; towardCallee: string[] } {
  const calleeSideCount = recordRoutes.length - callerSideCount - 2;
  if (calleeSideCount < 0) return { towardCaller: [], towardCallee: [] };
  return {
    towardCaller: recordRoutes.slice(calleeSideCount + 2),
    towardCallee: recordRoutes.slice(0, calleeSideCount).reverse(),
  };
}

/** The SDP body of a message (RFC 3264 offer or answer), or null if it carries none. */
function sdpOf(message: SipRequest | SipResponse): string | null {
  if (message.body.length === 0) return null;
  const type = getHeader(message, 'Content-Type');
  if (!type || type.split(';')[0]!.trim().toLowerCase() !== 'application/sdp') return null;
  return message.body.toString('utf8');
}

/** The refusal of a call (or a new offer) whose media needs a bridge it cannot have, with the reason as Warnings. */
function bridgeFailureResponse(request: SipRequest, failure: BridgeFailure): SipResponse {
  return createResponse(request, failure.status, {
    toTag: createTag(),
    reason: failure.reason,
    headers: [...failure.warnings, ...(failure.status === 503 ? [{ name: 'Retry-After', value: '30' }] : [])],
  });
}

/** RFC 4028 §4/§5: the delta-seconds of Session-Expires or Min-SE (parameters ignored), or null. */
function parseDeltaSeconds(value: string | undefined): number | null {
  if (value === undefined) return null;
  const match = /^\s*(\d{1,10})\s*(?:;|$)/.exec(value);
  return match ? Number(match[1]) : null;
}
