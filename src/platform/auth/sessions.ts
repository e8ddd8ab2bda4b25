import { createHash, randomBytes } from 'node:crypto';
import { sql } from 'kysely';
import type { Executor } from '../db/index.js';

/**
 * Sign-in sessions of staff (console) and subscribers (portal): one implementation over two tables of
 * the same shape. The cookie carries a random token; only its SHA-256 is stored, so a copy of the
 * table does not let anyone act as a signed-in user.
 */
export interface SessionTable {
  table: 'staff_sessions' | 'portal_sessions';
  /** The column naming whose session it is. */
  ownerColumn: 'staff_id' | 'subscriber_id';
}

export interface NewSession {
  ownerId: string;
  expiresAt: Date;
  ip: string | null;
  userAgent: string | null;
}

export interface OpenSession {
  ownerId: string;
  lastSeenAt: Date;
}

/** 256 random bits, URL-safe, for a cookie. */
export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Stores a session for `token` (which the caller sets as a cookie). */
export async function openSession(
  executor: Executor,
  sessions: SessionTable,
  token: string,
  session: NewSession,
  now: Date,
): Promise<void> {
  await sql`
    insert into ${sql.table(sessions.table)} (token_hash, ${sql.ref(sessions.ownerColumn)}, created_at, last_seen_at, expires_at, ip, user_agent)
    values (${hashSessionToken(token)}, ${session.ownerId}, ${now}, ${now}, ${session.expiresAt}, ${session.ip}, ${session.userAgent})`.execute(
    executor,
  );
}

/**
 * The session behind a token, or null when it is unknown, expired, or (with `idleSince`) not seen
 * since that instant.
 */
export async function findSession(
  executor: Executor,
  sessions: SessionTable,
  token: string,
  now: Date,
  idleSince: Date | null = null,
): Promise<OpenSession | null> {
  const { rows } = await sql<{ owner_id: string; last_seen_at: Date }>`
    select ${sql.ref(sessions.ownerColumn)} as owner_id, last_seen_at
      from ${sql.table(sessions.table)}
     where token_hash = ${hashSessionToken(token)}
       and expires_at > ${now}
       ${idleSince ? sql`and last_seen_at > ${idleSince}` : sql``}`.execute(executor);
  const row = rows[0];
  return row ? { ownerId: row.owner_id, lastSeenAt: row.last_seen_at } : null;
}

/** Records that the session was used, for the idle limit. */
export async function touchSession(executor: Executor, sessions: SessionTable, token: string, now: Date): Promise<void> {
  await sql`update ${sql.table(sessions.table)} set last_seen_at = ${now} where token_hash = ${hashSessionToken(token)}`.execute(executor);
}

/** Ends one session; returns whose it was, or null when there was none. */
export async function endSession(executor: Executor, sessions: SessionTable, token: string): Promise<string | null> {
  const { rows } = await sql<{ owner_id: string }>`
    delete from ${sql.table(sessions.table)} where token_hash = ${hashSessionToken(token)}
    returning ${sql.ref(sessions.ownerColumn)} as owner_id`.execute(executor);
  return rows[0]?.owner_id ?? null;
}

/** Ends every session of one owner (termination, a disabled account, a password change). */
export async function endSessionsOf(executor: Executor, sessions: SessionTable, ownerId: string): Promise<void> {
  await sql`delete from ${sql.table(sessions.table)} where ${sql.ref(sessions.ownerColumn)} = ${ownerId}`.execute(executor);
}

/** Deletes sessions expired at `instant`, absolutely or (with `idleSince`) by idleness; returns how many. */
export async function expireSessions(
  executor: Executor,
  sessions: SessionTable,
  instant: Date,
  idleSince: Date | null = null,
): Promise<number> {
  const result = await sql`
    delete from ${sql.table(sessions.table)}
     where expires_at <= ${instant} ${idleSince ? sql`or last_seen_at <= ${idleSince}` : sql``}`.execute(executor);
  return Number(result.numAffectedRows ?? 0n);
}
