import type { ColumnType, Generated } from 'kysely';

export interface StaffAccountsTable {
  id: Generated<string>;
  username: string;
  display_name: string;
  password_hash: string;
  /** TOTP secret sealed with the field cipher; never stored in clear. */
  totp_secret_sealed: string;
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

export interface StaffTables {
  staff_accounts: StaffAccountsTable;
  staff_roles: StaffRolesTable;
  staff_sessions: StaffSessionsTable;
}
