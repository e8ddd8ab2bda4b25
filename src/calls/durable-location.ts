import type { Logger } from 'pino';
import type { Flow } from '../sip/index.js';
import {
  bindingId,
  bindingNeedsItsFlow,
  InMemoryLocationService,
  sameBinding,
  type Binding,
  type LocationService,
} from './location-service.js';

const MAX_BATCH = 1_000;

/** One binding's key in the store and in every list of changes: its address-of-record and id. */
export function locationChangeKey(aor: string, id: string): string {
  return `${aor}\n${id}`;
}

/** One binding's new state within its address-of-record: the binding, or null when it was removed. */
export interface LocationChange {
  aor: string;
  id: string;
  binding: Binding | null;
  /**
   * For a removal, the node whose binding it removes. A device keeps its binding id when it moves
   * (the same RFC 5626 instance and reg-id, registering again through another node), so a removal
   * of its old node's binding (that node's connection closing late, or the node found dead) must not
   * take the binding its new node holds: a removal only applies to a binding still of this node.
   */
  node?: string;
}

/**
 * Where bindings outlive the process: the database (one node) or Redis (several). A store keeps
 * each binding as this node last wrote it, with its node and expiry, and forgets it once expired.
 */
export interface LocationStore {
  /** The bindings unexpired at `now` that this node should know at start: its own, or every node's. */
  loadAll(now: number): Promise<Binding[]>;
  /** Applies the changes, in order, all or none. */
  write(changes: LocationChange[], now: number): Promise<void>;
}

export interface DurableLocationOptions {
  /** This node's name (config NODE_ID). */
  node: string;
  /** Names this process among the node's runs: connection ids are only unique within one run. */
  run: string;
  now: () => number;
  logger: Logger;
  /** Longest wait between retries while the store is down. */
  maxRetryMs?: number;
  /**
   * The least time between the starts of two writes (0: none). For the database store, where a
   * statement costs several times a row: under a steady rate of registrations the writes become
   * fewer and larger, while a change after a quiet spell is still written at the end of its turn.
   * A crash loses what waits, as it loses a write under way.
   */
  writeLingerMs?: number;
  /**
   * Whether `settled` waits for the store: for a store other nodes route from (Redis), so a
   * registration is answered once it is shared. Not for the database store, which only this node
   * reads, at its next start.
   */
  shared?: boolean;
}

/**
 * The location service of a node whose registrations survive a restart (issue #17), in the manner
 * of Kamailio usrloc's write-back mode: the in-memory service stays the hot path and the node's
 * working copy, and every change is written to the store behind it, batched and coalesced per
 * binding (only a binding's latest state is written, so writes for one binding cannot land out of
 * order). Registering never waits for the store, and a store that is down only delays the writes:
 * they are retried until it answers, and flushed on a clean stop. The store is read once, at start.
 */
export class DurableLocationService implements LocationService {
  readonly #memory = new InMemoryLocationService();
  /** Changes not yet written, by `aor \n id`: a later change to the same binding replaces an earlier one. */
  #pending = new Map<string, LocationChange>();
  #writing: Promise<void> | null = null;
  #scheduled = false;
  #lastWriteStart = Number.NEGATIVE_INFINITY;
  #retryTimer: NodeJS.Timeout | null = null;
  #failures = 0;
  #stopped = false;
  /** `settled` callers whose changes are pending: released when the write that takes the last of them ends. */
  #settling: (() => void)[] = [];
  /** Told the key of every change this node makes (`onLocalChange`). */
  readonly #localChangeListeners = new Set<(key: string) => void>();

  constructor(
    private readonly store: LocationStore,
    private readonly options: DurableLocationOptions,
  ) {}

  /**
   * Loads what the store holds. This node's own bindings that lived and died with a connection of
   * an earlier run (WebSocket, RFC 5626 outbound) are dropped from the store as well: their device
   * must register again over a new connection, and until then a call to it is answered 480.
   */
  async start(): Promise<{ loaded: number; dropped: number }> {
    const now = this.options.now();
    let loaded = 0;
    let dropped = 0;
    for (const binding of await this.store.loadAll(now)) {
      if (this.#isOwn(binding) && bindingNeedsItsFlow(binding)) {
        this.#queue(this.#removal(binding));
        dropped += 1;
        continue;
      }
      this.#memory.upsert(binding);
      loaded += 1;
    }
    return { loaded, dropped };
  }

  lookup(aor: string, now: number): Binding[] {
    return this.#memory.lookup(aor, now);
  }

