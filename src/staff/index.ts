export {
  createStaffAccount,
  findStaffIdByUsername,
  listStaff,
  resetStaffTotp,
  setStaffRoles,
  setStaffStatus,
  unlockStaff,
  type NewStaffAccount,
  type StaffSummary,
} from './accounts.js';
export { completeStaffPasswordReset, issueStaffPasswordReset, previewStaffPasswordReset } from './password-reset.js';
export { guardedRoutesOf, installStaffGuard, requireStaff, STAFF_SESSION_COOKIE, type StaffRouteRule } from './guard.js';
export { permissions, permissionsOf, rolePermissions, roles, type Permission, type Role } from './permissions.js';
export { staffActor, staffRoutes } from './routes.js';
export { expireStaffSessionsJob, resolveSession, signIn, signOut, type StaffPrincipal } from './sign-in.js';
export { totpCodeAt, totpQrForTerminal } from './totp.js';
export type { StaffTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { staffAccounts } from './migrations/20261124T0120-staff.js';
export { staffAdminResets } from './migrations/20261204T2200-staff-admin-resets.js';
