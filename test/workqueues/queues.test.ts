import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyAsOrganisation } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

/**
 * Two reviewers work the verification queue: five applications arrive, one is asked for documents;
 * the queue counts them, pages through them, filters by stage and assignee, and each item is
 * assigned to one of them. A billing clerk may not see it; a colleague without the permission may
 * not be given the work.
 */
describe('the verification work queue', () => {
  let service: TestService;
  let alice: TestStaff;
  let bob: TestStaff;
  let clerk: TestStaff;
  const cookies: Record<string, string> = {};
  const applications: string[] = [];

  const get = (url: string, who = 'alice') => service.app.inject({ method: 'GET', url, headers: { cookie: cookies[who]! } });
  const assign = (id: string, assigneeId: string | null, who = 'alice') =>
    service.app.inject({
      method: 'PUT',
      url: `/api/console/queues/verification/${id}/assignee`,
      headers: { cookie: cookies[who]! },
      payload: { assigneeId },
    });

  beforeAll(async () => {
    service = await startTestService('pglite');
    alice = await addStaff(service, ['verification_reviewer']);
    bob = await addStaff(service, ['verification_reviewer']);
    clerk = await addStaff(service, ['billing_clerk']);
    cookies.alice = await signInCookie(service, alice);
    cookies.bob = await signInCookie(service, bob);
    cookies.clerk = await signInCookie(service, clerk);
    for (let n = 1; n <= 5; n += 1) {
      applications.push(await applyAsOrganisation(service, `排队测试公司${n}`));
      service.clock.advance({ minutes: 1 });
    }
    const asked = await service.app.inject({
      method: 'POST',
      url: `/api/console/subscribers/${applications[4]}/verification`,
      headers: { cookie: cookies.alice! },
      payload: { decision: 'request-documents', reason: '请上传营业执照副本' },
    });
    expect(asked.statusCode).toBe(200);
  });
  afterAll(() => service?.close());

  it('counts the open applications for the nav, and none are the reviewer’s yet', async () => {
    const response = await get('/api/console/queues');
    expect(response.statusCode).toBe(200);
    expect(response.json().queues).toEqual([{ name: 'verification', open: 5, mine: 0 }]);
  });

  it('pages through the queue oldest first, with the total of the whole filtered list', async () => {
    const first = (await get('/api/console/queues/verification?limit=2')).json();
    const second = (await get('/api/console/queues/verification?limit=2&offset=2')).json();
    const last = (await get('/api/console/queues/verification?limit=2&offset=4')).json();
    expect([first.total, second.total, last.total]).toEqual([5, 5, 5]);
    const ids = [...first.items, ...second.items, ...last.items].map((item: { id: string }) => item.id);
    expect(ids).toEqual(applications);
  });

  it('filters by stage', async () => {
    const asked = (await get('/api/console/queues/verification?stage=documents_requested')).json();
    expect(asked.total).toBe(1);
    expect(asked.items[0]).toMatchObject({ id: applications[4], stage: 'documents_requested', subscriberId: applications[4] });
    const applied = (await get('/api/console/queues/verification?stage=applied')).json();
    expect(applied.total).toBe(4);
    expect((await get('/api/console/queues/verification?stage=active')).statusCode).toBe(400);
  });

  it('assigns items to oneself and to a colleague, and filters by assignee', async () => {
    expect((await assign(applications[0]!, alice.id)).json().assignee).toEqual({ id: alice.id, name: `Test ${alice.username}` });
    expect((await assign(applications[1]!, bob.id)).statusCode).toBe(200);
    expect((await assign(applications[2]!, bob.id)).statusCode).toBe(200);

    const mine = (await get('/api/console/queues/verification?assignee=me')).json();
    expect(mine.items.map((item: { id: string }) => item.id)).toEqual([applications[0]]);
    const bobs = (await get(`/api/console/queues/verification?assignee=${bob.id}&limit=1&offset=1`)).json();
    expect(bobs).toMatchObject({ total: 2, items: [{ id: applications[2], assignee: { id: bob.id } }] });
    const unassigned = (await get('/api/console/queues/verification?assignee=unassigned')).json();
    expect(unassigned.items.map((item: { id: string }) => item.id)).toEqual([applications[3], applications[4]]);
    expect((await get('/api/console/queues', 'bob')).json().queues).toEqual([{ name: 'verification', open: 5, mine: 2 }]);
  });

  it('hands an item back to no one, and the change is audited', async () => {
    expect((await assign(applications[2]!, null, 'bob')).json().assignee).toBeNull();
    const bobs = (await get(`/api/console/queues/verification?assignee=${bob.id}`)).json();
    expect(bobs.total).toBe(1);
    const auditor = await addStaff(service, ['auditor']);
    const audit = await service.app.inject({
      method: 'GET',
      url: '/api/console/audit',
      headers: { cookie: await signInCookie(service, auditor) },
    });
    const assignments = audit.json().items.filter((entry: { action: string }) => entry.action === 'workqueue.assign');
    expect(assignments).toHaveLength(4);
  });

  it('offers as assignees only colleagues who may work the queue, and refuses anyone else', async () => {
    const assignees = (await get('/api/console/queues/verification/assignees')).json().assignees.map((a: { id: string }) => a.id);
    expect(assignees.sort()).toEqual([alice.id, bob.id].sort());
    const refused = await assign(applications[3]!, clerk.id);
    expect(refused.statusCode).toBe(400);
    expect(refused.json().errors[0].field).toBe('assigneeId');
  });

  it('refuses to assign what is not in the queue', async () => {
    expect((await assign('00000000-0000-4000-8000-000000000000', alice.id)).statusCode).toBe(404);
  });

  it('is not open to a billing clerk, whose nav counts only the overdue and disputes queues', async () => {
    expect((await get('/api/console/queues/verification', 'clerk')).statusCode).toBe(403);
    expect((await assign(applications[3]!, clerk.id, 'clerk')).statusCode).toBe(403);
    const queues = (await get('/api/console/queues', 'clerk')).json().queues.map((q: { name: string }) => q.name);
    expect(queues).toEqual(['overdue', 'disputes']);
  });
});
