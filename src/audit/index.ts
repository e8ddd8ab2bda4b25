export {
  listAudit,
  recordAudit,
  systemActor,
  type Actor,
  type ActorType,
  type AuditEntry,
  type AuditQuery,
  type AuditRecord,
} from './audit-log.js';
export { actionPhrase, actionPhrases, type AuditLanguage } from './action-phrases.js';
export { auditRoutes, type AuditNames } from './routes.js';
export type { AuditTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { auditLog } from './migrations/20261124T0110-audit-log.js';
