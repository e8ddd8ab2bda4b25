import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';
import { applyAsOrganisation } from '../support/subscribers.js';

describe('the verification queue (agreement clause 1)', () => {
  let service: TestService;
  let reviewer: string;
  let auditor: string;

  beforeAll(async () => {
    service = await startTestService('pglite');
    reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    auditor = await signInCookie(service, await addStaff(service, ['auditor']));
  });
  afterAll(() => service?.close());

  async function applicant(name: string): Promise<string> {
    const id = await applyAsOrganisation(service, name);
    service.clock.advance({ minutes: 1 });
    return id;
  }
  const decide = (id: string, decision: string, reason?: string) =>
    service.app.inject({
      method: 'POST',
      url: `/api/console/subscribers/${id}/verification`,
      headers: { cookie: reviewer },
      payload: { decision, ...(reason ? { reason } : {}) },
    });

  it('lists waiting applications oldest first', async () => {
    const first = await applicant('第一有限公司');
    const second = await applicant('第二有限公司');
    const queue = await service.app.inject({ method: 'GET', url: '/api/console/verification-queue', headers: { cookie: reviewer } });
    const ids = queue.json().items.map((item: { id: string }) => item.id);
    expect(ids.indexOf(first)).toBeLessThan(ids.indexOf(second));
  });

  it('asks for a copy of the licence, then approves once it is in: the application leaves the queue', async () => {
    const id = await applicant('资料待补有限公司');
    expect((await decide(id, 'request-documents', '请上传营业执照复印件')).json()).toEqual({ id, status: 'documents_requested' });
    expect((await decide(id, 'approve')).json()).toEqual({ id, status: 'approved' });
    const queue = await service.app.inject({ method: 'GET', url: '/api/console/verification-queue', headers: { cookie: reviewer } });
    expect(queue.json().items.map((item: { id: string }) => item.id)).not.toContain(id);
  });

  it('rejects only with a reason the applicant can read, and records the decision for auditors', async () => {
    const id = await applicant('拒绝有限公司');
    const without = await decide(id, 'reject');
    expect(without.statusCode).toBe(400);
    expect(without.json().errors).toEqual([expect.objectContaining({ field: 'reason', message: expect.any(String) })]);
    expect((await decide(id, 'reject', '营业执照与名称不符')).json().status).toBe('rejected');
    const audit = await service.app.inject({
      method: 'GET',
      url: `/api/console/audit?targetType=subscriber&targetId=${id}&action=subscriber.verification`,
      headers: { cookie: auditor },
    });
    expect(audit.json().items[0]).toMatchObject({
      action: 'subscriber.verification.reject',
      before: { status: 'applied' },
      after: { status: 'rejected' },
      detail: { reason: '营业执照与名称不符' },
    });
    const events = await service.ctx.db
      .selectFrom('outbox_events')
      .select(['event_type', 'payload'])
      .where('aggregate_id', '=', id)
      .orderBy('id')
      .execute();
    expect(events.map((e) => e.event_type)).toEqual(['subscriber.applied', 'subscriber.rejected']);
  });

  it('refuses a decision that does not follow from the current state (409)', async () => {
    const id = await applicant('已拒绝有限公司');
    await decide(id, 'reject', '资料不全，无法核实');
    const again = await decide(id, 'approve');
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe('Cannot approve a subscriber who is rejected');
    expect((await decide(id, 'suspend-false-data', '提供虚假资料')).statusCode).toBe(409);
  });

  it('suspends for false data only a subscriber whose service has started (an applicant is rejected instead)', async () => {
    const id = await applicant('虚假资料有限公司');
    await decide(id, 'approve');
    const refused = await decide(id, 'suspend-false-data', '营业执照系伪造');
    expect(refused.statusCode).toBe(409);
    expect(refused.json().detail).toMatch(/approved/);
  });
});
