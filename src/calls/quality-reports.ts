import type { Kysely } from 'kysely';
import type { Database } from '../platform/db/index.js';
import { fail, ok, type Result } from '../platform/result.js';

/** What a softphone measured over one call, as it sends it when the call ends. */
export interface QualityReportInput {
  callId: string;
  direction: 'outgoing' | 'incoming';
  durationMs: number;
  rttMs: number | null;
  jitterMs: number | null;
  lossPercent: number | null;
  packetsLost: number | null;
  framesDecoded: number | null;
  audioPacketsReceived: number | null;
  sendKbps: number | null;
  receiveKbps: number | null;
  audioCodec: string | null;
  videoCodec: string | null;
  localCandidateType: string | null;
  remoteCandidateType: string | null;
  relayProtocol: string | null;
  userAgent: string | null;
}

export type StoredQualityReport = QualityReportInput & { id: string; reporter: string; receivedAt: Date };

/**
 * Stores a party's report against its call record. Only a party to the call may report on it: the
 * caller for the outgoing side, the callee for the incoming one (numbers = the reporter's own).
 * Sending the same report twice keeps the first.
 */
export async function recordQualityReport(
  db: Kysely<Database>,
  numbers: readonly string[],
  report: QualityReportInput,
  at: Date,
): Promise<Result<{ id: string; duplicate: boolean }>> {
  if (numbers.length === 0) return fail('not_allowed', 'forbidden', 'No number belongs to this account');
  const party = report.direction === 'outgoing' ? 'caller' : 'callee';
  const call = await db
    .selectFrom('call_records')
    .select(['caller', 'callee'])
    .where('call_id', '=', report.callId)
    .where(party, 'in', [...numbers])
    .orderBy('invited_at', 'desc')
    .executeTakeFirst();
  if (!call) return fail('not_found', 'not-found', `No ${report.direction} call ${report.callId} of this account`);
  const reporter = call[party];
  const inserted = await db
    .insertInto('call_quality_reports')
    .values({
      call_id: report.callId,
      reporter,
      direction: report.direction,
      received_at: at,
      duration_ms: Math.max(0, Math.round(report.durationMs)),
      rtt_ms: report.rttMs,
      jitter_ms: report.jitterMs,
      loss_percent: report.lossPercent,
      packets_lost: report.packetsLost,
      frames_decoded: report.framesDecoded,
      audio_packets_received: report.audioPacketsReceived,
      send_kbps: report.sendKbps,
      receive_kbps: report.receiveKbps,
      audio_codec: report.audioCodec,
      video_codec: report.videoCodec,
      local_candidate_type: report.localCandidateType,
      remote_candidate_type: report.remoteCandidateType,
      relay_protocol: report.relayProtocol,
      user_agent: report.userAgent,
    })
    .onConflict((oc) => oc.columns(['call_id', 'reporter', 'direction']).doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return ok({ id: inserted.id, duplicate: false });
  const existing = await db
    .selectFrom('call_quality_reports')
    .select('id')
    .where('call_id', '=', report.callId)
    .where('reporter', '=', reporter)
    .where('direction', '=', report.direction)
    .executeTakeFirstOrThrow();
  return ok({ id: existing.id, duplicate: true });
}

export async function qualityReportsOfCall(db: Kysely<Database>, callId: string): Promise<StoredQualityReport[]> {
  const rows = await db.selectFrom('call_quality_reports').selectAll().where('call_id', '=', callId).orderBy('received_at').execute();
  return rows.map((row) => ({
    id: row.id,
    callId: row.call_id,
    reporter: row.reporter,
    direction: row.direction,
    receivedAt: row.received_at,
    durationMs: row.duration_ms,
    rttMs: row.rtt_ms,
    jitterMs: row.jitter_ms,
    lossPercent: row.loss_percent,
    packetsLost: row.packets_lost,
    framesDecoded: row.frames_decoded,
    audioPacketsReceived: row.audio_packets_received,
    sendKbps: row.send_kbps,
    receiveKbps: row.receive_kbps,
    audioCodec: row.audio_codec,
    videoCodec: row.video_codec,
    localCandidateType: row.local_candidate_type,
    remoteCandidateType: row.remote_candidate_type,
    relayProtocol: row.relay_protocol,
    userAgent: row.user_agent,
  }));
}
