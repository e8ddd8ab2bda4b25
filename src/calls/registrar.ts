import {
  createResponse,
  detachedCopy,
  getHeader,
  getHeaders,
  parseCSeq,
  parseNameAddr,
  parseSmallInteger,
  parseUri,
  SipSyntaxError,
  unsupportedOptionTags,
  uriScheme,
  type SipHeader,
  type SipResponse,
  type ServerTransaction,
  createTag,
  type Flow,
} from '../sip/index.js';
import type { CallPolicy } from './call-policy.js';
import { bindingId, bindingNeedsItsFlow, type Binding, type LocationService } from './location-service.js';
import type { SipAuthentication } from './sip-authentication.js';

/**
 * The extensions this registrar understands in a REGISTER's Require (§10.3 step 2): RFC 3327 Path
 * (the REGISTER came through proxies that must stay on the way to the device) and RFC 5626
 * outbound (flows and their keep-alives).
 */
const UNDERSTOOD_OPTION_TAGS: ReadonlySet<string> = new Set(['path', 'outbound']);

/** Whether a request names `tag` in its Supported or its Require (§20.37, §20.32). */
function supports(request: ServerTransaction['request'], tag: string): boolean {
  return [...getHeaders(request, 'Supported'), ...getHeaders(request, 'Require')].some((value) =>
    value.split(',').some((piece) => piece.trim().toLowerCase() === tag),
  );
}

export interface RegistrarOptions {
  domain: string;
  /** Addresses a REGISTER's Request-URI may name instead of the domain (§10.2: "the registrar's domain"). */
  ourHosts: string[];
  minExpires: number;
  maxExpires: number;
  defaultExpires: number;
  /**
   * Bindings one address-of-record may hold at once. Each call to the number is forked to every one
   * (§16.6), so the bound is also what one INVITE can fan out to: without it, a subscriber could
   * register thousands of contacts naming someone else's address and aim each call at it.
   */
  maxContacts: number;
  /**
   * RFC 3327: the Path entry naming this node for a binding only this node can reach (its device's
   * connection is held here), stored with the binding so the other nodes route through us.
   */
  pathFor?: (flow: Flow, aor: string) => string | null;
}

/** RFC 3261 §10.3, with RFC 5626 instance/reg-id bindings and RFC 7118 WebSocket contacts. */
export class Registrar {
  constructor(
    private readonly options: RegistrarOptions,
    private readonly authentication: SipAuthentication,
    private readonly policy: CallPolicy,
    private readonly location: LocationService,
    private readonly now: () => number,
  ) {}

