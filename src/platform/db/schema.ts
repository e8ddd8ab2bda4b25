import type { AgreementTables } from '../../agreements/tables.js';
import type { CallTables } from '../../calls/tables.js';
import type { AuditTables } from '../../audit/tables.js';
import type { BillingTables } from '../../billing/tables.js';
import type { ContactTables } from '../../contacts/tables.js';
import type { CatalogTables } from '../../catalog/tables.js';
import type { EntitlementTables } from '../../entitlements/tables.js';
import type { NumberTables } from '../../numbers/tables.js';
import type { StaffTables } from '../../staff/tables.js';
import type { SubscriberTables } from '../../subscribers/tables.js';
import type { EventTables } from '../events/tables.js';
import type { JobTables } from '../jobs/tables.js';

/**
 * The whole schema as Kysely sees it, composed from the tables each module owns. Only the owner
 * queries its tables; others call the owner's functions (STYLE.md, "modules own their tables").
 */
export interface Database
  extends
    EventTables,
    JobTables,
    AuditTables,
    StaffTables,
    CallTables,
    SubscriberTables,
    CatalogTables,
    AgreementTables,
    NumberTables,
    EntitlementTables,
    BillingTables,
    ContactTables {}
