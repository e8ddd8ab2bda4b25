import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Supplementary bills: charges posted after an account's final bill (a late fee that accrued until
 * the final bill was paid, a staff adjustment) get a bill of their own, so nothing is owed that no
 * document shows. One regular or final bill per subscriber and period still; supplementary ones may
 * follow in any period.
 *
 * And the reason a desk payment was dated further back than the tolerance allows (clause 5: the date
 * decides the late fee), kept with the payment and shown on the bills it paid.
 */
export const billExactness: Migration = {
  async up(db) {
    await sql`alter table bills drop constraint bills_kind_check`.execute(db);
    await sql`alter table bills add constraint bills_kind_check check (kind in ('regular', 'final', 'supplementary'))`.execute(db);
    await sql`alter table bills drop constraint bills_subscriber_id_period_key`.execute(db);
    await sql`create unique index bills_one_per_period on bills (subscriber_id, period) where kind <> 'supplementary'`.execute(db);
    // The period's bills, for the run's count and for bills by subscriber (the unique index served both).
    await sql`create index bills_subscriber_period on bills (subscriber_id, period)`.execute(db);
    await sql`alter table payments add column backdate_reason text`.execute(db);
  },
};
