import { systemActor } from '../audit/index.js';
import type { ServiceContext } from '../platform/context.js';
import { createStaffAccount, findStaffIdByUsername, roles, type Role } from '../staff/index.js';

/**
 * A working demo operator: one staff account per role, each with a known password and TOTP secret,
 * so a newcomer can sign in and look around a minute after `npm start`. The accounts are flagged
 * as demo data; the command refuses to run in production.
 */
export interface DemoAccount {
  username: string;
  password: string;
  role: Role;
  totpSecret: string;
}

const demoNames: Record<Role, { username: string; displayName: string }> = {
  administrator: { username: 'admin', displayName: '管理员 Admin' },
  verification_reviewer: { username: 'reviewer', displayName: '审核员 Reviewer' },
  billing_clerk: { username: 'billing', displayName: '计费专员 Billing' },
  support_agent: { username: 'support', displayName: '客服 Support' },
  technician: { username: 'technician', displayName: '技术员 Technician' },
  legal_officer: { username: 'legal', displayName: '法务 Legal' },
  auditor: { username: 'auditor', displayName: '审计员 Auditor' },
};

// Public on purpose: these are demo credentials, printed by the command and in the README.
const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export function demoAccounts(): DemoAccount[] {
  return roles.map((role) => ({
    username: demoNames[role].username,
    password: `demo-${demoNames[role].username}-pass`,
    role,
    totpSecret: DEMO_TOTP_SECRET,
  }));
}

export async function loadDemo(ctx: ServiceContext): Promise<{ created: string[]; existing: string[] }> {
  const created: string[] = [];
  const existing: string[] = [];
  for (const account of demoAccounts()) {
    if (await findStaffIdByUsername(ctx, account.username)) {
      existing.push(account.username);
      continue;
    }
    const result = await createStaffAccount(
      ctx,
      {
        username: account.username,
        displayName: demoNames[account.role].displayName,
        password: account.password,
        roles: [account.role],
        isDemo: true,
        totpSecret: account.totpSecret,
      },
      systemActor,
    );
    if (!result.ok) throw new Error(`demo account ${account.username}: ${result.failure.message}`);
    created.push(account.username);
  }
  return { created, existing };
}
