import { createCipheriv, createDecipheriv, createHash, hash, timingSafeEqual } from 'node:crypto';
import { pooledRandomBytes, RecentlyKept, type Flow, type TransportProtocol } from '../sip/index.js';

/**
 * What one of our Record-Route entries vouches for (RFC 5626 §5.2-style flow token, RFC 5658 double
 * record-routing): the flow toward one party of one dialog, and who that party is. Encrypted and
 * authenticated (AES-256-GCM), so a peer can neither aim the proxy at another flow or another
 * address, nor reuse a route set it saw in one dialog for another, nor read the other party's address.
 */
export interface FlowTokenClaims {
  flow: Flow;
  /** The dialog the token was issued for: Call-ID and the caller's From tag, hashed. */
  dialog: string;
  /** The subscriber number of the party on this flow. */
  party: string;
  /**
   * Issued by a node that only carries the dialog to the device whose connection it holds (it was
   * reached through the device's Path, RFC 3327): another node records and meters the call.
   */
  transit?: boolean;
}

/**
 * The `dialog` of a Path token (RFC 3327): it names no dialog but the way to a registered device
 * through the node holding its connection, so it never matches a dialog's hash and a dialog token
 * is never taken for it.
 */
export const PATH_TOKEN_DIALOG = 'path';

/** Tokens remembered per generation; two generations bound the memory to twice this. */
const REMEMBERED_TOKENS = 20_000;

/**
 * Sealed flows remembered per generation: one per device flow and party that called or was called
 * lately, not one per call.
 */
const REMEMBERED_FLOWS = 20_000;

/** The separator between a token's parts; none of them (base64url, a dialog hash) contains it. */
const PART = '.';

/**
 * A token is three parts: the flow and the party, sealed with AES-256-GCM (so that no peer reads
 * the other party's address or changes a byte of it); the dialog, in the clear (a hash of the
 * Call-ID and the caller's tag, which every request of the dialog carries anyway); and a MAC that
 * binds the two, so that one dialog's sealed flow cannot be carried into another dialog.
 *
 * The sealed part is made once per flow and party and used for every call over that flow while it
 * is remembered: sealing afresh for both sides of every call was a twentieth of the proxy's time
 * (issue #17, capacity). What that gives away is that two calls came over the same flow, which
 * each callee could tell from the caller's number anyway.
 */
export class FlowTokenCipher {
  readonly #key: Buffer;
  /** The MAC key as text, for one-shot hashing (see #bind). */
  readonly #bindingKey: string;
  /**
   * Tokens this cipher sealed or opened, with their claims. Every request of a dialog (ACK, BYE,
   * re-INVITE, both directions) brings back the tokens its INVITE was given, and deciphering each
   * afresh cost more than parsing the request. Only tokens that authenticated are here, so a
   * forged one still goes through AES-GCM and fails. Two generations, so a dialog's tokens stay
   * while it is recent.
   */
  readonly #remembered = new RecentlyKept<FlowTokenClaims>(REMEMBERED_TOKENS);
  /** The sealed part for each flow and party lately sealed, by what it seals. */
  readonly #sealedFlows = new RecentlyKept<string>(REMEMBERED_FLOWS);

  constructor(secret: Buffer) {
    this.#key = createHash('sha256').update('videophone flow token').update(secret).digest();
    this.#bindingKey = createHash('sha256').update('videophone flow token binding').update(secret).digest('base64');
  }

  /** The dialog identity bound into tokens: the Call-ID and the From tag of the INVITE that made it. */
  static dialogOf(callId: string, callerTag: string): string {
    // One call, no Hash object: every INVITE and every in-dialog request of the proxy asks.
    return hash('sha256', `${callId}\u0000${callerTag}`, 'base64url').slice(0, 16);
  }

  seal(claims: FlowTokenClaims): string {
    const { flow } = claims;
    const plain = JSON.stringify([
      flow.protocol,
      flow.remoteAddress,
      flow.remotePort,
      flow.connectionId,
      claims.party,
      claims.transit === true ? 1 : 0,
    ]);
    let sealed = this.#sealedFlows.get(plain);
    if (sealed === undefined) {
      const nonce = pooledRandomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
      sealed = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url');
      this.#sealedFlows.set(plain, sealed);
    }
    const dialog = claims.dialog;
    const token = sealed + PART + dialog + PART + this.#bind(sealed, dialog);
    // Remembered as opening it would give: the token carries neither the local address nor port.
    this.#remembered.set(token, {
      flow: {
        protocol: flow.protocol,
        remoteAddress: flow.remoteAddress,
        remotePort: flow.remotePort,
        localAddress: '',
        localPort: 0,
        connectionId: flow.connectionId,
      },
      dialog,
      party: claims.party,
      ...(claims.transit === true ? { transit: true } : {}),
    });
    return token;
  }

  /**
   * The MAC binding a sealed flow to a dialog: SHA3-256 over the key then the parts, a sound MAC for
   * a sponge (no length extension; NIST SP 800-185's KMAC is this construction), in one hash call.
   */
  #bind(sealed: string, dialog: string): string {
    return hash('sha3-256', `${this.#bindingKey}\u0000${sealed}\u0000${dialog}`, 'base64url').slice(0, 22);
  }

  /** A copy, so no caller can change what the next request of the dialog is told. */
  static #copy(claims: FlowTokenClaims): FlowTokenClaims {
    return { ...claims, flow: { ...claims.flow } };
  }

  /** The claims, or null for a token that is forged, truncated, or sealed with another deployment's secret. */
  open(token: string): FlowTokenClaims | null {
    // A token read from a request is a slice of its text: the kept key is a copy (RecentlyKept).
    const known = this.#remembered.get(token);
    if (known) return FlowTokenCipher.#copy(known);
    const claims = this.#verify(token);
    if (claims) this.#remembered.set(token, FlowTokenCipher.#copy(claims));
    return claims;
  }

  #verify(token: string): FlowTokenClaims | null {
    const first = token.indexOf(PART);
    const last = token.lastIndexOf(PART);
    if (first < 0 || last === first) return null;
    const sealed = token.slice(0, first);
    const dialog = token.slice(first + 1, last);
    const binding = token.slice(last + 1);
    const expected = this.#bind(sealed, dialog);
    if (binding.length !== expected.length || !timingSafeEqual(Buffer.from(binding), Buffer.from(expected))) return null;
    const sealedClaims = this.#decipher(sealed);
    return sealedClaims && { ...sealedClaims, dialog };
  }

  #decipher(sealed: string): Omit<FlowTokenClaims, 'dialog'> | null {
    try {
      const data = Buffer.from(sealed, 'base64url');
      if (data.length < 12 + 16 + 2) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      const [protocol, remoteAddress, remotePort, connectionId, party, transit] = JSON.parse(plain.toString()) as [
        TransportProtocol,
        string,
        number,
        string | null,
        string,
        number | undefined,
      ];
      if (typeof party !== 'string') return null;
      return {
        flow: { protocol, remoteAddress, remotePort, localAddress: '', localPort: 0, connectionId },
        party,
        ...(transit === 1 ? { transit: true } : {}),
      };
    } catch {
      return null;
    }
  }
}
