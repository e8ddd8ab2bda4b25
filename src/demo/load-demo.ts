import { systemActor, type Actor } from '../audit/index.js';
import {
  createCreditLimitOption,
  createPlan,
  createTerminalModel,
  findTerminalModel,
  listCreditLimitOptions,
  listPlanVersions,
  type NewPlan,
  type NewTerminalModel,
} from '../catalog/index.js';
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
  billing_supervisor: { username: 'billing-supervisor', displayName: '计费主管 Billing supervisor' },
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

/** The demo staff member of a role as the actor of what they do in the demo story (the audit names them). */
export async function demoStaffActor(ctx: ServiceContext, role: Role): Promise<Actor> {
  const { username } = demoNames[role];
  const id = await findStaffIdByUsername(ctx, username);
  if (!id) throw new Error(`the demo account ${username} is missing: load the demo operator first`);
  // As the console's routes name a staff actor: by username.
  return { type: 'staff', id, name: username };
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
  await loadDemoCatalogue(ctx);
  return { created, existing };
}

// Rates are 1/10000 fen per minute: 15_0000 is 15 fen, i.e. 0.15 yuan a minute.
const demoPlans: NewPlan[] = [
  {
    code: 'basic',
    nameZh: '基础套餐',
    nameEn: 'Basic',
    descriptionZh: '适合偶尔与家人视频通话。',
    descriptionEn: 'For the occasional video call with family.',
    monthlyRentFen: 30_00,
    includedMinutes: 100,
    perMinuteRatePrecise: 15_0000,
    billingIncrementSeconds: 6,
    sortOrder: 10,
  },
  {
    code: 'standard',
    nameZh: '标准套餐',
    nameEn: 'Standard',
    descriptionZh: '适合每天都要视频通话的家庭。',
    descriptionEn: 'For households that video-call every day.',
    monthlyRentFen: 58_00,
    includedMinutes: 500,
    perMinuteRatePrecise: 12_0000,
    billingIncrementSeconds: 6,
    sortOrder: 20,
  },
  {
    code: 'business',
    nameZh: '商务套餐',
    nameEn: 'Business',
    descriptionZh: '适合小型办公室与门店，通话时长充足。',
    descriptionEn: 'For small offices and shops that call a lot.',
    monthlyRentFen: 128_00,
    includedMinutes: 2000,
    perMinuteRatePrecise: 10_0000,
    billingIncrementSeconds: 60,
    sortOrder: 30,
  },
];

const demoCreditLimits = [100_00, 200_00, 500_00, 1000_00];
const demoDefaultCreditLimit = 200_00;

const demoTerminals: NewTerminalModel[] = [
  {
    code: 'vp-t100',
    nameZh: 'VP-T100 桌面视频电话',
    nameEn: 'VP-T100 desk videophone',
    descriptionZh: '7 英寸触摸屏，720p 摄像头，有线网络。',
    descriptionEn: '7-inch touch screen, 720p camera, wired network.',
    priceFen: 399_00,
    sortOrder: 10,
  },
  {
    code: 'vp-t300',
    nameZh: 'VP-T300 高清视频电话',
    nameEn: 'VP-T300 HD videophone',
    descriptionZh: '10 英寸触摸屏，1080p 摄像头，有线网络与 Wi-Fi。',
    descriptionEn: '10-inch touch screen, 1080p camera, wired network and Wi-Fi.',
    priceFen: 899_00,
    sortOrder: 20,
  },
];

/** The demo price list; what exists already (by plan code, amount, terminal code) is left as it is. */
export async function loadDemoCatalogue(ctx: ServiceContext): Promise<void> {
  const check = (what: string, result: { ok: true } | { ok: false; failure: { message: string } }) => {
    if (!result.ok) throw new Error(`demo ${what}: ${result.failure.message}`);
  };
  for (const plan of demoPlans) {
    if ((await listPlanVersions(ctx, plan.code)).length === 0) check(`plan ${plan.code}`, await createPlan(ctx, plan, systemActor));
  }
  const options = await listCreditLimitOptions(ctx, { includeInactive: true });
  // An operator who already chose a default keeps it.
  const hasDefault = options.some((option) => option.isDefault);
  for (const amountFen of demoCreditLimits) {
    if (options.some((option) => option.amountFen === amountFen)) continue;
    const isDefault = !hasDefault && amountFen === demoDefaultCreditLimit;
    check(`credit limit ${amountFen}`, await createCreditLimitOption(ctx, { amountFen, isDefault }, systemActor));
  }
  for (const terminal of demoTerminals) {
    if (!(await findTerminalModel(ctx, terminal.code)))
      check(`terminal ${terminal.code}`, await createTerminalModel(ctx, terminal, systemActor));
  }
}
