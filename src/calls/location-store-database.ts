import { sql, type Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import type { LocationChange, LocationStore } from './durable-location.js';
import type { Binding } from './location-service.js';

/**
 * The location store of the embedded default and of a node without Redis: the node's own bindings
 * in `sip_location_bindings`, so a restart keeps its UDP, TCP and TLS registrations. Expiry is the
 * binding's absolute `expiresAt` (the injected clock); expired rows are deleted at most once a minute.
 */
/** Rows per INSERT statement: a whole write of the durable location service (its MAX_BATCH) in one. */
const UPSERT_BATCH = 1_000;

export class DatabaseLocationStore implements LocationStore {
  #tidiedAt = 0;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly node: string,
  ) {}

  async loadAll(now: number): Promise<Binding[]> {
    const rows = await this.db
      .selectFrom('sip_location_bindings')
      .select('binding')
      .where('node', '=', this.node)
      .where('expires_at', '>', new Date(now))
      .execute();
    return rows.map((row) => parseBinding(row.binding));
  }

  async write(changes: LocationChange[], now: number): Promise<void> {
    const at = new Date(now);
    const tidy = now - this.#tidiedAt > 60_000;
    const removed = changes.filter((change) => change.binding === null);
    const rows = changes.flatMap(({ aor, id, binding }) =>
      binding
        ? [
            {
              aor,
              binding_id: id,
              binding: JSON.stringify(binding),
              expires_at: new Date(binding.expiresAt),
              updated_at: at,
            },
          ]
        : [],
    );
    if (removed.length === 0 && rows.length <= UPSERT_BATCH && !tidy) {
      // The usual batch (registrations and refreshes): one statement, atomic by itself, so no
      // BEGIN and COMMIT around it, which were two of the three round trips.
      await this.#upsert(this.db, rows);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      for (const [aor, ids] of groupByAor(removed))
        await trx
          .deleteFrom('sip_location_bindings')
          .where('node', '=', this.node)
          .where('aor', '=', aor)
          .where('binding_id', 'in', ids)
          .execute();
      for (let start = 0; start < rows.length; start += UPSERT_BATCH) await this.#upsert(trx, rows.slice(start, start + UPSERT_BATCH));
      if (tidy) await trx.deleteFrom('sip_location_bindings').where('node', '=', this.node).where('expires_at', '<=', at).execute();
    });
    if (tidy) this.#tidiedAt = now;
  }

  /**
   * One statement with one array per column (unnest), not a VALUES row per binding: its text and its
   * parameters stay the same size whatever the batch, so neither Kysely nor the database parses a
   * statement with thousands of placeholders at every batch of registrations.
   */
  async #upsert(db: Kysely<Database>, rows: BindingRow[]): Promise<void> {
    if (rows.length === 0) return;
    await sql`
      insert into sip_location_bindings (node, aor, binding_id, binding, expires_at, updated_at)
      select ${this.node}, t.aor, t.binding_id, t.binding::jsonb, t.expires_at, t.updated_at
      from unnest(${rows.map((row) => row.aor)}::text[], ${rows.map((row) => row.binding_id)}::text[], ${rows.map((row) => row.binding)}::text[],
                  ${rows.map((row) => row.expires_at.toISOString())}::timestamptz[], ${rows.map((row) => row.updated_at.toISOString())}::timestamptz[])
           as t(aor, binding_id, binding, expires_at, updated_at)
      on conflict (node, aor, binding_id) do update
        set binding = excluded.binding, expires_at = excluded.expires_at, updated_at = excluded.updated_at`.execute(db);
  }
}

interface BindingRow {
  aor: string;
  binding_id: string;
  binding: string;
  expires_at: Date;
  updated_at: Date;
}

function groupByAor(changes: LocationChange[]): Map<string, string[]> {
  const byAor = new Map<string, string[]>();
  for (const change of changes) byAor.set(change.aor, [...(byAor.get(change.aor) ?? []), change.id]);
  return byAor;
}

/** PGlite and node-postgres both hand jsonb back parsed; a string is parsed here for safety. */
export function parseBinding(value: unknown): Binding {
  return (typeof value === 'string' ? JSON.parse(value) : value) as Binding;
}
