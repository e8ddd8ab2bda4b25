import type { ColumnType, Generated } from 'kysely';

/** One party's measurements of one call, sent by the softphone when the call ends. */
export interface CallQualityReportsTable {
  id: Generated<string>;
  call_id: string;
  /** The number that sent it: the caller for direction 'outgoing', the callee for 'incoming'. */
  reporter: string;
  direction: 'outgoing' | 'incoming';
  received_at: Date;
  duration_ms: number;
  rtt_ms: number | null;
  jitter_ms: number | null;
  loss_percent: number | null;
  packets_lost: number | null;
  frames_decoded: number | null;
  audio_packets_received: number | null;
  send_kbps: number | null;
  receive_kbps: number | null;
  audio_codec: string | null;
  video_codec: string | null;
  local_candidate_type: string | null;
  remote_candidate_type: string | null;
  relay_protocol: string | null;
  user_agent: string | null;
}

/** A number's SIP credentials and whether it may register and call. Never a password: per-realm hashes only. */
export interface SipAccountsTable {
  number: string;
  display_name: string | null;
  realm: string;
  ha1_sha256: string;
  ha1_md5: string;
  status: 'active' | 'suspended' | 'terminated';
  /** Why it is not active, as staff and the refused client see it. */
  status_reason: string | null;
  /** Set while outgoing calls are blocked but the account may still register and be called (clause 9). */
  outgoing_blocked_reason: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** One row per call attempt, written before the INVITE is forwarded and updated as the call progresses. */
export interface CallRecordsTable {
  id: Generated<string>;
  call_id: string;
  from_tag: string;
  caller: string;
  callee: string;
  caller_device: string | null;
  callee_device: string | null;
  invited_at: Date;
  answered_at: Date | null;
  ended_at: Date | null;
  duration_ms: number | null;
  status: 'ringing' | 'answered' | 'completed' | 'failed' | 'cancelled';
  final_status: number | null;
  hung_up_by: 'caller' | 'callee' | 'system' | null;
  end_reason: string | null;
  /** RFC 4028 interval the call runs under; a call silent longer than this is closed by the stale-call job. */
  session_expires_s: number | null;
  last_activity_at: Date;
  /** Closed by the platform because its end was never seen (crash, lost BYE). */
  end_unseen: Generated<boolean>;
}

/** One device's digest credentials for a number; revoked, never deleted, so a log line can be traced. */
export interface SipDeviceCredentialsTable {
  username: string;
  number: string;
  device_id: string;
  device_name: string;
  realm: string;
  ha1_sha256: string;
  ha1_md5: string;
  created_at: ColumnType<Date, Date, never>;
  rotated_at: Date;
  revoked_at: Date | null;
}

/** A registration as its node last wrote it (durable-location.ts); the JSON is a `Binding`. */
export interface SipLocationBindingsTable {
  node: string;
  aor: string;
  binding_id: string;
  binding: ColumnType<unknown, string, string>;
  expires_at: Date;
  updated_at: Date;
}

export interface CallTables {
  sip_location_bindings: SipLocationBindingsTable;
  call_quality_reports: CallQualityReportsTable;
  sip_accounts: SipAccountsTable;
  sip_device_credentials: SipDeviceCredentialsTable;
  call_records: CallRecordsTable;
}
