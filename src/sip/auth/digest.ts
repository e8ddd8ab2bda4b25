import { hash, timingSafeEqual } from 'node:crypto';
import { detachedCopy, parseAuthValue, parseUri, type SipRequest } from '../message/index.js';
import { randomText } from '../transaction/random-pool.js';

/**
 * HTTP Digest for SIP (RFC 3261 §22.4, RFC 7616, RFC 8760) with qop=auth. Credentials computed with
 * MD5 or SHA-256 are both accepted; which challenges a client is offered is `challenges()`'s rule.
 * Nonces are stateless (timestamp + random, HMAC-signed) and expire; nonce counts are tracked so a
 * captured response cannot be replayed.
 */
export type DigestAlgorithm = 'SHA-256' | 'MD5';

export interface StoredCredentials {
  /** H(username:realm:password) per algorithm, hex. */
  ha1: Record<DigestAlgorithm, string>;
}

export interface DigestOptions {
  realm: string;
  secret: Buffer;
  nonceLifetimeSeconds: number;
  now: () => number;
  /** Where nonce counts are kept; this process's memory by default (several nodes share one elsewhere). */
  nonceCounts?: NonceCounts;
}

/**
 * The highest nonce count accepted per nonce (RFC 7616 §3.4: nc must increase; RFC 2617 §3.2.2).
 * `accept` records `nc` and says true only when it is above every count seen for the nonce; the
 * record may be forgotten `ttlMs` after, when the nonce has long been stale.
 */
export interface NonceCounts {
  accept(nonce: string, nc: number, ttlMs: number): boolean | Promise<boolean>;
}

/** Nonce counts in this process's memory, swept of expired entries at most once a minute. */
export class LocalNonceCounts implements NonceCounts {
  readonly #counts = new Map<string, { nc: number; expires: number }>();
  #lastSweep = 0;

  constructor(private readonly now: () => number) {}

  accept(nonce: string, nc: number, ttlMs: number): boolean {
    const now = this.now();
    if (now - this.#lastSweep > 60_000) {
      for (const [key, entry] of this.#counts) if (entry.expires < now) this.#counts.delete(key);
      this.#lastSweep = now;
    }
    const seen = this.#counts.get(nonce);
    if (seen && nc <= seen.nc) return false;
    if (seen) {
      seen.nc = nc;
      seen.expires = now + ttlMs;
      return true;
    }
    // The nonce was read from the request: a key of its own, not a slice that keeps the whole request
    // (an INVITE with its SDP) alive until the entry is swept, minutes later.
    this.#counts.set(detachedCopy(nonce), { nc, expires: now + ttlMs });
    return true;
  }
}

export type DigestVerdict =
  | { ok: true; username: string }
  | {
      ok: false;
      reason:
        | 'missing'
        | 'malformed'
        | 'uri-mismatch'
        | 'unknown-user'
        | 'wrong-realm'
        | 'stale'
        | 'bad-nonce'
        | 'replay'
        | 'wrong-response'
        | 'unsupported';
    };

const hashers: Record<DigestAlgorithm, string> = { 'SHA-256': 'sha256', MD5: 'md5' };

/**
 * What a client is offered (issue #10). Measured with baresip, linphonec and sipp
 * (test/sip/terminals.test.ts, sipp.test.ts): sipp reads only the topmost challenge and knows only
 * MD5, as do JsSIP and SIP.js; baresip (libre before 3.0) drops the whole response when any
 * challenge is not MD5, whatever the order, although RFC 8760 §2.4 says a client MUST ignore one it
 * does not understand; linphonec answers the topmost one it supports. So a client that has not
 * shown it speaks SHA-256 gets MD5 alone, and every one of them registers. Little is lost: where a
 * choice is offered, authentication is only as strong as the weakest choice (RFC 7616 §3.7), since
 * an attacker in the path can strip SHA-256; it would only have helped against eavesdroppers.
 */
const MD5_ONLY: readonly DigestAlgorithm[] = ['MD5'];
/** A client that answered with SHA-256 gets it again, topmost (RFC 8760 §2.3: order of preference). */
const SHA256_FIRST: readonly DigestAlgorithm[] = ['SHA-256', 'MD5'];
const SHA256_CREDENTIALS = /(?:^|[\s,])algorithm\s*=\s*"?SHA-256"?\s*(?:,|$)/i;

export function digestHash(algorithm: DigestAlgorithm, text: string): string {
  // One call, no Hash object: a REGISTER or INVITE with credentials hashes two or three times (A2,
  // the response; HA1 for a password), and the object cost more than hashing its few dozen bytes.
  return hash(hashers[algorithm], text, 'hex');
}

/** What the credential store keeps: never the password, only per-realm hashes (RFC 7616 §3.4.2 HA1). */
export function computeHa1(username: string, realm: string, password: string): Record<DigestAlgorithm, string> {
  return {
    'SHA-256': digestHash('SHA-256', `${username}:${realm}:${password}`),
    MD5: digestHash('MD5', `${username}:${realm}:${password}`),
  };
}

/** Stored hashes for a digest username; `fresh` bypasses any cache in front of the store. */
export type CredentialLookup = (username: string, options: { fresh: boolean }) => Promise<StoredCredentials | null>;

export class DigestAuthenticator {
  readonly #nonceCounts: NonceCounts;
  readonly #signingKey: string;

