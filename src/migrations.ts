import type { Migration } from 'kysely/migration';
import { sipAccountsAndCallRecords } from './calls/migrations/20261124T0200-sip-accounts-and-call-records.js';
import { agreements } from './agreements/migrations/20261124T0330-agreements.js';
import { auditLog } from './audit/migrations/20261124T0110-audit-log.js';
import { catalog } from './catalog/migrations/20261124T0320-catalog.js';
import { outboxAndJobs } from './platform/db/migrations/20261124T0100-outbox-and-jobs.js';
import { subscribersIdentity } from './subscribers/migrations/20261124T0310-subscribers-identity.js';
import { staffAccounts } from './staff/migrations/20261124T0120-staff.js';

/**
 * Every module's migrations, keyed by their timestamped names. Listed statically (not read from the
 * file system) so the same set runs from TypeScript sources and from the compiled build.
 * Landed migrations never change; new ones are appended.
 */
export const migrations: Record<string, Migration> = {
  '20261124T0100-outbox-and-jobs': outboxAndJobs,
  '20261124T0110-audit-log': auditLog,
  '20261124T0120-staff': staffAccounts,
  '20261124T0200-sip-accounts-and-call-records': sipAccountsAndCallRecords,
  '20261124T0320-catalog': catalog,
  '20261124T0310-subscribers-identity': subscribersIdentity,
  '20261124T0330-agreements': agreements,
};
