import { createCipheriv, createDecipheriv, createHash, hash } from 'node:crypto';
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

export class FlowTokenCipher {
  readonly #key: Buffer;
  /**
   * Tokens this cipher sealed or opened, with their claims. Every request of a dialog (ACK, BYE,
   * re-INVITE, both directions) brings back the tokens its INVITE was given, and deciphering each
   * afresh cost more than parsing the request. Only tokens that authenticated are here, so a
   * forged one still goes through AES-GCM and fails. Two generations, so a dialog's tokens stay
   * while it is recent.
   */
  readonly #remembered = new RecentlyKept<FlowTokenClaims>(REMEMBERED_TOKENS);

  constructor(secret: Buffer) {
    this.#key = createHash('sha256').update('videophone flow token').update(secret).digest();
  }

  /** The dialog identity bound into tokens: the Call-ID and the From tag of the INVITE that made it. */
  static dialogOf(callId: string, callerTag: string): string {
    // One call, no Hash object: every INVITE and every in-dialog request of the proxy asks.
    return hash('sha256', `${callId}\u0000${callerTag}`, 'base64url').slice(0, 16);
  }

  seal(claims: FlowTokenClaims): string {
    const { flow } = claims;
    const nonce = pooledRandomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.#key, nonce);
    const plain = Buffer.from(
      JSON.stringify([
        flow.protocol,
        flow.remoteAddress,
        flow.remotePort,
        flow.connectionId,
        claims.dialog,
        claims.party,
        claims.transit === true ? 1 : 0,
      ]),
    );
    const token = Buffer.concat([nonce, cipher.update(plain), cipher.final(), cipher.getAuthTag()]).toString('base64url');
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
      dialog: claims.dialog,
      party: claims.party,
      ...(claims.transit === true ? { transit: true } : {}),
    });
    return token;
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
    const claims = this.#decipher(token);
    if (claims) this.#remembered.set(token, FlowTokenCipher.#copy(claims));
    return claims;
  }

  #decipher(token: string): FlowTokenClaims | null {
    try {
      const data = Buffer.from(token, 'base64url');
      if (data.length < 12 + 16 + 2) return null;
      const decipher = createDecipheriv('aes-256-gcm', this.#key, data.subarray(0, 12));
      decipher.setAuthTag(data.subarray(data.length - 16));
      const plain = Buffer.concat([decipher.update(data.subarray(12, data.length - 16)), decipher.final()]);
      const [protocol, remoteAddress, remotePort, connectionId, dialog, party, transit] = JSON.parse(plain.toString()) as [
        TransportProtocol,
        string,
        number,
        string | null,
        string,
        string,
        number | undefined,
      ];
      if (typeof dialog !== 'string' || typeof party !== 'string') return null;
      return {
        flow: { protocol, remoteAddress, remotePort, localAddress: '', localPort: 0, connectionId },
        dialog,
        party,
        ...(transit === 1 ? { transit: true } : {}),
      };
    } catch {
      return null;
    }
  }
}
