import type { SessionTable } from '../platform/auth/index.js';

/** Console sign-in sessions: ended by sign-out, and all at once when an account is disabled or its credentials are reset. */
export const staffSessions: SessionTable = { table: 'staff_sessions', ownerColumn: 'staff_id' };
