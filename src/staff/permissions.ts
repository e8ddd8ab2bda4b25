/**
 * Back-office permissions and the roles that grant them. Operators tune who may do what by editing
 * this table (it is data); every console route names the one permission it needs.
 */
export const permissions = [
  'staff.read',
  'staff.manage',
  'audit.read',
  'settings.read',
  'jobs.read',
  'events.manage',
  'subscribers.read',
  'subscribers.verify',
  'identity.reveal',
  'calls.read',
  'billing.read',
  'billing.manage',
  'payments.record',
  'payments.backdate',
  'disputes.handle',
  'devices.manage',
  'warranty.assess',
  'notices.publish',
  'outages.read',
  'outages.manage',
  'releases.manage',
  'legal.orders',
  'agreements.publish',
  'negotiations.handle',
  'sip.bans.read',
  'sip.bans.manage',
  'catalog.manage',
] as const;

export type Permission = (typeof permissions)[number];

export const roles = [
  'administrator',
  'verification_reviewer',
  'billing_clerk',
  'billing_supervisor',
  'support_agent',
  'technician',
  'legal_officer',
  'auditor',
] as const;

export type Role = (typeof roles)[number];

export const rolePermissions: Record<Role, readonly Permission[]> = {
  // Administrators run the system but do not read identity data or act for the legal role.
  administrator: [
    'staff.read',
    'staff.manage',
    'audit.read',
    'settings.read',
    'jobs.read',
    'events.manage',
    'subscribers.read',
    'releases.manage',
    'notices.publish',
    'outages.read',
    'outages.manage',
    'agreements.publish',
    'sip.bans.read',
    'sip.bans.manage',
    // Plans, credit-limit choices and terminal prices (issue #14): published terms, dated and audited.
    'catalog.manage',
  ],
  verification_reviewer: ['subscribers.read', 'subscribers.verify', 'identity.reveal'],
  billing_clerk: ['subscribers.read', 'billing.read', 'billing.manage', 'payments.record', 'disputes.handle', 'outages.read'],
  // Dating a payment further back than the tolerance moves late fees: a second pair of eyes.
  billing_supervisor: [
    'subscribers.read',
    'billing.read',
    'billing.manage',
    'payments.record',
    'payments.backdate',
    'disputes.handle',
    'outages.read',
  ],
  // Support sees why a subscriber's phone is refused; lifting a ban is for those who run the network.
  // Support answers "is it down for me?"; recording and correcting an outage (which moves credits) is the network's.
  support_agent: [
    'subscribers.read',
    'calls.read',
    'billing.read',
    'disputes.handle',
    'negotiations.handle',
    'sip.bans.read',
    'outages.read',
  ],
  technician: [
    'devices.manage',
    // Terminal firmware and the minimum client versions are the technicians' (clause 8).
    'releases.manage',
    'warranty.assess',
    'notices.publish',
    'calls.read',
    'sip.bans.read',
    'sip.bans.manage',
    'outages.read',
    'outages.manage',
  ],
  legal_officer: ['subscribers.read', 'identity.reveal', 'legal.orders', 'audit.read', 'negotiations.handle'],
  auditor: ['audit.read', 'staff.read', 'settings.read', 'jobs.read'],
};

export function isRole(value: string): value is Role {
  return (roles as readonly string[]).includes(value);
}

export function permissionsOf(assigned: readonly string[]): Permission[] {
  const granted = new Set<Permission>();
  for (const role of assigned) if (isRole(role)) for (const permission of rolePermissions[role]) granted.add(permission);
  return permissions.filter((p) => granted.has(p));
}
