import { createHmac } from 'node:crypto';

/**
 * Time-limited TURN credentials in the TURN REST scheme (draft-uberti-behave-turn-rest-00 §2.2),
 * the one coturn implements with `use-auth-secret` + `static-auth-secret`: the TURN server holds the
 * same secret and recomputes the password, so no per-user state is shared between API and TURN.
 */
export interface TurnCredentials {
  /** `<expiry as unix seconds>:<user>`; the server refuses it after the expiry (§2.2, "username"). */
  username: string;
  /** base64(HMAC-SHA1(secret, username)) over the UTF-8 bytes (§2.2, "password"). */
  credential: string;
  /** Seconds the credential stays valid (§2.2, "ttl"). */
  ttl: number;
  urls: string[];
}

export interface TurnSettings {
  secret: string;
  urls: string[];
  credentialTtlSeconds: number;
}

/**
 * Issues a credential for `user` (a number or an id: never a secret, it is visible on the wire).
 * A colon in the user would make coturn read the wrong part as the expiry, so it is refused.
 */
export function issueTurnCredentials(settings: TurnSettings, user: string, now: Date): TurnCredentials {
  if (user.length === 0 || user.includes(':')) throw new Error(`TURN user must be non-empty and contain no colon: ${JSON.stringify(user)}`);
  const expiry = Math.floor(now.getTime() / 1000) + settings.credentialTtlSeconds;
  const username = `${expiry}:${user}`;
  return {
    username,
    credential: turnPassword(settings.secret, username),
    ttl: settings.credentialTtlSeconds,
    urls: [...settings.urls],
  };
}

export function turnPassword(secret: string, username: string): string {
  return createHmac('sha1', Buffer.from(secret, 'utf8')).update(username, 'utf8').digest('base64');
}
