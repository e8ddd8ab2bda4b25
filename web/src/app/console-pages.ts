import type { ComponentType } from 'react';
import { AgreementVersionsPage } from '../features/agreements/agreement-versions-page';
import { LicencePage } from '../features/agreements/licence-page';
import { NegotiationCasesPage } from '../features/agreements/negotiation-cases-page';
import { MaintenancePage } from '../features/assurance/maintenance-page';
import { OutagesPage } from '../features/assurance/outages-page';
import { AuditPage } from '../features/audit/audit-page';
import { BillingConsolePage } from '../features/billing/billing-console-page';
import { CallsPage } from '../features/calls/calls-page';
import { NearLimitPage } from '../features/charging/near-limit-page';
import { SipBansPage } from '../features/calls/sip-bans-page';
import { JobsPage } from '../features/jobs/jobs-page';
import { NoticeDeliveriesPage } from '../features/notices/notice-deliveries-page';
import { LegalPage } from '../features/legal/legal-page';
import { OverviewPage } from '../features/overview/overview-page';
import { CataloguePage } from '../features/price-list/catalogue-page';
import { QueuesBadge } from '../features/queues/queues-badge';
import { QueuesPage } from '../features/queues/queues-page';
import { DeviceSoftwarePage } from '../features/releases/device-software-page';
import { ReleasesPage } from '../features/releases/releases-page';
import { OnlinePaymentsConsolePage } from '../features/payments/online-payments-console-page';
import { SettingsPage } from '../features/settings/settings-page';
import { ClaimsConsolePage } from '../features/terminals/claims-console-page';
import { InventoryConsolePage } from '../features/terminals/inventory-console-page';
import { StaffPage } from '../features/staff/staff-page';
import { IdentityRevealsPage } from '../features/subscribers/identity-reveals-page';
import { SubscribersPage, VerificationPage } from '../features/subscribers/subscribers-page';
import type { Messages } from '../i18n/zh-CN';
import type { Staff } from '../types/api';
import { CustomerPage } from './customer-page';
import { DisputesConsole } from './disputes-console';

export type ConsolePage = {
  /** Names the nav link's test id, `nav-<name>`. */
  name: string;
  path: string;
  labelKey: `nav.${keyof Messages['nav']}`;
  /** The permission the server grants for this page's API; null for pages every member may open. */
  permission: string | null;
  component: ComponentType<{ staff: Staff }>;
  /** A page about one thing (`:id` in the path), reached by links, not listed in the navigation. */
  detail?: true;
  /** A count shown next to the nav link (open work). */
  badge?: ComponentType;
};

