import type { ComponentType } from 'react';
import { AuditPage } from '../features/audit/audit-page';
import { JobsPage } from '../features/jobs/jobs-page';
import { OverviewPage } from '../features/overview/overview-page';
import { SettingsPage } from '../features/settings/settings-page';
import { StaffPage } from '../features/staff/staff-page';
import type { Messages } from '../i18n/zh-CN';
import type { Staff } from '../types/api';

export type ConsolePage = {
  /** Names the nav link's test id, `nav-<name>`. */
  name: string;
  path: string;
  labelKey: `nav.${keyof Messages['nav']}`;
  /** The permission the server grants for this page's API; null for pages every member may open. */
  permission: string | null;
  component: ComponentType<{ staff: Staff }>;
};

// The one list that drives both the navigation and the routing inside the console: a new capability
// adds its page here, and members see it exactly when their roles grant the permission.
export const consolePages: readonly ConsolePage[] = [
  { name: 'overview', path: '/console', labelKey: 'nav.overview', permission: null, component: OverviewPage },
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
];

export function mayOpen(staff: Staff, page: ConsolePage): boolean {
  return page.permission === null || staff.permissions.includes(page.permission);
}
