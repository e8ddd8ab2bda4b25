import type { ColumnType, Generated } from 'kysely';

// The tables were created by subscribers' migrations (20261124T0340-orders-and-portal,
// 20261125T0110-portal-sign-in-failures), which stay where they landed; portal-auth owns them now.

export interface PortalAccountsTable {
  subscriber_id: string;
  /** Keyed hash of the normalised login (contact phone or videophone number). */
  login_index: string;
  password_hash: string;
  failed_login_count: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: ColumnType<Date, Date, never>;
  updated_at: Date;
}

/** Consecutive failed sign-ins to one account from one source (an IPv4 address or an IPv6 /64). */
export interface PortalSignInFailuresTable {
  subscriber_id: string;
  source: string;
  failed_count: number;
  locked_until: Date | null;
  updated_at: Date;
}

export interface PortalSessionsTable {
  token_hash: string;
  subscriber_id: string;
  created_at: Date;
  last_seen_at: Date;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
}

export interface PortalAuthTables {
  portal_accounts: PortalAccountsTable;
  portal_sessions: PortalSessionsTable;
  portal_sign_in_failures: PortalSignInFailuresTable;
}
