import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Registrations that survive a restart (issue #17): each node's bindings, written behind its
 * in-memory location service. Keyed by node, address-of-record and binding (instance and reg-id,
 * or contact); a row past `expires_at` is dead and is deleted when the node next tidies up.
 */
export const locationBindings: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table sip_location_bindings (
        node text not null,
        aor text not null,
        binding_id text not null,
        binding jsonb not null,
        expires_at timestamptz not null,
        updated_at timestamptz not null,
        primary key (node, aor, binding_id)
      )`.execute(db);
    await sql`create index sip_location_bindings_expiry on sip_location_bindings (expires_at)`.execute(db);
  },
};
