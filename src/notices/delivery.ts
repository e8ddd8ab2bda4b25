import { sql, type Kysely } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../platform/db/index.js';
import type { ChannelOutcome, NoticeChannelSender, NoticeRecipient, RecipientSource } from './channels.js';
import { isUuid, loadNoticesByIds, type Notice } from './notices.js';
import type { DeliveryStatus, NoticeChannel } from './tables.js';

export interface DeliveryPolicy {
  /** Attempts before a delivery is given up as dead (staff may retry it). */
  maxAttempts: number;
  /** Wait after the first failure; it doubles per failure, up to `maxBackoffMs`. */
  firstBackoffMs: number;
  maxBackoffMs: number;
  /** How long a claim keeps other nodes off a delivery being sent (a node that dies frees it after this). */
  leaseMs: number;
  batchSize: number;
  /**
   * Deliveries of a batch under way at once. A device that never answers its MESSAGE is given up
   * on only at Timer F (32 s): one at a time, a batch holding a few of them outlasted its lease and
   * held back every e-mail behind it. Bounded, so a mail relay does not see a batch's worth of
   * connections at once.
   */
  concurrency: number;
}

export const DEFAULT_DELIVERY_POLICY: DeliveryPolicy = {
  maxAttempts: 8,
  firstBackoffMs: 30_000,
  maxBackoffMs: 3_600_000,
  leaseMs: 5 * 60_000,
  batchSize: 50,
  concurrency: 10,
};

/** The wait before attempt `attempts + 1`, after `attempts` failed ones: 30 s, 1 min, 2 min, … capped at an hour. */
export function backoffMs(
  attempts: number,
  policy: Pick<DeliveryPolicy, 'firstBackoffMs' | 'maxBackoffMs'> = DEFAULT_DELIVERY_POLICY,
): number {
  return Math.min(policy.maxBackoffMs, policy.firstBackoffMs * 2 ** Math.max(0, attempts - 1));
}

export interface DeliveryDeps {
  db: Kysely<Database>;
  channels: readonly NoticeChannelSender[];
  recipients: RecipientSource;
  logger?: Logger;
  policy?: Partial<DeliveryPolicy>;
  /** Aborted when the service stops: no new delivery starts, and those waiting on a device stop waiting. */
  stopping?: AbortSignal;
}

interface Claimed {
  id: string;
  notice_id: string;
  channel: NoticeChannel;
  attempts: number;
}

export interface DeliveryPassResult {
  sent: number;
  skipped: number;
  failed: number;
  dead: number;
  /** Left for the next pass because the service stopped (not counted as attempts). */
  interrupted: number;
}

/**
 * Sends every delivery due by `until` ("advance to T": a second pass for the same T finds nothing
 * due). Rows are claimed first (SKIP LOCKED, then a lease in `claimed_until`), so two nodes never
 * send one delivery at the same time even outside the job runner's lock; each is marked sent as soon
 * as its channel accepted it. A crash between the two resends it once the lease ends (at least once;
 * e-mail carries the same Message-ID then).
 */
export async function deliverDueNotices(deps: DeliveryDeps, until: Date): Promise<DeliveryPassResult> {
  const policy = { ...DEFAULT_DELIVERY_POLICY, ...deps.policy };
  const byChannel = new Map(deps.channels.map((c) => [c.channel, c]));
  const result: DeliveryPassResult = { sent: 0, skipped: 0, failed: 0, dead: 0, interrupted: 0 };
  const stopping = deps.stopping;
  for (;;) {
    if (stopping?.aborted) return result;
    const claimed = await claim(deps.db, until, policy);
    if (claimed.length === 0) return result;
    const notices = new Map((await loadNoticesByIds(deps.db, [...new Set(claimed.map((c) => c.notice_id))])).map((n) => [n.id, n]));
    const recipients = new Map(
      (await deps.recipients.recipients([...new Set([...notices.values()].map((n) => n.subscriberId))])).map((r) => [r.subscriberId, r]),
    );
    await inParallel(claimed, policy.concurrency, async (delivery) => {
      const notice = notices.get(delivery.notice_id)!;
      const outcome: Outcome = stopping?.aborted
        ? { status: 'interrupted' }
        : await attempt(byChannel.get(delivery.channel), delivery, notice, recipients.get(notice.subscriberId), stopping);
      await settle(deps.db, delivery, outcome, until, policy);
      if (outcome.status === 'failed') {
        deps.logger?.warn(
          { delivery: delivery.id, channel: delivery.channel, attempts: delivery.attempts, error: outcome.error },
          'notice delivery failed',
        );
        result[delivery.attempts >= policy.maxAttempts ? 'dead' : 'failed'] += 1;
      } else result[outcome.status] += 1;
    });
    if (claimed.length < policy.batchSize) return result;
  }
}

/** Runs `work` for every item, at most `limit` at a time, each started in the items' order. */
async function inParallel<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

type Outcome = ChannelOutcome | { status: 'failed'; error: string };

async function attempt(
  channel: NoticeChannelSender | undefined,
  delivery: Claimed,
  notice: Notice,
  recipient: NoticeRecipient | undefined,
  stopping: AbortSignal | undefined,
): Promise<Outcome> {
  if (!channel) return { status: 'skipped', reason: `no ${delivery.channel} channel` };
  try {
    return await channel.deliver({ id: delivery.id, channel: delivery.channel, attempts: delivery.attempts }, notice, recipient, stopping);
  } catch (error) {
    return { status: 'failed', error: error instanceof Error ? error.message : String(error) };
  }
}

