import type { Executor } from '../platform/db/index.js';
import { normalizeMac } from './terminal-config.js';

export interface ProvisioningFetch {
  at: Date;
  mac: string;
  unitId: string | null;
  sourceIp: string;
  userAgent: string | null;
  format: 'linphone-xml' | 'json';
  outcome: 'served' | 'denied' | 'rate-limited';
}

/** The fetch audit, newest first (one MAC's when given). */
export async function listFetches(db: Executor, mac: string | null, limit = 500): Promise<ProvisioningFetch[]> {
  let query = db
    .selectFrom('provisioning_fetches as fetch')
    .leftJoin('terminal_provisioning as unit', 'unit.id', 'fetch.provisioning_id')
    .select(['fetch.at', 'fetch.mac', 'unit.unit_id', 'fetch.source_ip', 'fetch.user_agent', 'fetch.format', 'fetch.outcome'])
    .orderBy('fetch.at', 'desc')
    .limit(limit);
  if (mac) query = query.where('fetch.mac', '=', normalizeMac(mac) ?? mac.toLowerCase());
  return (await query.execute()).map((row) => ({
    at: row.at,
    mac: row.mac,
    unitId: row.unit_id,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
    format: row.format,
    outcome: row.outcome,
  }));
}
