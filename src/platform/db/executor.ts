import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.js';

/** Either the database or an open transaction: functions that write take this so callers choose. */
export type Executor = Kysely<Database> | Transaction<Database>;

/** What runs once a transaction opened by `inTransaction` has committed, in the order it was asked. */
const committedActions = new WeakMap<Executor, (() => void)[]>();

/**
 * Runs `work` in one transaction and, once it has committed, the actions `afterCommit` queued in it.
 * A rollback (an error thrown by `work`, or by the commit) drops them.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>): Promise<T> {
  const actions: (() => void)[] = [];
  const result = await db.transaction().execute((trx) => {
    committedActions.set(trx, actions);
    return work(trx);
  });
  for (const action of actions) action();
  return result;
}

/**
 * Runs `action` once what `executor` wrote is visible to every other connection and node: after the
 * commit of the `inTransaction` it belongs to, or at once outside a transaction. Announcements to
 * other nodes (a cache to forget) must wait for it: a node that heard the news before the commit
 * would read the old rows again and keep them. A transaction opened otherwise is taken as already
 * committed (the action runs at once), as every announcement did before this existed.
 */
export function afterCommit(executor: Executor, action: () => void): void {
  const queued = committedActions.get(executor);
  if (queued) queued.push(action);
  else action();
}
