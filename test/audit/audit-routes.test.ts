import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setStaffRoles } from '../../src/staff/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService, type TestStaff } from '../support/test-service.js';

describe.each(engines)('the audit log people read on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let auditor: string;
    let admin: TestStaff;
    let member: TestStaff;
    let monday: Date;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-11-02T08:00:00Z' });
      admin = await addStaff(service, ['administrator'], 'zhang-admin');
      member = await addStaff(service, ['billing_clerk'], 'li-clerk');
      const auditorStaff = await addStaff(service, ['auditor'], 'wang-auditor');
      await signInCookie(service, admin);
      monday = service.clock.now();
      service.clock.advance({ days: 2 });
      const adminActor = { type: 'staff' as const, id: admin.id, name: admin.username };
      const changed = await setStaffRoles(service.ctx, member.id, ['billing_clerk', 'billing_supervisor'], adminActor);
      expect(changed.ok).toBe(true);
      auditor = await signInCookie(service, auditorStaff);
    });
    afterAll(() => service?.close());

    const read = async (query: string) => {
      const response = await service.app.inject({ method: 'GET', url: `/api/console/audit?${query}`, headers: { cookie: auditor } });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as {
        items: {
          action: string;
          actionText: string;
          actorName: string | null;
          targetName: string | null;
          targetId: string | null;
          at: string;
        }[];
        nextBeforeId: number | null;
      };
    };

    it('names the actor and the target and says the action in words, in either language', async () => {
      const zh = await read('action=staff.roles.change');
      expect(zh.items).toHaveLength(1);
      expect(zh.items[0]).toMatchObject({
        actionText: '变更员工角色',
        actorName: 'Test zhang-admin',
        targetName: 'Test li-clerk',
        targetId: member.id,
      });
      const en = await read('action=staff.roles.change&lang=en');
      expect(en.items[0]!.actionText).toBe('Changed staff roles');
    });

    it('filters by actor and by date range', async () => {
      const byActor = await read(`actor=${admin.username}`);
      expect(byActor.items.map((i) => i.action)).toEqual(['staff.roles.change', 'staff.sign-in']);
      const firstDay = await read(`from=${monday.toISOString()}&to=${new Date(monday.getTime() + 86_400_000).toISOString()}`);
      expect(firstDay.items.length).toBeGreaterThan(0);
      expect(firstDay.items.map((i) => i.action)).not.toContain('staff.roles.change');
      const later = await read(`actor=${admin.username}&from=${new Date(monday.getTime() + 86_400_000).toISOString()}`);
      expect(later.items.map((i) => i.action)).toEqual(['staff.roles.change']);
    });

    it('pages on the server: each page continues where the last one stopped', async () => {
      const all = await read('limit=500');
      const first = await read('limit=2');
      expect(first.items).toHaveLength(2);
      expect(first.nextBeforeId).not.toBeNull();
      const second = await read(`limit=2&beforeId=${first.nextBeforeId}`);
      expect([...first.items, ...second.items].map((i) => i.at + i.action)).toEqual(all.items.slice(0, 4).map((i) => i.at + i.action));
      const last = await read(`limit=${all.items.length}`);
      expect(last.nextBeforeId).toBeNull();
    });

    it('exports the whole filtered log as CSV with a UTF-8 byte order mark and Chinese action words', async () => {
      const response = await service.app.inject({
        method: 'GET',
        url: `/api/console/audit?format=csv&limit=1&from=${monday.toISOString()}`,
        headers: { cookie: auditor },
      });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
      expect(response.headers['content-disposition']).toMatch(/^attachment; filename="audit-.*\.csv"$/);
      const body = response.rawPayload;
      expect([...body.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
      const lines = body.toString('utf8').slice(1).trim().split('\r\n');
      expect(lines[0]).toBe('时间,操作人类型,操作人,操作人编号,操作,操作代码,对象类型,对象,对象编号,结果,IP');
      const all = await read(`limit=500&from=${monday.toISOString()}`);
      expect(all.items.length).toBeGreaterThan(1);
      // `limit` pages the JSON only: the export holds every matching entry.
      expect(lines).toHaveLength(all.items.length + 1);
      expect(lines.some((line) => line.includes('变更员工角色') && line.includes('Test zhang-admin'))).toBe(true);
    });

    it('lets only holders of audit.read read it', async () => {
      const clerk = await signInCookie(service, member);
      const response = await service.app.inject({ method: 'GET', url: '/api/console/audit?format=csv', headers: { cookie: clerk } });
      expect(response.statusCode).toBe(403);
    });
  });
});
