import type { ColumnType, Generated } from 'kysely';

export type DisputeSubject = 'bill' | 'bill-line' | 'call';
export type DisputeStatus = 'open' | 'investigating' | 'answered' | 'closed';
export type DisputeOutcome = 'upheld' | 'partly-upheld' | 'rejected';
export type DisputeChannel = 'portal' | 'phone' | 'counter';

export interface DisputesTable {
  id: Generated<string>;
  subscriber_id: string;
  subject: DisputeSubject;
  bill_id: string | null;
  ledger_entry_id: string | null;
  call_record_id: string | null;
  amount_fen: number;
  reason: string;
  channel: DisputeChannel;
  opened_by: string;
  opened_at: Date;
  /** The local date by which the operator answers (clause 6, `VP_DISPUTE_ANSWER_DAYS`). */
  due_on: ColumnType<string, string, string>;
  status: DisputeStatus;
  assigned_to: string | null;
  assigned_name: string | null;
  /** Billing's hold on the disputed amount (no late fee, not overdue) while the dispute is open. */
  hold_id: string | null;
  outcome: DisputeOutcome | null;
  credited_fen: number | null;
  answer_code: string | null;
  answer_text: string | null;
  answered_at: Date | null;
  answered_by: string | null;
  response: 'accepted' | 'escalated' | null;
  negotiation_case_id: string | null;
  closed_at: Date | null;
  attachment_name: string | null;
  attachment_type: string | null;
  attachment: Buffer | null;
}

export interface DisputeNotesTable {
  id: Generated<number>;
  dispute_id: string;
  author_type: 'staff' | 'subscriber';
  author_id: string;
  author_name: string | null;
  at: Date;
  text: string;
}

export interface DisputeTables {
  disputes: DisputesTable;
  dispute_notes: DisputeNotesTable;
}