/** Takes up to a batch of due deliveries for this pass: counts the attempt and sets the lease, in one statement. */
async function claim(db: Kysely<Database>, until: Date, policy: DeliveryPolicy): Promise<Claimed[]> {
  const leaseEnd = new Date(until.getTime() + policy.leaseMs);
  const { rows } = await sql<Claimed>`
    update notice_deliveries d
    set attempts = d.attempts + 1, claimed_until = ${leaseEnd}::timestamptz, updated_at = ${until}::timestamptz
    from (select id from notice_deliveries
          where status in ('pending', 'failed') and next_attempt_at <= ${until}::timestamptz
            and (claimed_until is null or claimed_until <= ${until}::timestamptz)
          order by next_attempt_at, id
          limit ${policy.batchSize}
          for update skip locked) as due
    where d.id = due.id
    returning d.id, d.notice_id, d.channel, d.attempts`.execute(db);
  return rows.sort((a, b) => (a.id < b.id ? -1 : 1));
}

async function settle(db: Kysely<Database>, delivery: Claimed, outcome: Outcome, at: Date, policy: DeliveryPolicy): Promise<void> {
  const base = db.updateTable('notice_deliveries').where('id', '=', delivery.id);
  if (outcome.status === 'sent') {
    await base
      .set({ status: 'sent', sent_at: at, recipient: outcome.recipient, last_error: null, claimed_until: null, updated_at: at })
      .execute();
  } else if (outcome.status === 'interrupted') {
    // Not an attempt: the claim is given back with its count, and the next pass (here after a
    // restart, or on another node at once) takes the delivery as if this one had not.
    await base.set({ attempts: Math.max(0, delivery.attempts - 1), claimed_until: null, updated_at: at }).execute();
  } else if (outcome.status === 'skipped') {
    await base
      .set({ status: 'skipped', last_error: outcome.reason, recipient: outcome.recipient ?? null, claimed_until: null, updated_at: at })
      .execute();
  } else {
    const dead = delivery.attempts >= policy.maxAttempts;
    await base
      .set({
        status: dead ? 'dead' : 'failed',
        last_error: outcome.error.slice(0, 2000),
        next_attempt_at: new Date(at.getTime() + backoffMs(delivery.attempts, policy)),
        claimed_until: null,
        updated_at: at,
      })
      .execute();
  }
}

export interface DeliveryView {
  id: string;
  noticeId: string;
  subscriberId: string;
  kind: string;
  title: Notice['title'];
  channel: NoticeChannel;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  sentAt: string | null;
  recipient: string | null;
  updatedAt: string;
}

/** Deliveries for staff, most recently changed first; by default the ones in trouble (failed or dead). */
export async function listDeliveries(
  db: Kysely<Database>,
  filter: { statuses?: readonly DeliveryStatus[]; id?: string; limit?: number } = {},
): Promise<DeliveryView[]> {
  const statuses = filter.statuses?.length ? filter.statuses : (['failed', 'dead'] as const);
  let query = db
    .selectFrom('notice_deliveries as d')
    .innerJoin('notices as n', 'n.id', 'd.notice_id')
    .select([
      'd.id',
      'd.notice_id',
      'n.subscriber_id',
      'n.kind',
      'n.title_en',
      'n.title_zh',
      'd.channel',
      'd.status',
      'd.attempts',
      'd.next_attempt_at',
      'd.last_error',
      'd.sent_at',
      'd.recipient',
      'd.updated_at',
    ])
    .where('d.status', 'in', [...statuses])
    .orderBy('d.updated_at', 'desc')
    .orderBy('d.id')
    .limit(filter.limit ?? 200);
  if (filter.id !== undefined) query = query.where('d.id', '=', filter.id);
  const rows = await query.execute();
  return rows.map((r) => ({
    id: r.id,
    noticeId: r.notice_id,
    subscriberId: r.subscriber_id,
    kind: r.kind,
    title: { en: r.title_en, 'zh-CN': r.title_zh },
    channel: r.channel,
    status: r.status,
    attempts: r.attempts,
    nextAttemptAt: r.status === 'pending' || r.status === 'failed' ? r.next_attempt_at.toISOString() : null,
    lastError: r.last_error,
    sentAt: r.sent_at?.toISOString() ?? null,
    recipient: r.recipient,
    updatedAt: r.updated_at.toISOString(),
  }));
}

/**
 * Staff ask for a failed or dead delivery to be tried again at once (on the job's next pass). A dead
 * one gets one more attempt; failing again, it is dead again. Null when there is no such delivery
 * in trouble.
 */
export async function retryDelivery(db: Kysely<Database>, deliveryId: string, at: Date): Promise<DeliveryView | null> {
  if (!isUuid(deliveryId)) return null;
  const updated = await db
    .updateTable('notice_deliveries')
    .set((eb) => ({
      status: 'pending',
      next_attempt_at: at,
      claimed_until: null,
      updated_at: at,
      // A dead delivery gets one more attempt before it is dead again.
      attempts: eb
        .case()
        .when('status', '=', 'dead')
        .then(eb('attempts', '-', 1))
        .else(eb.ref('attempts'))
        .end(),
    }))
    .where('id', '=', deliveryId)
    .where('status', 'in', ['failed', 'dead'])
    .returning('id')
    .executeTakeFirst();
  if (!updated) return null;
  const [view] = await listDeliveries(db, { statuses: ['pending'], id: deliveryId });
  return view ?? null;
}
