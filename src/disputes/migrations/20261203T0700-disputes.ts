import { sql } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * Fee disputes (clause 6): one per subject (a bill, a line of one, or a call), with its amount, the
 * subscriber's reason and attachment, the queue's state and the answer. Notes are append-only: the
 * investigation's history is evidence for both parties.
 */
export const disputes: Migration = {
  async up(db) {
    await sql`
      create table disputes (
        id uuid primary key default gen_random_uuid(),
        subscriber_id uuid not null,
        subject text not null check (subject in ('bill', 'bill-line', 'call')),
        bill_id uuid,
        ledger_entry_id uuid,
        call_record_id uuid,
        amount_fen bigint not null check (amount_fen > 0),
        reason text not null check (length(reason) between 1 and 2000),
        channel text not null check (channel in ('portal', 'phone', 'counter')),
        opened_by text not null,
        opened_at timestamptz not null,
        due_on date not null,
        status text not null check (status in ('open', 'investigating', 'answered', 'closed')),
        assigned_to uuid,
        assigned_name text,
        hold_id uuid,
        outcome text check (outcome in ('upheld', 'partly-upheld', 'rejected')),
        credited_fen bigint,
        answer_code text,
        answer_text text,
        answered_at timestamptz,
        answered_by text,
        response text check (response in ('accepted', 'escalated')),
        negotiation_case_id uuid,
        closed_at timestamptz,
        attachment_name text,
        attachment_type text,
        attachment bytea,
        check ((status in ('answered', 'closed')) = (outcome is not null))
      )`.execute(db);
    // One dispute at a time about the same thing; a new one may follow once it is closed.
    await sql`
      create unique index disputes_one_open_per_subject on disputes (subscriber_id, subject, coalesce(bill_id, ledger_entry_id, call_record_id))
      where status <> 'closed'`.execute(db);
    await sql`create index disputes_queue on disputes (status, due_on)`.execute(db);
    await sql`create index disputes_subscriber on disputes (subscriber_id, opened_at desc)`.execute(db);
    await sql`
      create table dispute_notes (
        id bigint generated always as identity primary key,
        dispute_id uuid not null references disputes (id),
        author_type text not null check (author_type in ('staff', 'subscriber')),
        author_id text not null,
        author_name text,
        at timestamptz not null,
        text text not null check (length(text) between 1 and 4000)
      )`.execute(db);
    await sql`create index dispute_notes_dispute on dispute_notes (dispute_id, id)`.execute(db);
    await sql`
      create function dispute_notes_are_append_only() returns trigger language plpgsql as $$
      begin
        raise exception 'dispute_notes are append-only: % is not allowed', tg_op using errcode = '42501';
      end
      $$`.execute(db);
    await sql`create trigger dispute_notes_no_change before update or delete on dispute_notes for each row execute function dispute_notes_are_append_only()`.execute(
      db,
    );
  },
};
