import { Redis } from 'ioredis';
import type { Logger } from 'pino';

/**
 * Redis connections for state several nodes share (issue #17). Redis is a helper, never a
 * dependency the SIP edge waits on: a command fails within `commandTimeoutMs` and is not queued
 * while the connection is down (callers fall back to what they hold in memory), and ioredis keeps
 * reconnecting, backing off to every two seconds.
 */
export function createRedis(url: string, options: { name: string; logger: Logger; commandTimeoutMs?: number }): Redis {
  const client = new Redis(url, {
    connectionName: options.name,
    enableOfflineQueue: false,
    // Commands issued in one turn of the event loop (a burst of REGISTERs' nonce counts and
    // bindings) leave in one write and one round trip, not one each.
    enableAutoPipelining: true,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
  });
  watch(client, options);
  return client;
}

/**
 * A connection for SUBSCRIBE: it may queue its subscriptions until connected, and subscribes again
 * after every reconnect (ioredis `autoResubscribe`).
 */
export function createRedisSubscriber(url: string, options: { name: string; logger: Logger }): Redis {
  const client = new Redis(url, {
    connectionName: options.name,
    autoResubscribe: true,
    maxRetriesPerRequest: null,
    retryStrategy: (attempt) => Math.min(100 * attempt, 2_000),
  });
  watch(client, options);
  return client;
}

/** One warning when a connection is lost and one line when it is back, not one per retry. */
function watch(client: Redis, options: { name: string; logger: Logger }): void {
  let down = false;
  client.on('error', (error: Error) => {
    if (down) return;
    down = true;
    options.logger.warn({ err: error, connection: options.name }, 'Redis is not reachable; retrying');
  });
  client.on('ready', () => {
    if (!down) return;
    down = false;
    options.logger.info({ connection: options.name }, 'Redis answers again');
  });
}

/**
 * A process's two connections to the Redis its nodes share: one for commands and PUBLISH, one for
 * SUBSCRIBE. Each module that announces something to the other nodes (bindings, bans, cache
 * invalidations) uses its own channel on these, rather than a pair of its own.
 */
export interface SharedRedis {
  commands: Redis;
  subscriber: Redis;
}

export function connectSharedRedis(url: string, options: { name: string; logger: Logger }): SharedRedis {
  return {
    commands: createRedis(url, { name: options.name, logger: options.logger }),
    subscriber: createRedisSubscriber(url, { name: `${options.name}:subscriber`, logger: options.logger }),
  };
}

export function disconnectSharedRedis(redis: SharedRedis): void {
  redis.commands.disconnect();
  redis.subscriber.disconnect();
}

/**
 * Calls `resumed` each time the subscriber connection is back after it was lost: messages published
 * meanwhile were missed (Redis pub/sub keeps nothing), so a cache kept fresh by them must start over.
 */
export function onSubscriberResumed(redis: SharedRedis, resumed: () => void): () => void {
  let lost = false;
  const onLost = () => {
    lost = true;
  };
  const onReady = () => {
    if (!lost) return;
    lost = false;
    resumed();
  };
  redis.subscriber.on('close', onLost);
  redis.subscriber.on('ready', onReady);
  return () => {
    redis.subscriber.off('close', onLost);
    redis.subscriber.off('ready', onReady);
  };
}

/** One node's side of an invalidation channel (`shareInvalidations`). */
export interface InvalidationChannel<M extends object> {
  /** Tells every other node; a failure to publish is logged (their caches still expire). */
  announce(message: M): void;
  /** Subscribes; call once at start. */
  subscribe(): Promise<void>;
  /** Stops hearing the channel (the subscription itself ends with the connection). */
  stop(): void;
}

/**
 * A Redis pub/sub channel on which each node tells the others that something they may cache has
 * changed, so that they forget it too. Pub/sub delivers at most once and keeps nothing, so a cache
 * kept fresh this way still needs a lifetime, or `resumed` to start over when the subscriber
 * connection comes back after a loss. Messages are JSON objects carrying the sender's `origin`: a
 * node skips its own, and text that is not such an object (another version's, or garbage) is
 * dropped, never thrown on the subscriber connection.
 */
export function shareInvalidations<M extends object>(
  redis: SharedRedis,
  channel: string,
  options: {
    origin: string;
    logger: Logger;
    /** Said in the log when a message could not be published. */
    what: string;
    received: (message: Partial<M>) => void;
    resumed?: () => void;
  },
): InvalidationChannel<M> {
  const onMessage = (from: string, text: string) => {
    if (from !== channel) return;
    let message: unknown;
    try {
      message = JSON.parse(text);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || Array.isArray(message)) return;
    const { origin, ...rest } = message as { origin?: unknown };
    if (origin !== options.origin) options.received(rest as Partial<M>);
  };
  redis.subscriber.on('message', onMessage);
  const stopResuming = options.resumed ? onSubscriberResumed(redis, options.resumed) : () => undefined;
  return {
    announce(message) {
      redis.commands.publish(channel, JSON.stringify({ ...message, origin: options.origin })).catch((error: unknown) => {
        options.logger.warn({ err: error, message }, `could not tell the other nodes ${options.what}`);
      });
    },
    async subscribe() {
      await redis.subscriber.subscribe(channel);
    },
    stop() {
      redis.subscriber.off('message', onMessage);
      stopResuming();
    },
  };
}
