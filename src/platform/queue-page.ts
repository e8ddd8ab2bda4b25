import { sql, type RawBuilder, type SqlBool } from 'kysely';

/**
 * The shape every module's work-queue source answers in (verification, overdue accounts, disputes,
 * negotiation cases, warranty claims, failed notice deliveries). The workqueues module composes the
 * sources with its assignments; each source runs two set-based queries (the total and one page).
 */
export interface QueuePageRequest {
  /** One of the queue's stages (a status or a dunning stage); all open ones when absent. */
  stage?: string | undefined;
  /** Only these items (the ones assigned to someone); an empty list means an empty page. */
  onlyIds?: readonly string[] | undefined;
  /** Not these items (the unassigned ones are everything but the assigned). */
  exceptIds?: readonly string[] | undefined;
  offset: number;
  limit: number;
}

export interface QueueItem {
  id: string;
  subscriberId: string | null;
  stage: string;
  /** When the item entered the queue (filed, applied, reached the stage, failed). */
  since: string;
  /** Money at stake, when there is any (overdue amount, disputed amount). */
  amountFen: number | null;
}

export interface QueuePage {
  total: number;
  items: QueueItem[];
}

export const emptyQueuePage: QueuePage = { total: 0, items: [] };

/** Runs a queue's count and page queries together and shapes the rows as queue items. */
export async function queuePageOf<Row>(
  count: Promise<{ n: string | number | bigint }>,
  page: Promise<Row[]>,
  toItem: (row: Row) => QueueItem,
): Promise<QueuePage> {
  const [counted, rows] = await Promise.all([count, page]);
  return { total: Number(counted.n), items: rows.map(toItem) };
}

/** Whether the id filters leave nothing to look for (an empty `onlyIds`). */
export function excludesEverything(request: QueuePageRequest): boolean {
  return request.onlyIds !== undefined && request.onlyIds.length === 0;
}

/** The id filters as one SQL condition on `column` (true when there are none). */
export function idFilter(column: string, request: QueuePageRequest): RawBuilder<SqlBool> {
  const conditions: RawBuilder<unknown>[] = [sql`true`];
  if (request.onlyIds?.length) conditions.push(sql`${sql.ref(column)} in (${sql.join([...request.onlyIds])})`);
  if (request.exceptIds?.length) conditions.push(sql`${sql.ref(column)} not in (${sql.join([...request.exceptIds])})`);
  return sql<SqlBool>`${sql.join(conditions, sql` and `)}`;
}
