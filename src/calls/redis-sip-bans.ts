import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import type { InMemorySipBanList, SipBan, SipBanKind, SipBanList, SipFailure } from './sip-bans.js';

/** `videophone:sip-ban:<kind>:<value>`: one ban as JSON, expiring when the ban ends. */
export const SIP_BAN_KEY_PREFIX = 'videophone:sip-ban:';
/** Bans decided and lifted, announced to every node. */
export const SIP_BAN_CHANNEL = 'videophone:sip-bans';

type Announcement = { origin: string; ban: StoredBan } | { origin: string; lifted: { kind: SipBanKind; value: string } };

interface StoredBan {
  kind: SipBanKind;
  value: string;
  since: string;
  until: string;
  failures: number;
  reason: string;
}

/**
 * Failed-authentication bans shared by every node (issue #17), like Kamailio's htable bans
 * replicated over DMQ. Failures are counted on the node that saw them (the per-packet path stays
 * local and synchronous); a ban one node decides is stored in Redis until it ends and announced, so
 * the source or username is refused by every node within a message's flight, and a ban lifted in
 * the console is lifted everywhere. A node that starts reads the bans in force. While Redis is away
 * each node goes on banning on its own.
 */
export class SharedSipBanList implements SipBanList {
  constructor(
    private readonly local: InMemorySipBanList,
    private readonly redis: { commands: Redis; subscriber: Redis },
    private readonly options: { origin: string; now: () => number; logger: Logger },
  ) {
    redis.subscriber.on('message', (channel: string, text: string) => {
      if (channel === SIP_BAN_CHANNEL) this.#receive(text);
    });
  }

  /** Subscribes, then adopts the bans in force (in that order: none decided in between is missed). */
  async start(): Promise<void> {
    await this.redis.subscriber.subscribe(SIP_BAN_CHANNEL);
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.commands.scan(cursor, 'MATCH', `${SIP_BAN_KEY_PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      for (const text of await this.redis.commands.mget(...keys)) if (text !== null) this.#adopt(text);
    } while (cursor !== '0');
  }

  isBanned(kind: SipBanKind, value: string): boolean {
    return this.local.isBanned(kind, value);
  }

  isTrusted(username: string, address: string): boolean {
    return this.local.isTrusted(username, address);
  }

  async recordFailure(failure: SipFailure): Promise<SipBan[]> {
    const bans = await this.local.recordFailure(failure);
    for (const ban of bans) await this.#share(ban);
    return bans;
  }

  recordSuccess(username: string, address: string): Promise<void> {
    return this.local.recordSuccess(username, address);
  }

  list(): Promise<SipBan[]> {
    return this.local.list();
  }

  async lift(kind: SipBanKind, value: string): Promise<boolean> {
    const wasBanned = await this.local.lift(kind, value);
    try {
      const removed = await this.redis.commands
        .multi()
        .del(`${SIP_BAN_KEY_PREFIX}${kind}:${value}`)
        .publish(SIP_BAN_CHANNEL, JSON.stringify({ origin: this.options.origin, lifted: { kind, value } } satisfies Announcement))
        .exec();
      return wasBanned || removed?.[0]?.[1] === 1;
    } catch (error) {
      this.options.logger.warn({ err: error, kind, value }, 'SIP ban lifted on this node only: Redis is not reachable');
      return wasBanned;
    }
  }

  async #share(ban: SipBan): Promise<void> {
    const ttlMs = ban.until.getTime() - this.options.now();
    if (ttlMs <= 0) return;
    const stored: StoredBan = { ...ban, since: ban.since.toISOString(), until: ban.until.toISOString() };
    try {
      await this.redis.commands
        .multi()
        .set(`${SIP_BAN_KEY_PREFIX}${ban.kind}:${ban.value}`, JSON.stringify(stored), 'PX', ttlMs)
        .publish(SIP_BAN_CHANNEL, JSON.stringify({ origin: this.options.origin, ban: stored } satisfies Announcement))
        .exec();
    } catch (error) {
      this.options.logger.warn({ err: error, kind: ban.kind }, 'SIP ban kept on this node only: Redis is not reachable');
    }
  }

  #receive(text: string): void {
    let message: Announcement;
    try {
      message = JSON.parse(text) as Announcement;
    } catch {
      return;
    }
    if (message.origin === this.options.origin) return;
    if ('lifted' in message) void this.local.lift(message.lifted.kind, message.lifted.value);
    else if ('ban' in message) this.#adoptStored(message.ban);
  }

  #adopt(text: string): void {
    try {
      this.#adoptStored(JSON.parse(text) as StoredBan);
    } catch {
      // Not a ban this version wrote: ignored.
    }
  }

  #adoptStored(stored: StoredBan): void {
    if ((stored.kind !== 'source' && stored.kind !== 'username') || typeof stored.value !== 'string') return;
    this.local.adopt({ ...stored, since: new Date(stored.since), until: new Date(stored.until) });
  }
}
