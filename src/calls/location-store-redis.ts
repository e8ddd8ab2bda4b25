import type { ChainableCommander, Redis } from 'ioredis';
import type { Logger } from 'pino';
import { locationChangeKey, type DurableLocationService, type LocationChange, type LocationStore } from './durable-location.js';
import { parseBinding } from './location-store-database.js';
import type { Binding } from './location-service.js';

/** One hash per address-of-record: field = binding id, value = the binding as JSON (with its node and flow). */
export const LOCATION_KEY_PREFIX = 'videophone:location:';
/** Every batch of changes a node writes, published for the other nodes' copies (like Kamailio DMQ usrloc). */
export const LOCATION_CHANNEL = 'videophone:location';

/** `videophone:node:<node>`: present while the node lives (refreshed every NODE_HEARTBEAT_MS, expiring after NODE_HEARTBEAT_TTL_MS). */
export const NODE_KEY_PREFIX = 'videophone:node:';
const NODE_HEARTBEAT_MS = 5_000;
const NODE_HEARTBEAT_TTL_MS = 15_000;
/**
 * Sweeps in a row that must find a node's heartbeat missing before its connection-bound bindings are
 * dropped: a Redis that restarted empty holds no heartbeat until each node's next beat, so one miss
 * proves nothing.
 */
const MISSES_BEFORE_GONE = 3;

/**
 * Adds or replaces one binding and keeps the key alive as long as its longest-lived binding: the
 * key's TTL is only ever raised here (a removal is HDEL; an emptied hash disappears by itself).
 * An expired field inside a live key is skipped by readers (`expiresAt`).
 */
const UPSERT_BINDING = `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local ttl = tonumber(ARGV[3])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return 1`;

/**
 * Removes one binding if it is still the given node's (see `LocationChange.node`): the device may
 * have registered again through another node under the same id meanwhile, and that binding stays.
 * A binding stored without a node (written before nodes were named) is anyone's to remove.
 */
const REMOVE_BINDING = `
local stored = redis.call('HGET', KEYS[1], ARGV[1])
if not stored then return 0 end
local ok, binding = pcall(cjson.decode, stored)
if ok and type(binding) == 'table' and type(binding.node) == 'string' and binding.node ~= ARGV[2] then return 0 end
return redis.call('HDEL', KEYS[1], ARGV[1])`;

interface LocationScripts {
  upsertBinding(key: string, id: string, binding: string, ttlMs: number): ChainableCommander;
  removeBinding(key: string, id: string, node: string): ChainableCommander;
}

interface Published {
  /** `node/run` of the writer; a node skips its own messages. */
  origin: string;
  changes: LocationChange[];
}

/**
 * Bindings in Redis, shared by every node. Writes and their announcement go in one MULTI, so every
 * subscriber sees changes in the order Redis applied them.
 */
export class RedisLocationStore implements LocationStore {
  constructor(
    private readonly redis: Redis,
    private readonly origin: string,
  ) {
    redis.defineCommand('upsertBinding', { numberOfKeys: 1, lua: UPSERT_BINDING });
    redis.defineCommand('removeBinding', { numberOfKeys: 1, lua: REMOVE_BINDING });
  }

