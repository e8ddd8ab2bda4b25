import { flowKey, type Flow } from '../sip/index.js';

/**
 * Where each number can be reached now: its registered contacts, each with the flow it registered
 * over (RFC 5626: requests to a client behind NAT or on a WebSocket go back over that flow).
 * The in-memory service below is every node's working copy; DurableLocationService (durable-location.ts)
 * writes it through to the database or to Redis, which several nodes share.
 */
export interface Binding {
  aor: string;
  contact: string;
  /** RFC 5626 §4.1 `+sip.instance`, RFC 5626 §4.2 `reg-id`. */
  instanceId: string | null;
  regId: number | null;
  flow: Flow;
  expiresAt: number;
  callId: string;
  cseq: number;
  userAgent: string | null;
  q: number;
  /**
   * The node that accepted the registration and holds its connection (config NODE_ID); absent for
   * one made on this node. A binding of another node reaches its device by the contact, not the flow.
   */
  node?: string;
  /**
   * RFC 3327 Path: the Route entries through which another node reaches this binding, naming the
   * node that holds its connection (a WebSocket or RFC 5626 flow that only that node can use).
   */
  path?: string[];
  /**
   * RFC 3327 §5.3: the Path the REGISTER carried, the proxies between this service and the device
   * (an SBC or edge proxy in front of it, each of which added its entry). Requests to the device
   * carry it as a preloaded Route, so each of those proxies finds its way back to the device.
   */
  edgePath?: string[];
}

export interface LocationService {
  lookup(aor: string, now: number): Binding[];
  /** Adds or refreshes a binding; one with the same instance+reg-id (or the same contact) is replaced. */
  upsert(binding: Binding): void;
  remove(aor: string, matches: (binding: Binding) => boolean): Binding[];
  /** RFC 5626 §6 / RFC 7118 §5: a flow that closed takes its bindings with it. */
  removeByFlow(flow: Flow): Binding[];
  findByContact(contact: string, now: number): Binding | undefined;
  /** Bindings this node holds (on several nodes, each counts its own: the sum is the deployment's). */
  count(): number;
  /**
   * Resolves once the changes made so far are where every node reads them, or known not to get
   * there soon (the shared store is down). The registrar answers after it (RFC 3261 §10.3 step 8
   * reports the bindings as updated), so a call that enters another node right after a device's
   * 200 finds that device. Absent where one process is the whole location.
   */
  settled?(): Promise<void>;
}

/**
 * A binding lives and dies with its flow when the client asked for that (RFC 5626 outbound:
 * `+sip.instance` with `reg-id`) or cannot be reached otherwise (a WebSocket client's `.invalid`
 * contact, RFC 7118 §5). A plain TCP or TLS registration outlives its connection: the proxy opens a
 * new one to the contact (RFC 3261 §18.1.1).
 */
export function bindingNeedsItsFlow(binding: Binding): boolean {
  if (binding.flow.protocol === 'WS' || binding.flow.protocol === 'WSS') return true;
  return binding.instanceId !== null && binding.regId !== null;
}

export function sameBinding(
  a: Pick<Binding, 'contact' | 'instanceId' | 'regId'>,
  b: Pick<Binding, 'contact' | 'instanceId' | 'regId'>,
): boolean {
  if (a.instanceId && b.instanceId) return a.instanceId === b.instanceId && a.regId === b.regId;
  return normalizeContact(a.contact) === normalizeContact(b.contact);
}

/**
 * A binding's name within its address-of-record, as `sameBinding` matches them: the instance and
 * reg-id when it has them (RFC 5626 §4.2), else the contact. The stores key bindings by it.
 */
export function bindingId(binding: Pick<Binding, 'contact' | 'instanceId' | 'regId'>): string {
  return binding.instanceId ? `instance:${binding.instanceId}:${binding.regId ?? ''}` : `contact:${normalizeContact(binding.contact)}`;
}

/** §19.1.4 is stricter; scheme, user and host case and parameter order are what clients vary. */
function normalizeContact(contact: string): string {
  return contact.trim().toLowerCase();
}

export class InMemoryLocationService implements LocationService {
  readonly #byAor = new Map<string, Binding[]>();
  /**
   * The bindings that die with their connection (bindingNeedsItsFlow), by flow key: a closing
   * connection finds its own at once. Scanning every binding instead cost each close time in
   * proportion to all registrations, and over TCP with a connection per call every call closes one.
   */
  readonly #byFlow = new Map<string, Set<Binding>>();
  /**
   * The same kind of bindings by the node named in them: the nodes a heartbeat must watch, and what
   * to drop when one is gone, are then found without scanning every registration (a scan each
   * heartbeat cost time in proportion to all of them, and blocked the event loop while it ran).
   */
  readonly #flowBoundByNode = new Map<string, Set<Binding>>();

