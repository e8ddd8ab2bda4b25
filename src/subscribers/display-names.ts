import type { Executor } from '../platform/db/index.js';

/** The names subscribers show (caller ID) by id; a subscriber with none is left out. */
export async function subscriberDisplayNames(executor: Executor, ids: string[]): Promise<Map<string, string>> {
  if (ids.length === 0) return new Map();
  const rows = await executor.selectFrom('subscribers').select(['id', 'display_name']).where('id', 'in', ids).execute();
  return new Map(rows.flatMap((row) => (row.display_name ? [[row.id, row.display_name] as const] : [])));
}