  async loadAll(now: number): Promise<Binding[]> {
    const bindings: Binding[] = [];
    let cursor = '0';
    do {
      const [next, keys] = await this.redis.scan(cursor, 'MATCH', `${LOCATION_KEY_PREFIX}*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length === 0) continue;
      const pipeline = this.redis.pipeline();
      for (const key of keys) pipeline.hgetall(key);
      for (const [error, fields] of (await pipeline.exec()) ?? []) {
        if (error) throw error;
        for (const value of Object.values(fields as Record<string, string>)) {
          const binding = parseBinding(value);
          if (binding.expiresAt > now) bindings.push(binding);
        }
      }
    } while (cursor !== '0');
    return bindings;
  }

  async write(changes: LocationChange[], now: number): Promise<void> {
    const multi = this.redis.multi();
    const scripts = multi as unknown as LocationScripts;
    for (const { aor, id, binding, node } of changes) {
      const key = LOCATION_KEY_PREFIX + aor;
      if (!binding) {
        if (node === undefined) multi.hdel(key, id);
        else scripts.removeBinding(key, id, node);
      } else if (binding.expiresAt > now) scripts.upsertBinding(key, id, JSON.stringify(binding), binding.expiresAt - now);
    }
    const message: Published = { origin: this.origin, changes };
    multi.publish(LOCATION_CHANNEL, JSON.stringify(message));
    const results = await multi.exec();
    const failed = results?.find(([error]) => error);
    if (!results || failed) throw failed?.[0] ?? new Error('Redis discarded the location transaction');
  }
}

/** A load from the store under way, and what happened meanwhile (`LocationReplication.#loading`). */
interface LoadWindow {
  /** In the order they happened here: other nodes' changes as received, and the keys of this node's own changes. */
  received: (LocationChange | string)[];
  /** The keys (`locationChangeKey`) of the bindings this node changed. */
  changedHere: Set<string>;
}

/**
 * Keeps this node's copy in step with the others: applies what they publish, and after Redis comes
 * back (restarted, or this node was cut off) writes this node's own bindings again (a restarted
 * Redis is empty until the nodes re-publish; persistence does not matter) and reloads everyone
 * else's, since changes published meanwhile were missed.
 */
export class LocationReplication {
  #readyCount = 0;
  #loaded = false;
  #retry: NodeJS.Timeout | null = null;
  #stopped = false;

  #heartbeat: NodeJS.Timeout | null = null;
  #failedResyncs = 0;
  readonly #misses = new Map<string, number>();
  /** What happened to the location while each load from the store under way was running (`#loading`). */
  readonly #loads = new Set<LoadWindow>();

  constructor(
    private readonly subscriber: Redis,
    private readonly store: RedisLocationStore,
    private readonly location: DurableLocationService,
    private readonly options: {
      origin: string;
      now: () => number;
      logger: Logger;
      /** This node's name, for its heartbeat; and the command connection that writes and reads heartbeats. */
      node?: { name: string; commands: Redis };
      /** Another node or worker published a binding (a registration, new or refreshed) for this number. */
      onRemoteRegistration?: (aor: string) => void;
    },
  ) {
    subscriber.on('message', (channel: string, text: string) => {
      if (channel === LOCATION_CHANNEL) this.#receive(text);
    });
    subscriber.on('ready', () => {
      this.#readyCount += 1;
      if (this.#readyCount > 1 || !this.#loaded) void this.resynchronise();
    });
  }

  async start(): Promise<void> {
    await this.subscriber.subscribe(LOCATION_CHANNEL);
    if (this.options.node && !this.#heartbeat) {
      this.#heartbeat = setInterval(() => void this.beat(), NODE_HEARTBEAT_MS);
      this.#heartbeat.unref();
      void this.beat();
    }
  }

  /**
   * One heartbeat of this node, then a look at the others': a node killed outright (kill -9, power)
   * never removes its WebSocket and outbound bindings, which no other node can reach, so once its
   * heartbeat has been missing for MISSES_BEFORE_GONE sweeps they are dropped everywhere. A node that
   * stops cleanly or restarts drops its own (`DurableLocationService.start`).
   */
  async beat(): Promise<void> {
    const node = this.options.node;
    if (!node || this.#stopped) return;
    try {
      await node.commands.set(NODE_KEY_PREFIX + node.name, this.options.origin, 'PX', NODE_HEARTBEAT_TTL_MS);
      const others = [...this.location.nodesHoldingFlows()].filter((other) => other !== node.name);
      const alive = others.length > 0 ? await node.commands.mget(...others.map((other) => NODE_KEY_PREFIX + other)) : [];
      for (const [index, other] of others.entries()) {
        if (alive[index] !== null) {
          this.#misses.delete(other);
          continue;
        }
        const misses = (this.#misses.get(other) ?? 0) + 1;
        this.#misses.set(other, misses);
        if (misses < MISSES_BEFORE_GONE) continue;
        this.#misses.delete(other);
        const dropped = this.location.dropFlowBoundOf(other);
        this.options.logger.warn({ node: other, dropped }, 'a node stopped beating: its WebSocket and outbound registrations are dropped');
      }
    } catch (error) {
      // Redis away: nothing can be told about the others; the replication catches up once it is back.
      this.options.logger.debug({ err: error }, 'node heartbeat not written');
    }
  }

  /**
   * The start-up load (`DurableLocationService.start`, once subscribed), with what other nodes
   * published while it ran applied on top (see `#loading`). Once it is done a later reconnect must
   * resynchronise; the first connect need not.
   */
  async load(): Promise<{ loaded: number; dropped: number }> {
    const result = await this.#loading(() => this.location.start());
    this.#loaded = true;
    return result;
  }

  stop(): void {
    this.#stopped = true;
    if (this.#retry) clearTimeout(this.#retry);
    if (this.#heartbeat) clearInterval(this.#heartbeat);
  }

  async resynchronise(): Promise<void> {
    const { logger, now } = this.options;
    if (this.#retry) clearTimeout(this.#retry);
    this.#retry = null;
    if (this.#stopped) return;
    try {
      const republished = this.location.republishOwn(now());
      await this.location.flush();
      const others = await this.#reloadOthers();
      this.#loaded = true;
      this.#failedResyncs = 0;
      logger.info({ republished, others }, 'location resynchronised with Redis');
    } catch (error) {
      // The subscriber is often ready before the command connection (at every start): one failed
      // attempt is expected and retried quietly; only a second one is worth a warning.
      this.#failedResyncs += 1;
      if (this.#failedResyncs > 1) logger.warn({ err: error }, 'could not resynchronise the location with Redis; retrying');
      else logger.debug({ err: error }, 'location resynchronisation waits for the Redis command connection');
      this.#retry = setTimeout(() => void this.resynchronise(), 1_000);
      this.#retry.unref();
    }
  }

  /** Replaces the other nodes' bindings with what the store holds; returns how many there are. */
  async #reloadOthers(): Promise<number> {
    return this.#loading(async (window) => {
      const others = await this.store.loadAll(this.options.now());
      this.location.replaceOthers(others, this.options.now(), window.changedHere);
      return others.length;
    });
  }

  /**
   * Runs a load from the store and then brings its result up to date. The load is a snapshot of
   * some moment during its reads, while other nodes go on publishing (every node reloads at once
   * when Redis comes back) and this node goes on registering devices. A change published after that
   * moment and applied before the load ends would be undone by it (`replaceOthers`, or `start`'s
   * upserts), so what other nodes published meanwhile is applied again on top, in the order Redis
   * published it (each change is idempotent). Except where this node changed the same binding
   * after the change arrived: its own change is the newer one.
   */
  async #loading<T>(load: (window: LoadWindow) => Promise<T>): Promise<T> {
    const window: LoadWindow = { received: [], changedHere: new Set() };
    const stopNoting = this.location.onLocalChange((key) => {
      window.changedHere.add(key);
      window.received.push(key);
    });
    this.#loads.add(window);
    try {
      const result = await load(window);
      const changedLater = new Set<string>();
      const reapplied: LocationChange[] = [];
      for (let index = window.received.length - 1; index >= 0; index -= 1) {
        const entry = window.received[index]!;
        if (typeof entry === 'string') changedLater.add(entry);
        else if (!changedLater.has(locationChangeKey(entry.aor, entry.id))) reapplied.push(entry);
      }
      for (const change of reapplied.reverse()) this.location.applyRemote(change);
      return result;
    } finally {
      this.#loads.delete(window);
      stopNoting();
    }
  }

  #receive(text: string): void {
    let message: Published;
    try {
      message = JSON.parse(text) as Published;
    } catch {
      return;
    }
    if (message.origin === this.options.origin || !Array.isArray(message.changes)) return;
    for (const window of this.#loads) window.received.push(...message.changes);
    for (const change of message.changes) {
      this.location.applyRemote(change);
      if (change.binding) this.options.onRemoteRegistration?.(change.aor);
    }
  }
}
