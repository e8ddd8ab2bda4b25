import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Notices to subscribers (clauses 7, 10, 15): one per subscriber and key, in both languages, with
 * its read receipt; and one delivery per notice and channel (e-mail, SIP MESSAGE, SMS) with its
 * retries, so a failed delivery is retried with backoff and visible to staff.
 */
export const notices: Migration = {
  async up(db) {
    await sql`
      create table notices (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        key text not null check (length(key) between 1 and 200),
        kind text not null,
        urgency text not null check (urgency in ('normal', 'urgent')),
        title_en text not null,
        title_zh text not null,
        body_en text not null,
        body_zh text not null,
        link text,
        created_at timestamptz not null,
        read_at timestamptz,
        unique (subscriber_id, key)
      )`.execute(db);
    await sql`create index notices_inbox on notices (subscriber_id, created_at desc)`.execute(db);
    await sql`create index notices_unread on notices (subscriber_id) where read_at is null`.execute(db);
    await sql`
      create table notice_deliveries (
        id uuid primary key default gen_random_uuid(),
        notice_id uuid not null references notices (id),
        channel text not null check (channel in ('email', 'sip', 'sms')),
        status text not null check (status in ('pending', 'sent', 'failed', 'dead', 'skipped')),
        attempts integer not null default 0,
        next_attempt_at timestamptz not null,
        claimed_until timestamptz,
        last_error text,
        sent_at timestamptz,
        recipient text,
        updated_at timestamptz not null,
        unique (notice_id, channel)
      )`.execute(db);
    await sql`create index notice_deliveries_due on notice_deliveries (next_attempt_at) where status in ('pending', 'failed')`.execute(db);
    await sql`create index notice_deliveries_trouble on notice_deliveries (status, updated_at desc) where status in ('failed', 'dead')`.execute(
      db,
    );
  },
};