  findByContact(contact: string, now: number): Binding | undefined {
    return this.#memory.findByContact(contact, now);
  }

  count(): number {
    return this.#memory.count((binding) => this.#isOwn(binding));
  }

  upsert(binding: Binding): void {
    const id = bindingId(binding);
    // A binding that replaces one the store knows under another id (same contact, instance added) takes its place there too.
    for (const replaced of this.#memory.remove(binding.aor, (existing) => sameBinding(existing, binding)))
      if (bindingId(replaced) !== id) this.#queue(this.#removal(replaced));
    this.#memory.upsert(binding);
    this.#queue({ aor: binding.aor, id, binding: { ...binding, node: this.options.node, flow: this.#storedFlow(binding.flow) } });
  }

  remove(aor: string, matches: (binding: Binding) => boolean): Binding[] {
    const removed = this.#memory.remove(aor, matches);
    for (const binding of removed) this.#queue(this.#removal(binding));
    return removed;
  }

  removeByFlow(flow: Flow): Binding[] {
    const removed = this.#memory.removeByFlow(flow);
    for (const binding of removed) this.#queue(this.#removal(binding));
    return removed;
  }

  /** A change another node made (Redis pub/sub): applied to this node's copy, not written again. */
  applyRemote(change: LocationChange): void {
    if (change.binding) this.#memory.upsert(change.binding);
    else this.#memory.remove(change.aor, (binding) => bindingId(binding) === change.id && this.#heldByRemoved(binding, change));
  }

  /**
   * Replaces every other node's bindings with `bindings` (what the store holds now), keeping this
   * node's own: after this node lost the shared store for a while, it may have missed changes.
   */
  replaceOthers(bindings: Binding[], now: number, changedHereMeanwhile: ReadonlySet<string> = new Set()): void {
    const aors = new Set([...this.#memory.aors(), ...bindings.map((binding) => binding.aor)]);
    for (const aor of aors) this.#memory.remove(aor, (binding) => !this.#isOwn(binding));
    // A binding this node changed after the store was read (its device registered here again) is
    // as this node left it: what the store held of it is older.
    for (const binding of bindings)
      if (!this.#isOwn(binding) && binding.expiresAt > now && !changedHereMeanwhile.has(locationChangeKey(binding.aor, bindingId(binding))))
        this.#memory.upsert(binding);
  }

  /** Calls `listener` with the key (`locationChangeKey`) of every change this node makes, until the returned function is called. */
  onLocalChange(listener: (key: string) => void): () => void {
    this.#localChangeListeners.add(listener);
    return () => this.#localChangeListeners.delete(listener);
  }

  /** Writes every live binding of this node again (the shared store restarted empty). */
  republishOwn(now: number): number {
    let count = 0;
    for (const aor of this.#memory.aors()) {
      for (const binding of this.#memory.lookup(aor, now)) {
        if (!this.#isOwn(binding)) continue;
        this.#queue({
          aor,
          id: bindingId(binding),
          binding: { ...binding, node: this.options.node, flow: this.#storedFlow(binding.flow) },
        });
        count += 1;
      }
    }
    return count;
  }

  /** The other nodes that hold bindings only they can reach (a WebSocket or RFC 5626 flow on that node). */
  nodesHoldingFlows(): Set<string> {
    const nodes = new Set<string>();
    for (const node of this.#memory.nodesOfFlowBoundBindings()) if (node !== this.options.node) nodes.add(node);
    return nodes;
  }

  /**
   * Forgets every binding of `node` that lived on its connections: the node is gone (killed, not
   * stopped), and its connections with it. Removed from the store as well, so no node keeps routing
   * calls to a dead node until the registrations expire; the devices register again elsewhere.
   */
  dropFlowBoundOf(node: string): number {
    const doomed = this.#memory.flowBoundBindingsOf(node);
    for (const binding of doomed) {
      const id = bindingId(binding);
      this.#memory.remove(binding.aor, (existing) => existing.node === node && bindingId(existing) === id);
      this.#queue(this.#removal(binding));
    }
    return doomed.length;
  }

  settled(): Promise<void> {
    // Nothing waits, or the store is failing: SIP goes on from memory rather than wait for retries.
    if (!this.options.shared || this.#pending.size === 0 || this.#failures > 0 || this.#stopped) return Promise.resolve();
    return new Promise((resolve) => this.#settling.push(resolve));
  }

  /** Resolves once every change made so far is written (or the store refused it: then it stays queued). */
  async flush(): Promise<void> {
    while (this.#writing) await this.#writing;
    if (this.#pending.size > 0) await this.#writeBatch();
    while (this.#writing) await this.#writing;
  }

  /** Changes waiting for the store. */
  get pendingWrites(): number {
    return this.#pending.size;
  }

  /** A clean stop: one last attempt to write what is pending; what the store then refuses is lost (and logged). */
  async stop(): Promise<void> {
    this.#stopped = true;
    for (const release of this.#settling.splice(0)) release();
    if (this.#retryTimer) clearTimeout(this.#retryTimer);
    await this.flush();
    if (this.#pending.size > 0)
      this.options.logger.warn({ pending: this.#pending.size }, 'registrations changed while the location store was down are not saved');
  }

  /** A binding this node made, now or in an earlier run (stored without a node: written before nodes were named). */
  #isOwn(binding: Binding): boolean {
    return binding.node === undefined || binding.node === this.options.node;
  }

  /** The node holding `binding`: its own, or this one for a binding made here. */
  #holder(binding: Binding): string {
    return binding.node ?? this.options.node;
  }

  /** The removal of `binding`, for the store and the other nodes: of its id, while it is still its holder's. */
  #removal(binding: Binding): LocationChange {
    return { aor: binding.aor, id: bindingId(binding), binding: null, node: this.#holder(binding) };
  }

  /** Whether a removal another node published applies to `binding` (a removal from before nodes were named applies to any). */
  #heldByRemoved(binding: Binding, change: LocationChange): boolean {
    return change.node === undefined || this.#holder(binding) === change.node;
  }

  /** Connection ids are per process: stored qualified by node and run, they never match another run's connection. */
  #storedFlow(flow: Flow): Flow {
    if (!flow.connectionId || flow.connectionId.includes('/')) return flow;
    return { ...flow, connectionId: `${this.options.node}/${this.options.run}/${flow.connectionId}` };
  }

  #queue(change: LocationChange): void {
    const key = locationChangeKey(change.aor, change.id);
    this.#pending.delete(key);
    this.#pending.set(key, change);
    for (const listener of this.#localChangeListeners) listener(key);
    if (!this.#writing) this.#scheduleWrite();
  }

  /** One batch per turn of the event loop, and one per linger at most: a burst of registrations becomes one write. */
  #scheduleWrite(): void {
    if (this.#scheduled || this.#retryTimer || this.#stopped) return;
    this.#scheduled = true;
    const write = () => {
      this.#scheduled = false;
      if (!this.#writing) void this.#writeBatch();
    };
    const wait = (this.options.writeLingerMs ?? 0) - (performance.now() - this.#lastWriteStart);
    if (wait > 0) setTimeout(write, wait);
    else setImmediate(write);
  }

  async #writeBatch(): Promise<void> {
    if (this.#pending.size === 0) return;
    // Bounded batches: a re-publication of every binding must not become one huge transaction or message.
    const batch = new Map<string, LocationChange>();
    for (const [key, change] of this.#pending) {
      if (batch.size >= MAX_BATCH) break;
      batch.set(key, change);
    }
    for (const key of batch.keys()) this.#pending.delete(key);
    // Every change pending so far is in this batch, unless it was too large: then the next one releases them.
    const settling = this.#pending.size === 0 ? this.#settling.splice(0) : [];
    this.#lastWriteStart = performance.now();
    const writing = this.store
      .write([...batch.values()], this.options.now())
      .then(() => {
        if (this.#failures > 0) this.options.logger.info('the location store answers again: registrations are saved');
        this.#failures = 0;
      })
      .catch((error: unknown) => {
        // Put back what no later change superseded, and try again later; SIP goes on from memory.
        for (const [key, change] of batch) if (!this.#pending.has(key)) this.#pending.set(key, change);
        if (this.#failures === 0) this.options.logger.warn({ err: error }, 'could not save registrations; retrying');
        this.#failures += 1;
      })
      .finally(() => {
        for (const release of settling) release();
        this.#writing = null;
        if (this.#pending.size === 0 || this.#stopped) return;
        if (this.#failures === 0) return this.#scheduleWrite();
        const waitMs = Math.min(this.options.maxRetryMs ?? 5_000, 100 * 2 ** Math.min(this.#failures, 10));
        this.#retryTimer = setTimeout(() => {
          this.#retryTimer = null;
          void this.#writeBatch();
        }, waitMs);
        this.#retryTimer.unref();
      });
    this.#writing = writing;
    await writing;
  }
}
