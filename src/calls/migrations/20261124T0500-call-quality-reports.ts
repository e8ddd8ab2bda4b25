import { sql, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';

/**
 * What each end of a call measured (clause 12: support tells network faults from platform faults).
 * One report per call, party and direction; a retried POST does not add a second one.
 */
export const callQualityReports: Migration = {
  async up(db: Kysely<unknown>) {
    await sql`
      create table call_quality_reports (
        id uuid primary key default gen_random_uuid(),
        call_id text not null,
        reporter text not null,
        direction text not null check (direction in ('outgoing', 'incoming')),
        received_at timestamptz not null,
        duration_ms bigint not null check (duration_ms >= 0),
        rtt_ms double precision,
        jitter_ms double precision,
        loss_percent double precision,
        packets_lost bigint,
        frames_decoded bigint,
        audio_packets_received bigint,
        send_kbps double precision,
        receive_kbps double precision,
        audio_codec text,
        video_codec text,
        local_candidate_type text,
        remote_candidate_type text,
        relay_protocol text,
        user_agent text
      )`.execute(db);
    await sql`create unique index call_quality_reports_party on call_quality_reports (call_id, reporter, direction)`.execute(db);
  },
};
