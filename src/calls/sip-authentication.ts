import type { Logger } from 'pino';
import {
  getHeader,
  parseAuthValue,
  type SipHeader,
  type SipRequest,
  type DigestAuthenticator,
  type DigestVerdict,
  type ServerTransaction,
  type TransactionLayer,
} from '../sip/index.js';
import type { SipBan, SipBanList } from './sip-bans.js';
import type { SipAccountStore, SipCredentialOwner } from './sip-accounts.js';

/** Who asks: the registrar challenges with 401 (§22.2), a proxy with 407 (§22.3). */
export type AuthenticatingRole = 'registrar' | 'proxy';

const roles = {
  registrar: {
    credentialsHeader: 'Authorization',
    challengeStatus: 401,
    challengeHeader: 'WWW-Authenticate',
    mismatch: 'Credentials do not match the To address',
  },
  proxy: {
    credentialsHeader: 'Proxy-Authorization',
    challengeStatus: 407,
    challengeHeader: 'Proxy-Authenticate',
    mismatch: 'From does not match the credentials',
  },
} as const;

type FailureReason = Extract<DigestVerdict, { ok: false }>['reason'] | 'username-banned' | 'credentials-mismatch';

/**
 * The one table from an authentication outcome to what the client hears. `counts` marks the
 * failures that look like guessing (a wrong password, an unknown name, a forged nonce, a banned
 * name): they are logged for fail2ban and counted toward bans. A missing or stale credential is the
 * normal first step of every registration and call.
 */
const outcomes: Record<FailureReason, { answer: 'challenge' | 'stale-challenge' | 400 | 403; reason?: string; counts: boolean }> = {
  missing: { answer: 'challenge', counts: false },
  stale: { answer: 'stale-challenge', counts: false },
  'wrong-realm': { answer: 'challenge', counts: false },
  replay: { answer: 'challenge', counts: false },
  malformed: { answer: 400, reason: 'Malformed credentials', counts: false },
  unsupported: { answer: 400, reason: 'Malformed credentials', counts: false },
  'uri-mismatch': { answer: 400, reason: 'Credentials are for another URI', counts: false },
  'unknown-user': { answer: 'challenge', counts: true },
  'wrong-response': { answer: 'challenge', counts: true },
  'bad-nonce': { answer: 'challenge', counts: true },
  'username-banned': { answer: 403, reason: 'Forbidden', counts: true },
  // The reason depends on the role (see `roles`); right credentials used for another number.
  'credentials-mismatch': { answer: 403, counts: false },
};

/** The fixed log messages a fail2ban filter matches (deploy/fail2ban/). */
export const AUTH_FAILED_MESSAGE = 'SIP auth failed';
export const BAN_MESSAGE = 'SIP ban';

export interface SipAuthenticationDeps {
  transactions: TransactionLayer;
  digest: DigestAuthenticator;
  accounts: SipAccountStore;
  bans: SipBanList;
  logger: Logger;
  /** The address holds a live registration for the username's number (trusted during a username ban). */
  hasLiveRegistration: (username: string, address: string) => boolean;
  onFailure?: (reason: string) => void;
  onBan?: (ban: SipBan) => void;
}

/**
 * Digest authentication for the registrar and the proxy, in one place: checks the credentials,
 * answers every refusal statelessly (an unanswered challenge is never retransmitted), counts and
 * logs failures, and applies username bans.
 */
export class SipAuthentication {
  constructor(private readonly deps: SipAuthenticationDeps) {}

  /**
   * The owner of the request's credentials when they are right and belong to `number` (the To user
   * for REGISTER, the From user for a call); otherwise the request has been answered and null
   * comes back.
   */
  async authenticate(transaction: ServerTransaction, role: AuthenticatingRole, number: string | null): Promise<SipCredentialOwner | null> {
    const request = transaction.request;
    const { credentialsHeader } = roles[role];
    const address = transaction.flow.remoteAddress;
    const claimed = claimedUsername(request, credentialsHeader);
    // A banned name is refused before any database work, except from where it is known to work.
    if (claimed !== null && this.deps.bans.isBanned('username', claimed) && !this.#trusted(claimed, address)) {
      return this.#refuse(transaction, role, 'username-banned', claimed);
    }
    const verdict = await this.deps.digest.verify(request, credentialsHeader, (username, lookup) =>
      this.deps.accounts.findCredentials(username, lookup).then((owner) => owner?.credentials ?? null),
    );
    // The edge drops a banned source's requests unanswered. One that was being checked when the ban
    // landed (a burst of guesses waiting on the same account lookup) is dropped the same way: not
    // answered, counted or logged, so a burst gets no more answers than guesses paced one by one.
    if (this.deps.bans.isBanned('source', address)) {
      transaction.abandon();
      return null;
    }
    if (!verdict.ok) return this.#refuse(transaction, role, verdict.reason, claimed);
    const owner = await this.deps.accounts.findCredentials(verdict.username);
    if (!owner || owner.number !== number) return this.#refuse(transaction, role, 'credentials-mismatch', verdict.username);
    await this.deps.bans.recordSuccess(verdict.username, address);
    return owner;
  }

  #trusted(username: string, address: string): boolean {
    return this.deps.bans.isTrusted(username, address) || this.deps.hasLiveRegistration(username, address);
  }

  async #refuse(transaction: ServerTransaction, role: AuthenticatingRole, reason: FailureReason, username: string | null): Promise<null> {
    const outcome = outcomes[reason];
    const request = transaction.request;
    const flow = transaction.flow;
    if (outcome.counts) {
      this.deps.onFailure?.(reason);
      const where = { address: flow.remoteAddress, port: flow.remotePort, transport: flow.protocol };
      // One line per failure, fields in a fixed order (see deploy/fail2ban/videophone-sip.conf).
      this.deps.logger.warn({ event: 'sip.auth.failed', ...where, username, reason, method: request.method }, AUTH_FAILED_MESSAGE);
      const bans = await this.deps.bans.recordFailure({ address: flow.remoteAddress, username, reason });
      for (const ban of bans) {
        this.deps.onBan?.(ban);
        this.deps.logger.warn(
          { event: 'sip.ban', ...where, username, reason, kind: ban.kind, value: ban.value, until: ban.until.toISOString() },
          BAN_MESSAGE,
        );
      }
    }
    const { challengeStatus, challengeHeader, mismatch } = roles[role];
    if (outcome.answer === 'challenge' || outcome.answer === 'stale-challenge') {
      const headers: SipHeader[] = this.deps.digest
        .challenges(request, outcome.answer === 'stale-challenge')
        .map((value) => ({ name: challengeHeader, value }));
      this.deps.transactions.replyStatelessly(transaction, challengeStatus, { headers });
    } else {
      this.deps.transactions.replyStatelessly(transaction, outcome.answer, { reason: outcome.reason ?? mismatch });
    }
    return null;
  }
}

/** The digest username the request claims, read without verifying anything (for the ban check). */
function claimedUsername(request: SipRequest, headerName: string): string | null {
  if (getHeader(request, headerName) === undefined) return null;
  for (const header of request.headers) {
    if (header.name !== headerName) continue;
    try {
      const username = parseAuthValue(header.value).params.get('username');
      if (username) return username;
    } catch {
      // malformed: the digest check answers it
    }
  }
  return null;
}
