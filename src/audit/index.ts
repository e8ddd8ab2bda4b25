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
export { auditRoutes } from './routes.js';
