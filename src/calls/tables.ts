import type { ColumnType, Generated } from 'kysely';

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

export interface CallTables {
  sip_accounts: SipAccountsTable;
  call_records: CallRecordsTable;
}