// The one list that drives both the navigation and the routing inside the console: a new capability
// adds its page here, and members see it exactly when their roles grant the permission.
export const consolePages: readonly ConsolePage[] = [
  { name: 'overview', path: '/console', labelKey: 'nav.overview', permission: null, component: OverviewPage },
  // Every member sees the queues page; it lists only the queues their permissions let them work.
  { name: 'queues', path: '/console/queues', labelKey: 'nav.queues', permission: null, component: QueuesPage, badge: QueuesBadge },
  { name: 'staff', path: '/console/staff', labelKey: 'nav.staff', permission: 'staff.read', component: StaffPage },
  { name: 'audit', path: '/console/audit', labelKey: 'nav.audit', permission: 'audit.read', component: AuditPage },
  {
    name: 'settings',
    path: '/console/settings',
    labelKey: 'nav.settings',
    permission: 'settings.read',
    component: SettingsPage,
  },
  { name: 'jobs', path: '/console/jobs', labelKey: 'nav.jobs', permission: 'jobs.read', component: JobsPage },
  {
    name: 'verification',
    path: '/console/verification',
    labelKey: 'nav.verification',
    permission: 'subscribers.verify',
    component: VerificationPage,
  },
  {
    name: 'subscribers',
    path: '/console/subscribers',
    labelKey: 'nav.subscribers',
    permission: 'subscribers.read',
    component: SubscribersPage,
  },
  {
    name: 'agreements',
    path: '/console/agreements',
    labelKey: 'nav.agreements',
    permission: 'subscribers.read',
    component: AgreementVersionsPage,
  },
  { name: 'licence', path: '/console/licence', labelKey: 'nav.licence', permission: 'subscribers.read', component: LicencePage },
  {
    name: 'cases',
    path: '/console/negotiation-cases',
    labelKey: 'nav.cases',
    permission: 'negotiations.handle',
    component: NegotiationCasesPage,
  },
  {
    name: 'reveals',
    path: '/console/identity-reveals',
    labelKey: 'nav.reveals',
    permission: 'audit.read',
    component: IdentityRevealsPage,
  },
  { name: 'calls', path: '/console/calls', labelKey: 'nav.calls', permission: 'calls.read', component: CallsPage },
  { name: 'sip-bans', path: '/console/sip-bans', labelKey: 'nav.sipBans', permission: 'sip.bans.read', component: SipBansPage },
  // billing.read opens the page; the desk payment and bank file parts also need payments.record, adjustments,
  // credit notes and refunds billing.manage (checked inside).
  { name: 'billing', path: '/console/billing', labelKey: 'nav.billing', permission: 'billing.read', component: BillingConsolePage },
  {
    name: 'online-payments',
    path: '/console/payments',
    labelKey: 'nav.onlinePayments',
    permission: 'billing.read',
    component: OnlinePaymentsConsolePage,
  },
  // Clause 9: subscribers at or near their credit limit, each linked to their page (whose credit section
  // shows the gauge and history with billing.read, and the limit form with billing.manage).
  {
    name: 'near-limit',
    path: '/console/credit-limits',
    labelKey: 'nav.nearLimit',
    permission: 'billing.read',
    component: NearLimitPage,
  },
  // Clauses 7, 12–14: the outage register; recording, ending and correcting also need outages.manage (checked inside).
  { name: 'outages', path: '/console/outages', labelKey: 'nav.outages', permission: 'outages.read', component: OutagesPage },
  // Clause 7: maintenance windows announced in advance; read with outages.read, publishing and cancelling need notices.publish (checked inside).
  {
    name: 'maintenance',
    path: '/console/maintenance',
    labelKey: 'nav.maintenance',
    permission: 'outages.read',
    component: MaintenancePage,
  },
  // Clause 6: the fee disputes queue, each dispute with its evidence and the answer (billing clerks, supervisors, support).
  {
    name: 'disputes',
    path: '/console/disputes',
    labelKey: 'nav.disputes',
    permission: 'disputes.handle',
    component: DisputesConsole,
  },
  // Notices whose e-mail, SIP MESSAGE or SMS failed or was given up, with a retry (technicians, administrators).
  {
    name: 'notice-deliveries',
    path: '/console/notice-deliveries',
    labelKey: 'nav.noticeDeliveries',
    permission: 'notices.publish',
    component: NoticeDeliveriesPage,
  },
  // Clauses 10 and 3: judicial orders and abuse reports, for the legal officer only.
  { name: 'legal', path: '/console/legal', labelKey: 'nav.legal', permission: 'legal.orders', component: LegalPage },
  // Clause 4: the terminal inventory and shipments, and the warranty claims queue (technicians).
  {
    name: 'terminals',
    path: '/console/terminals',
    labelKey: 'nav.terminals',
    permission: 'devices.manage',
    component: InventoryConsolePage,
  },
  {
    name: 'warranty-claims',
    path: '/console/warranty-claims',
    labelKey: 'nav.warrantyClaims',
    permission: 'warranty.assess',
    component: ClaimsConsolePage,
  },
  {
    name: 'device-software',
    path: '/console/device-software',
    labelKey: 'nav.deviceSoftware',
    permission: 'devices.manage',
    component: DeviceSoftwarePage,
  },
  { name: 'releases', path: '/console/releases', labelKey: 'nav.releases', permission: 'releases.manage', component: ReleasesPage },
  // Issue #14: plan versions, credit-limit choices and terminal prices from a date, with a preview of /prices (administrators).
  {
    name: 'catalogue',
    path: '/console/catalogue',
    labelKey: 'nav.catalogue',
    permission: 'catalog.manage',
    component: CataloguePage,
  },
  // One page per customer (issue #14): every member may open it, and each section shows only with its own
  // permission (the header with subscribers.read, money with billing.read, calls with calls.read, ...).
  { name: 'customer', path: '/console/customers/:id', labelKey: 'nav.customer', permission: null, component: CustomerPage, detail: true },
];

/** The page a console path opens: an exact path, or a detail path whose `:param` segments match one segment each. */
export function consolePageAt(pathname: string): ConsolePage | undefined {
  const segments = pathname.split('/');
  return consolePages.find((page) => {
    const pattern = page.path.split('/');
    return (
      pattern.length === segments.length &&
      pattern.every((part, index) => (part.startsWith(':') ? (segments[index] ?? '') !== '' : part === segments[index]))
    );
  });
}

export function mayOpen(staff: Staff, page: ConsolePage): boolean {
  return page.permission === null || staff.permissions.includes(page.permission);
}