  constructor(private readonly options: DigestOptions) {
    this.#nonceCounts = options.nonceCounts ?? new LocalNonceCounts(options.now);
    this.#signingKey = options.secret.toString('base64');
  }

  get realm(): string {
    return this.options.realm;
  }

  createNonce(): string {
    const issued = Math.floor(this.options.now() / 1000).toString(36);
    const salt = randomText(9, 'base64url');
    return `${issued}.${salt}.${this.#sign(`${issued}.${salt}`)}`;
  }

  /**
   * Header values for WWW-Authenticate / Proxy-Authenticate, most preferred first: MD5 alone, or
   * SHA-256 then MD5 when the request itself carries SHA-256 credentials (a refresh or retry whose
   * nonce went stale or was refused), so a client that speaks RFC 8760 stays on SHA-256.
   */
  challenges(request: SipRequest, stale = false): string[] {
    const nonce = this.createNonce();
    const order = sentSha256Credentials(request) ? SHA256_FIRST : MD5_ONLY;
    return order.map(
      (algorithm) =>
        `Digest realm="${this.options.realm}", nonce="${nonce}", algorithm=${algorithm}, qop="auth"${stale ? ', stale=true' : ''}`,
    );
  }

  /**
   * Checks the credentials in `headerName` (Authorization or Proxy-Authorization) for our realm.
   * `lookup` returns the stored hashes for a username, or null; it is asked again with `fresh` when
   * what it returned first (from a cache) does not match.
   */
  async verify(request: SipRequest, headerName: 'Authorization' | 'Proxy-Authorization', lookup: CredentialLookup): Promise<DigestVerdict> {
    const values = request.headers.filter((h) => h.name === headerName).map((h) => h.value);
    if (values.length === 0) return { ok: false, reason: 'missing' };
    let params: Map<string, string> | undefined;
    for (const value of values) {
      try {
        const parsed = parseAuthValue(value);
        if (parsed.scheme.toLowerCase() === 'digest' && parsed.params.get('realm') === this.options.realm) params = parsed.params;
      } catch {
        return { ok: false, reason: 'malformed' };
      }
    }
    if (!params) return { ok: false, reason: 'wrong-realm' };
    const username = params.get('username');
    const nonce = params.get('nonce');
    const uri = params.get('uri');
    const response = params.get('response');
    const algorithm = (params.get('algorithm') ?? 'MD5').toUpperCase() as DigestAlgorithm;
    if (!username || !nonce || !uri || !response) return { ok: false, reason: 'malformed' };
    if (!(algorithm in hashers)) return { ok: false, reason: 'unsupported' };
    // RFC 2617 §3.2.2.5: credentials computed for another URI do not authorise this request.
    if (!sameRequestUri(uri, request.uri)) return { ok: false, reason: 'uri-mismatch' };

    const nonceState = this.#checkNonce(nonce);
    if (nonceState === 'forged') return { ok: false, reason: 'bad-nonce' };

    const qop = params.get('qop');
    const ncText = params.get('nc');
    const cnonce = params.get('cnonce');
    if (qop === 'auth' && (!ncText || !/^[0-9a-fA-F]{8}$/.test(ncText) || !cnonce)) return { ok: false, reason: 'malformed' };
    if (qop !== 'auth' && qop !== undefined) return { ok: false, reason: 'unsupported' };
    const ha2 = digestHash(algorithm, `${request.method}:${uri}`);
    const answers = (stored: StoredCredentials) =>
      safeEqualHex(
        qop === 'auth'
          ? digestHash(algorithm, `${stored.ha1[algorithm]}:${nonce}:${ncText}:${cnonce}:auth:${ha2}`)
          : // RFC 2617 §3.2.2.1 compatibility (no qop): only the nonce binds the response; nonces expire quickly.
            digestHash(algorithm, `${stored.ha1[algorithm]}:${nonce}:${ha2}`),
        response.toLowerCase(),
      );

    let stored = await lookup(username, { fresh: false });
    if (!stored || !answers(stored)) {
      // A cached entry can be a moment old: a device whose password was just rotated (a reloaded
      // softphone) or just created must not be refused for it. Ask the store itself once more.
      stored = await lookup(username, { fresh: true });
      if (!stored) return { ok: false, reason: 'unknown-user' };
      if (!answers(stored)) return { ok: false, reason: 'wrong-response' };
    }
    const nc = qop === 'auth' ? parseInt(ncText!, 16) : 0;
    // A right answer to an expired nonce: ask again with stale=true so the client retries silently (RFC 7616 §3.3).
    if (nonceState === 'expired') return { ok: false, reason: 'stale' };
    // Kept a minute past the nonce's life: by then an answer to it is stale, whatever its count.
    if (qop === 'auth' && !(await this.#nonceCounts.accept(nonce, nc, this.options.nonceLifetimeSeconds * 1000 + 60_000)))
      return { ok: false, reason: 'replay' };
    return { ok: true, username };
  }

  #checkNonce(nonce: string): 'fresh' | 'expired' | 'forged' {
    const [issued, salt, signature] = nonce.split('.');
    if (!issued || !salt || !signature || !safeEqualText(signature, this.#sign(`${issued}.${salt}`))) return 'forged';
    const ageSeconds = Math.floor(this.options.now() / 1000) - parseInt(issued, 36);
    return ageSeconds >= 0 && ageSeconds <= this.options.nonceLifetimeSeconds ? 'fresh' : 'expired';
  }

  /**
   * The nonce's MAC: SHA3-256 over the secret then the text. SHA-3 is a sponge, so a secret prefix
   * is a sound MAC (there is no length extension, the flaw of SHA-2 that HMAC exists to avoid; NIST
   * SP 800-185's KMAC is this construction). Every challenge and every answer to one computes it,
   * and an HMAC object cost three times as much as the hash (issue #17, capacity).
   */
  #sign(text: string): string {
    return hash('sha3-256', `${this.#signingKey}\u0000${text}`, 'base64url').slice(0, 22);
  }
}

/** Whether the request answers some challenge with SHA-256 (RFC 7616 §3.4 `algorithm`). */
function sentSha256Credentials(request: SipRequest): boolean {
  for (const header of request.headers) {
    if ((header.name === 'Authorization' || header.name === 'Proxy-Authorization') && SHA256_CREDENTIALS.test(header.value)) return true;
  }
  return false;
}

function sameRequestUri(credentialUri: string, requestUri: string): boolean {
  if (credentialUri === requestUri) return true;
  try {
    const a = parseUri(credentialUri);
    const b = parseUri(requestUri);
    return a.scheme === b.scheme && a.user === b.user && a.host === b.host && (a.port ?? 5060) === (b.port ?? 5060);
  } catch {
    return false;
  }
}

function safeEqualHex(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

function safeEqualText(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}
