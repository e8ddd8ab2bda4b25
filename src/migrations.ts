import type { Migration } from 'kysely/migration';
import { agreements, feeDisputeCases, licenceAcceptances, termsChanges } from './agreements/index.js';
import { maintenanceWindows, outages } from './assurance/index.js';
import { auditLog } from './audit/index.js';
import { billing, includedUsage, ledgerRequestHash, billExactness } from './billing/index.js';
import {
  sipAccountsAndCallRecords,
  deviceCredentials,
  callQualityReports,
  publishCompletedCalls,
  locationBindings,
  callRecordsUnusedIndex,
} from './calls/index.js';
import { catalog, catalogueEffectiveDates } from './catalog/index.js';
import { charging, chargingLastSettledStart, usageByStart } from './charging/index.js';
import { contacts } from './contacts/index.js';
import { disputes } from './disputes/index.js';
import { terminalUnits, warrantyClaims } from './devices/index.js';
import { notices } from './notices/index.js';
import { noticeContactsMigration, subscriberSearchTokens } from './subscribers/index.js';
import { suspensions } from './entitlements/index.js';
import { numbers } from './numbers/index.js';
import { staffAccounts, staffAdminResets } from './staff/index.js';
import { subscribersIdentity, ordersAndPortal, legalRequests, portalSignInFailures, agreementSigned } from './subscribers/index.js';
import { outboxAndJobs, eventConsumers } from './platform/db/index.js';
import { judicialOrdersAndAbuseReports } from './legal/index.js';
import { clientReleases } from './releases/index.js';
import { terminalProvisioning } from './provisioning/index.js';
import { paymentsMismatchResolution, paymentsOnline } from './payments/index.js';
import { workAssignments } from './workqueues/index.js';

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
  '20261124T0340-orders-and-portal': ordersAndPortal,
  '20261124T0350-numbers': numbers,
  '20261124T0360-device-credentials': deviceCredentials,
  '20261124T0370-suspensions': suspensions,
  '20261124T0400-terms-changes': termsChanges,
  '20261124T0450-legal-requests': legalRequests,
  '20261124T0500-call-quality-reports': callQualityReports,
  '20261124T0510-contacts': contacts,
  '20261124T0600-billing': billing,
  '20261124T0610-included-usage': includedUsage,
  '20261125T0100-ledger-request-hash': ledgerRequestHash,
  '20261125T0110-portal-sign-in-failures': portalSignInFailures,
  '20261203T0100-event-consumers': eventConsumers,
  '20261203T0110-publish-completed-calls': publishCompletedCalls,
  '20261203T0400-charging': charging,
  '20261203T0410-agreement-signed': agreementSigned,
  '20261203T0500-bill-exactness': billExactness,
  '20261203T0510-charging-usage-by-start': usageByStart,
  '20261203T0600-outages': outages,
  '20261203T0700-disputes': disputes,
  '20261203T0710-fee-dispute-cases': feeDisputeCases,
  '20261203T0800-notices': notices,
  '20261203T0801-notice-contacts': noticeContactsMigration,
  '20261203T0820-maintenance-windows': maintenanceWindows,
  '20261203T0830-judicial-orders-and-abuse-reports': judicialOrdersAndAbuseReports,
  '20261203T0840-licence-acceptances': licenceAcceptances,
  '20261203T0900-terminal-units': terminalUnits,
  '20261203T0910-warranty-claims': warrantyClaims,
  '20261203T0920-client-releases': clientReleases,
  '20261203T0921-terminal-provisioning': terminalProvisioning,
  '20261203T1700-subscribers-search-tokens': subscriberSearchTokens,
  '20261203T1710-payments-online': paymentsOnline,
  '20261203T1720-workqueues-assignments': workAssignments,
  '20261204T0000-payments-mismatch-resolution': paymentsMismatchResolution,
  '20261204T2200-location-bindings': locationBindings,
  '20261204T2200-staff-admin-resets': staffAdminResets,
  '20261204T2200-catalogue-effective-dates': catalogueEffectiveDates,
  '20261206T0300-charging-last-settled-start': chargingLastSettledStart,
  '20261207T2300-call-records-unused-index': callRecordsUnusedIndex,
};
