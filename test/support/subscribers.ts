import { randomInt, randomUUID } from 'node:crypto';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import type { TestService } from './test-service.js';

/** The order and password every application carries; the demo catalogue offers them. */
export const demoOrder = { planCode: 'standard', creditLimitFen: 200_00, password: 'correct horse battery' } as const;

/** A valid Fuzhou landline no other application in the run uses (contact phones sign in, so they are unique). */
export function uniqueContactPhone(): string {
  return `+8659186${String(randomInt(0, 1_000_000)).padStart(6, '0')}`;
}

/** A valid mainland mobile number no other application in the run uses. */
export function uniqueMobile(): string {
  return `+86139${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

/** An organisation applies through the public API with valid data; returns the new subscriber's id. */
export async function applyAsOrganisation(service: TestService, legalName: string, contactPhone = uniqueContactPhone()): Promise<string> {
  await loadDemoCatalogue(service.ctx);
  const response = await service.app.inject({
    method: 'POST',
    url: '/api/subscribers/applications',
    payload: {
      kind: 'organisation',
      legalName,
      creditCode: '91350100M000100Y43',
      address: '福建省福州市鼓楼区1号',
      contactName: '李四',
      contactPhone,
      ...demoOrder,
    },
  });
  if (response.statusCode !== 201) throw new Error(`application failed: ${response.statusCode} ${response.body}`);
  return response.json().id as string;
}

/** A valid individual applicant (resident ID with a correct check character and matching birth date). */
export const demoPerson = {
  kind: 'individual',
  fullName: '王小明',
  birthDate: '1949-12-31',
  address: '北京市朝阳区建国路88号',
  idType: 'prc_resident_id',
  idNumber: '11010519491231002X',
  employer: '示例科技有限公司',
} as const;

/** Signs in to the portal and returns the session cookie header value. */
export async function portalCookie(service: TestService, login: string, password: string = demoOrder.password): Promise<string> {
  const response = await service.app.inject({ method: 'POST', url: '/api/portal/sign-in', payload: { login, password } });
  if (response.statusCode !== 200) throw new Error(`portal sign-in failed: ${response.statusCode} ${response.body}`);
  const cookie = [response.headers['set-cookie']].flat().find((c) => c?.startsWith('vp_portal='));
  return cookie!.split(';')[0]!;
}

/** Reads the agreement as the portal shows it and signs exactly that text. */
export async function signShownAgreement(service: TestService, cookie: string, language: 'zh-CN' | 'en' = 'zh-CN') {
  const shown = await service.app.inject({ method: 'GET', url: `/api/portal/agreement?lang=${language}`, headers: { cookie } });
  if (shown.statusCode !== 200) throw new Error(`agreement not shown: ${shown.statusCode} ${shown.body}`);
  const { version, textSha256 } = shown.json();
  return service.app.inject({
    method: 'POST',
    url: '/api/portal/agreement/signatures',
    headers: { cookie },
    payload: { version, language, textSha256 },
  });
}

export interface ActiveSubscriber {
  id: string;
  phone: string;
  number: string;
  cookie: string;
}

/**
 * A person all the way to an active service through the public API: applies, a reviewer approves,
 * the person signs the agreement in the portal and receives a number.
 */
export async function activeIndividual(service: TestService, reviewerCookie: string, fullName = '王小明'): Promise<ActiveSubscriber> {
  await loadDemoCatalogue(service.ctx);
  const phone = uniqueMobile();
  const applied = await service.app.inject({
    method: 'POST',
    url: '/api/subscribers/applications',
    payload: { ...demoPerson, fullName, contactPhone: phone, ...demoOrder },
  });
  if (applied.statusCode !== 201) throw new Error(`application failed: ${applied.statusCode} ${applied.body}`);
  const id = applied.json().id as string;
  const approved = await service.app.inject({
    method: 'POST',
    url: `/api/console/subscribers/${id}/verification`,
    headers: { cookie: reviewerCookie },
    payload: { decision: 'approve' },
  });
  if (approved.statusCode !== 200) throw new Error(`approval failed: ${approved.statusCode} ${approved.body}`);
  const cookie = await portalCookie(service, phone);
  const signed = await signShownAgreement(service, cookie);
  if (signed.statusCode !== 201 || !signed.json().activated)
    throw new Error(`signing did not activate: ${signed.statusCode} ${signed.body}`);
  return { id, phone, number: signed.json().number as string, cookie };
}

/**
 * Accepts the client licence in force (clause 3) for a device id, as the softphone does before its
 * first use; SIP credentials are issued only after. Returns the device id.
 */
export async function acceptLicence(service: TestService, cookie: string, deviceId: string = randomUUID()): Promise<string> {
  const shown = await service.app.inject({ method: 'GET', url: `/api/portal/licence?deviceId=${deviceId}`, headers: { cookie } });
  if (shown.statusCode !== 200) throw new Error(`licence not shown: ${shown.statusCode} ${shown.body}`);
  const accepted = await service.app.inject({
    method: 'POST',
    url: '/api/portal/licence/acceptances',
    headers: { cookie },
    payload: { version: shown.json().version, deviceId },
  });
  if (accepted.statusCode !== 201 && accepted.statusCode !== 200)
    throw new Error(`licence not accepted: ${accepted.statusCode} ${accepted.body}`);
  return deviceId;
}

/** An administrator publishes a new version of the agreement (clause 15's terms change); the response. */
export function publishAgreementVersion(service: TestService, adminCookie: string, version: number, summary: string) {
  return service.app.inject({
    method: 'POST',
    url: '/api/console/agreement-versions',
    headers: { cookie: adminCookie },
    payload: { version, summary },
  });
}
