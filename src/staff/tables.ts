import type { ColumnType, Generated } from 'kysely';

export interface StaffAccountsTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  /** TOTP secret sealed with the field cipher; never stored in clear. Null: none enrolled (after a reset). */
  totp_secret_sealed: string | null;
  /** The secret shown during enrolment, sealed; it replaces `totp_secret_sealed` once a code from it is entered. */
  totp_pending_secret_sealed: Generated<string | null>;
  /** RFC 6238 §5.2: the last accepted time step; a code is accepted at most once. */
  totp_last_step: number | null;
  status: 'active' | 'disabled';
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  is_demo: Generated<boolean>;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

export interface StaffRolesTable {
  staff_id: string;
  role: string;
}

export interface StaffSessionsTable {
  /** SHA-256 of the cookie token: a stolen table does not yield usable sessions. */
  token_hash: string;
  staff_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

/** One-time password reset links; only the SHA-256 of the token is stored, as for sessions. */
export interface StaffPasswordResetsTable {
  id: Generated<string>;
  staff_id: string;
  token_hash: string;
  issued_by: string | null;
  issued_at: Date;
  expires_at: Date;
  used_at: Date | null;
  /** Set when a newer link for the same person replaced this one. */
  revoked_at: Date | null;
}

export interface StaffTables {
  staff_accounts: StaffAccountsTable;
  staff_roles: StaffRolesTable;
  staff_sessions: StaffSessionsTable;
  staff_password_resets: StaffPasswordResetsTable;
}