  lookup(aor: string, now: number): Binding[] {
    const all = this.#byAor.get(aor);
    if (!all) return [];
    const live = all.filter((binding) => binding.expiresAt > now);
    if (live.length !== all.length) {
      for (const binding of all) if (binding.expiresAt <= now) this.#unindex(binding);
      if (live.length === 0) this.#byAor.delete(aor);
      else this.#byAor.set(aor, live);
    }
    return live.length > 1 ? [...live].sort((a, b) => b.q - a.q) : [...live];
  }

  upsert(binding: Binding): void {
    const bindings: Binding[] = [];
    for (const existing of this.#byAor.get(binding.aor) ?? []) {
      if (sameBinding(existing, binding)) this.#unindex(existing);
      else bindings.push(existing);
    }
    bindings.push(binding);
    this.#byAor.set(binding.aor, bindings);
    this.#index(binding);
  }

  remove(aor: string, matches: (binding: Binding) => boolean): Binding[] {
    const bindings = this.#byAor.get(aor);
    if (!bindings) return [];
    const removed: Binding[] = [];
    const kept: Binding[] = [];
    for (const binding of bindings) (matches(binding) ? removed : kept).push(binding);
    for (const binding of removed) this.#unindex(binding);
    if (kept.length === 0) this.#byAor.delete(aor);
    else this.#byAor.set(aor, kept);
    return removed;
  }

  removeByFlow(flow: Flow): Binding[] {
    if (!flow.connectionId) return [];
    const onFlow = this.#byFlow.get(flowKey(flow));
    if (!onFlow) return [];
    const removed: Binding[] = [];
    for (const aor of new Set([...onFlow].map((binding) => binding.aor)))
      removed.push(...this.remove(aor, (binding) => onFlow.has(binding)));
    return removed;
  }

  #index(binding: Binding): void {
    if (binding.node !== undefined && bindingNeedsItsFlow(binding)) {
      let ofNode = this.#flowBoundByNode.get(binding.node);
      if (!ofNode) this.#flowBoundByNode.set(binding.node, (ofNode = new Set()));
      ofNode.add(binding);
    }
    if (!binding.flow.connectionId || !bindingNeedsItsFlow(binding)) return;
    const key = flowKey(binding.flow);
    let onFlow = this.#byFlow.get(key);
    if (!onFlow) this.#byFlow.set(key, (onFlow = new Set()));
    onFlow.add(binding);
  }

  #unindex(binding: Binding): void {
    if (binding.node !== undefined) {
      const ofNode = this.#flowBoundByNode.get(binding.node);
      if (ofNode?.delete(binding) && ofNode.size === 0) this.#flowBoundByNode.delete(binding.node);
    }
    if (!binding.flow.connectionId) return;
    const key = flowKey(binding.flow);
    const onFlow = this.#byFlow.get(key);
    if (!onFlow?.delete(binding)) return;
    if (onFlow.size === 0) this.#byFlow.delete(key);
  }

  findByContact(contact: string, now: number): Binding | undefined {
    const wanted = normalizeContact(contact);
    for (const bindings of this.#byAor.values()) {
      const found = bindings.find((binding) => binding.expiresAt > now && normalizeContact(binding.contact) === wanted);
      if (found) return found;
    }
    return undefined;
  }

  /** The nodes named by bindings that need their flow (bindingNeedsItsFlow), some perhaps expired. */
  nodesOfFlowBoundBindings(): string[] {
    return [...this.#flowBoundByNode.keys()];
  }

  /** The bindings naming `node` that need their flow (some perhaps expired). */
  flowBoundBindingsOf(node: string): Binding[] {
    return [...(this.#flowBoundByNode.get(node) ?? [])];
  }

  /** Every binding held (some perhaps expired). */
  *all(): Generator<Binding> {
    for (const bindings of this.#byAor.values()) yield* bindings;
  }

  /** Every address-of-record that has bindings (some perhaps expired). */
  aors(): string[] {
    return [...this.#byAor.keys()];
  }

  count(counts: (binding: Binding) => boolean = () => true): number {
    let total = 0;
    for (const bindings of this.#byAor.values()) for (const binding of bindings) if (counts(binding)) total += 1;
    return total;
  }
}
