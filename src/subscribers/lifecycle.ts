import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';

/**
 * The subscriber's own status mirrors open suspensions: `suspended` while any blocking record is
 * open, back to `active` when the last one lifts. Entitlements calls this; a terminated or not yet
 * active subscriber is left alone.
 */
export async function reflectSuspensionState(db: Kysely<Database>, subscriberId: string, suspended: boolean, now: Date): Promise<void> {
  await db
    .updateTable('subscribers')
    .set({ status: suspended ? 'suspended' : 'active', updated_at: now })
    .where('id', '=', subscriberId)
    .where('status', 'in', suspended ? ['active'] : ['suspended'])
    .execute();
}
