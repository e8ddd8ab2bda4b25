import type { AgreementTables } from '../../agreements/index.js';
import type { AssuranceTables } from '../../assurance/index.js';
import type { CallTables } from '../../calls/index.js';
import type { ChargingTables } from '../../charging/index.js';
import type { AuditTables } from '../../audit/index.js';
import type { BillingTables } from '../../billing/index.js';
import type { ContactTables } from '../../contacts/index.js';
import type { DisputeTables } from '../../disputes/index.js';
import type { DeviceTables } from '../../devices/index.js';
import type { CatalogTables } from '../../catalog/index.js';
import type { EntitlementTables } from '../../entitlements/index.js';
import type { NoticeTables } from '../../notices/index.js';
import type { LegalTables } from '../../legal/index.js';
import type { NumberTables } from '../../numbers/index.js';
import type { PortalAuthTables } from '../../portal-auth/index.js';
import type { StaffTables } from '../../staff/index.js';
import type { SubscriberTables } from '../../subscribers/index.js';
import type { EventTables } from '../events/index.js';
import type { JobTables } from '../jobs/index.js';
import type { ProvisioningTables } from '../../provisioning/index.js';
import type { ReleaseTables } from '../../releases/index.js';
import type { PaymentTables } from '../../payments/index.js';
import type { WorkQueueTables } from '../../workqueues/index.js';

/**
 * The whole schema as Kysely sees it, composed from the tables each module owns. Only the owner
 * queries its tables; others call the owner's functions (STYLE.md, "modules own their tables").
 */
export interface Database
  extends
    EventTables,
    WorkQueueTables,
    JobTables,
    AuditTables,
    StaffTables,
    CallTables,
    SubscriberTables,
    PortalAuthTables,
    CatalogTables,
    AgreementTables,
    NumberTables,
    EntitlementTables,
    BillingTables,
    ChargingTables,
    ContactTables,
    DisputeTables,
    AssuranceTables,
    ReleaseTables,
    ProvisioningTables,
    NoticeTables,
    LegalTables,
    PaymentTables,
    DeviceTables {}
