import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctAccountPlan } from '../../src/billing/index.js';
import { addPlan, advanceTo, billFor, local } from '../billing/support.js';
import { activeIndividual, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * A dispute names who investigates it, and the disputes work queue is the same record seen from the
 * queue: taking a dispute shows in the queue, and handing it over in the queue shows on the dispute.
 * Before, the queue kept its own assignments, so the two pages could name different people.
 */
describe('who works a dispute: one record for the dispute page and the work queue', () => {
  let service: TestService;
  let li: TestStaff;
  let wang: TestStaff;
  let alice: ActiveSubscriber;
  let disputeId: string;
  const cookies: Record<string, string> = {};

  const asStaff = (who: string, method: 'GET' | 'POST' | 'PUT', url: string, payload?: Record<string, unknown>) =>
    service.app.inject({ method, url, headers: { cookie: cookies[who]! }, ...(payload !== undefined ? { payload } : {}) });

  beforeAll(async () => {
    service = await startTestService('pglite', { start: '2026-02-01T00:00:00Z' });
    const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
    li = await addStaff(service, ['support_agent'], 'agent-li');
    wang = await addStaff(service, ['support_agent'], 'agent-wang');
    alice = await activeIndividual(service, reviewer, '艾丽斯');
    await advanceTo(service, '2026-02-01 08:10');
    await correctAccountPlan(service.ctx, alice.id, await addPlan(service, { monthlyRentFen: 100_00 }));
    await advanceTo(service, '2026-03-01 00:00');
    service.clock.set(local('2026-03-02 09:00'));
    const february = await billFor(service, alice.id, '2026-02-01');
    const opened = await service.app.inject({
      method: 'POST',
      url: '/api/portal/disputes',
      headers: { cookie: await portalCookie(service, alice.phone) },
      payload: { subject: 'bill', subjectId: february.id, amountFen: 30_00, reason: '月租不对' },
    });
    expect(opened.statusCode, opened.body).toBe(201);
    disputeId = opened.json().id;
    // Signed in on the day they work (a session from February would have expired).
    cookies.li = await signInCookie(service, li);
    cookies.wang = await signInCookie(service, wang);
  }, 120_000);
  afterAll(() => service?.close());

  const queueItem = async (who: string) => {
    const page = (await asStaff(who, 'GET', '/api/console/queues/disputes')).json();
    return page.items.find((item: { id: string }) => item.id === disputeId);
  };

  it('an agent who takes the dispute is its assignee in the queue too', async () => {
    expect((await asStaff('li', 'POST', `/api/console/disputes/${disputeId}/assign`)).json()).toMatchObject({ status: 'investigating' });
    expect((await queueItem('li')).assignee).toMatchObject({ id: li.id });
    const mine = (await asStaff('li', 'GET', '/api/console/queues/disputes?assignee=me')).json();
    expect(mine.items.map((item: { id: string }) => item.id)).toEqual([disputeId]);
  });

  it('handing it to a colleague in the queue changes the dispute, and the investigation goes on', async () => {
    const handed = await asStaff('li', 'PUT', `/api/console/queues/disputes/${disputeId}/assignee`, { assigneeId: wang.id });
    expect(handed.statusCode, handed.body).toBe(200);
    const { dispute } = (await asStaff('wang', 'GET', `/api/console/disputes/${disputeId}`)).json();
    expect(dispute).toMatchObject({ status: 'investigating', assignedTo: { id: wang.id } });
    const wangs = (await asStaff('wang', 'GET', '/api/console/disputes?mine=true')).json().disputes;
    expect(wangs.map((entry: { id: string }) => entry.id)).toEqual([disputeId]);
    expect((await asStaff('li', 'GET', '/api/console/queues/disputes?assignee=me')).json().total).toBe(0);
  });

  it('handing it back to no one clears the dispute’s assignee and lists it as unassigned', async () => {
    expect((await asStaff('wang', 'PUT', `/api/console/queues/disputes/${disputeId}/assignee`, { assigneeId: null })).statusCode).toBe(200);
    expect((await asStaff('wang', 'GET', `/api/console/disputes/${disputeId}`)).json().dispute.assignedTo).toBeNull();
    const unassigned = (await asStaff('li', 'GET', '/api/console/queues/disputes?assignee=unassigned')).json();
    expect(unassigned.items.map((item: { id: string }) => item.id)).toContain(disputeId);
  });
});
