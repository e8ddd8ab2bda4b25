import type { Executor } from '../platform/db/index.js';

/**
 * Subscribers who hold an agreement in force: active ones and suspended ones (a suspension pauses
 * the service, not the agreement). Clause 15 notices go to each of them.
 */
export async function subscribersUnderAgreement(executor: Executor): Promise<string[]> {
  const rows = await executor.selectFrom('subscribers').select('id').where('status', 'in', ['active', 'suspended']).orderBy('id').execute();
  return rows.map((row) => row.id);
}