  async handle(transaction: ServerTransaction): Promise<void> {
    const request = transaction.request;
    const reply = (status: number, reason?: string, headers: SipHeader[] = []) =>
      transaction.respond(createResponse(request, status, { toTag: createTag(), headers, ...(reason ? { reason } : {}) }));

    // §10.3 step 1: the Request-URI names the domain this registrar serves.
    let requestUri;
    try {
      requestUri = parseUri(request.uri);
    } catch {
      return reply(416);
    }
    if (requestUri.host !== this.options.domain && !this.options.ourHosts.includes(requestUri.host))
      return reply(404, 'Domain not served here');

    // Step 2: a registrar is a UAS (§8.2.2.3): an extension it does not understand in Require is
    // refused before anything else is done, and named in Unsupported.
    const unsupported = unsupportedOptionTags(getHeaders(request, 'Require'), UNDERSTOOD_OPTION_TAGS);
    if (unsupported.length > 0) return reply(420, undefined, [{ name: 'Unsupported', value: unsupported.join(', ') }]);

    // RFC 3327 §5.3: the proxies between us and the device (each added its Path entry), kept with
    // the bindings and used as a preloaded Route toward it. Only SIP URIs can be routed along.
    const edgePath = getHeaders(request, 'Path');
    for (const entry of edgePath) {
      let scheme: string | null = null;
      try {
        scheme = uriScheme(parseNameAddr(entry).uri);
      } catch (error) {
        if (!(error instanceof SipSyntaxError)) throw error;
      }
      if (scheme !== 'sip' && scheme !== 'sips') return reply(400, 'Bad Path header');
    }

    // Step 5: the address-of-record is the To URI's user in our domain.
    const toUri = parseUri(parseNameAddr(getHeader(request, 'To')!).uri);
    if (!toUri.user || toUri.host !== this.options.domain) return reply(404, 'Not Found');
    // A string of its own (see `detached`): bindings and the call policy keep it.
    const aor = detachedCopy(toUri.user);

    // Steps 3 and 4: authenticate (§22.2, RFC 7616); the authenticated user may change only its own
    // bindings (a device's username authenticates for the number it was issued to).
    const owner = await this.authentication.authenticate(transaction, 'registrar', aor);
    if (!owner) return;
    // Whether this number may register at all is entitlements' answer (a suspended account: 403 and why).
    // The User-Agent goes along: a client below the minimum supported version is refused (clause 8).
    // A string of its own (see `detached`): the policy remembers what each device runs.
    const userAgent = ownText(getHeader(request, 'User-Agent') ?? null);
    const allowed = await this.policy.authorizeRegistration({
      aor,
      at: new Date(this.now()),
      deviceId: owner.deviceId,
      userAgent,
    });
    if (!allowed.allow)
      return reply(
        allowed.status,
        allowed.reason,
        (allowed.warnings ?? []).map((value) => ({ name: 'Warning', value })),
      );

    const callId = getHeader(request, 'Call-ID')!;
    const cseq = parseCSeq(getHeader(request, 'CSeq')!).seq;
    const contacts = getHeaders(request, 'Contact');
    const expiresHeader = getHeader(request, 'Expires');
    const now = this.now();

    // RFC 5626 §6: a binding with +sip.instance and reg-id from a UA that supports outbound is a flow
    // of its own; the 200 then says so with Require: outbound, and the UA keeps the flow alive (§4.4).
    let usedOutbound = false;
    try {
      const headerExpires = expiresHeader === undefined ? null : parseSmallInteger(expiresHeader, 'Expires');
      if (contacts.some((c) => c.trim() === '*')) {
        // Step 6: "*" removes every binding, only with Expires: 0 and as the only Contact.
        if (contacts.length !== 1 || headerExpires !== 0) return reply(400, 'Wildcard Contact needs Expires: 0 and no other Contact');
        this.location.remove(aor, (binding) => binding.callId !== callId || binding.cseq < cseq);
        await this.location.settled?.();
        return reply(200, undefined, [{ name: 'Date', value: new Date(now).toUTCString() }]);
      }

      // Step 7: each contact's expiry, bounded (423 below the minimum, clamped to the maximum).
      const updates = contacts.map((value) => {
        const addr = parseNameAddr(value);
        const param = addr.params.get('expires');
        const requested = param != null ? parseSmallInteger(param, 'expires') : (headerExpires ?? this.options.defaultExpires);
        const instance = addr.params.get('+sip.instance');
        const regId = addr.params.get('reg-id');
        const q = addr.params.get('q');
        return {
          contact: addr.uri,
          requested,
          instanceId: instance ? instance.replace(/^"|"$/g, '') : null,
          regId: regId ? parseSmallInteger(regId, 'reg-id') : null,
          q: q ? Math.min(1, Math.max(0, Number(q) || 0)) : 1,
        };
      });
      usedOutbound = updates.some((u) => u.requested > 0 && u.instanceId !== null && u.regId !== null) && supports(request, 'outbound');
      if (updates.some((u) => u.requested > 0 && u.requested < this.options.minExpires)) {
        return reply(423, undefined, [{ name: 'Min-Expires', value: String(this.options.minExpires) }]);
      }
      // §10.3 step 6: the request is applied whole or not at all, so the bound is checked first, on
      // the bindings the request would leave: the loop below, played on binding ids (a refresh or a
      // replacement does not add one; a removal that step 7 skips does not free one).
      const after = new Map<string, Pick<Binding, 'callId' | 'cseq'>>(
        this.location.lookup(aor, now).map((binding) => [bindingId(binding), binding]),
      );
      for (const update of updates) {
        const id = bindingId(update);
        const existing = after.get(id);
        if (existing && existing.callId === callId && existing.cseq >= cseq) continue;
        if (update.requested === 0) after.delete(id);
        else after.set(id, { callId, cseq });
      }
      if (after.size > this.options.maxContacts) {
        const max = this.options.maxContacts;
        return reply(403, `Too many registered contacts: at most ${max} / 已登记的联系地址过多：最多 ${max} 个`);
      }
      for (const update of updates) {
        const matches = (b: { contact: string; instanceId: string | null; regId: number | null }) =>
          update.instanceId && b.instanceId ? b.instanceId === update.instanceId && b.regId === update.regId : b.contact === update.contact;
        const existing = this.location.lookup(aor, now).find(matches);
        // Step 7: an older or repeated request for the same Call-ID does not overwrite newer state.
        if (existing && existing.callId === callId && existing.cseq >= cseq) continue;
        if (update.requested === 0) {
          this.location.remove(aor, matches);
          continue;
        }
        const binding: Binding = {
          aor,
          contact: update.contact,
          instanceId: update.instanceId,
          regId: update.regId,
          flow: transaction.flow,
          expiresAt: now + Math.min(update.requested, this.options.maxExpires) * 1000,
          callId,
          cseq,
          userAgent,
          q: update.q,
          ...(edgePath.length > 0 ? { edgePath } : {}),
        };
        const path = bindingNeedsItsFlow(binding) ? (this.options.pathFor?.(transaction.flow, aor) ?? null) : null;
        this.location.upsert(detached(path ? { ...binding, path: [path] } : binding));
      }
    } catch (error) {
      if (error instanceof SipSyntaxError) return reply(400, error.message);
      throw error;
    }

    // Step 8: answer with every current binding and its remaining lifetime, once other nodes see them.
    await this.location.settled?.();
    const current = this.location.lookup(aor, now).map((binding) => ({
      name: 'Contact',
      value: `<${binding.contact}>;expires=${Math.max(0, Math.round((binding.expiresAt - now) / 1000))}`,
    }));
    if (usedOutbound) current.push({ name: 'Require', value: 'outbound' });
    // §5.3: a UA that supports Path learns the one its registrations were stored with.
    if (edgePath.length > 0 && supports(request, 'path')) current.push(...edgePath.map((value) => ({ name: 'Path', value })));
    transaction.respond(this.#ok(request, current, now));
  }

  #ok(request: ServerTransaction['request'], contacts: SipHeader[], now: number): SipResponse {
    return createResponse(request, 200, {
      toTag: createTag(),
      headers: [...contacts, { name: 'Date', value: new Date(now).toUTCString() }],
    });
  }
}

/**
 * The binding with strings of its own. What the registrar read from the REGISTER (Call-ID, Contact,
 * instance, User-Agent, Path) are slices of the request's text, and V8 keeps a slice's whole text
 * alive: every registration held its REGISTER for as long as it lived, up to an hour, in every
 * process that made one (`npm run bench:retained`: 1,468 bytes of heap per binding of an 850-byte
 * REGISTER, 710 with strings of its own). The aor and the User-Agent are copied once, where they are read.
 */
function detached(binding: Binding): Binding {
  const copy: Binding = {
    ...binding,
    contact: detachedCopy(binding.contact),
    instanceId: ownText(binding.instanceId),
    callId: detachedCopy(binding.callId),
  };
  if (binding.path) copy.path = binding.path.map(detachedCopy);
  if (binding.edgePath) copy.edgePath = binding.edgePath.map(detachedCopy);
  return copy;
}

function ownText(text: string | null): string | null {
  return text === null ? null : detachedCopy(text);
}
