import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAudit } from '../../src/audit/index.js';
import { SipAccountStore } from '../../src/calls/index.js';
import { activeSuspensions, callPolicy, SUSPENSION_CAUSES } from '../../src/entitlements/index.js';
import type { Role } from '../../src/staff/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

/** A one-page PDF as a court's order would arrive (only its first bytes are checked). */
const orderPdf = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n% (2026)京0105刑初123号\n%%EOF\n', 'latin1');
const pngEvidence = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('screenshot')]);

const AUTHORITY = '北京市朝阳区人民法院';
const CASE = '(2026)京0105刑初123号';

function orderBody(subscriberId: string, overrides: Record<string, unknown> = {}) {
  return {
    subscriberId,
    authority: AUTHORITY,
    caseNumber: CASE,
    legalBasis: '《刑事诉讼法》第一百四十三条',
    scope: 'all',
    endCallsInProgress: true,
    discloseToSubscriber: false,
    document: { contentType: 'application/pdf', base64: orderPdf.toString('base64') },
    ...overrides,
  };
}

describe.each(engines)('judicial orders and abuse reports on %s (clauses 10 and 3)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let legal: string;
    let legalId: string;
    let reviewer: string;
    let policy: ReturnType<typeof callPolicy>;
    let bob: ActiveSubscriber;

    const asLegal = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
      service.app.inject({ method, url, headers: { cookie: legal }, ...(payload === undefined ? {} : { payload: payload as object }) });
    const place = async (subscriberId: string, overrides: Record<string, unknown> = {}) => {
      const response = await asLegal('POST', '/api/console/legal/judicial-orders', orderBody(subscriberId, overrides));
      expect(response.statusCode, response.body).toBe(201);
      return response.json() as { id: string; status: string; from: string; until: string | null };
    };
    const auditOf = async (action: string, subscriberId: string) =>
      listAudit(service.ctx.db, { limit: 50, action, target: { type: 'subscriber', id: subscriberId } });

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2026-01-05T02:00:00Z', env: { VP_SUPPORT_CONTACT: '客服热线 400-123-4567' } });
      reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      const officer = await addStaff(service, ['legal_officer']);
      legalId = officer.id;
      legal = await signInCookie(service, officer);
      bob = await activeIndividual(service, reviewer, '鲍勃');
      // No cache: each question reads the rights entitlements wrote.
      policy = callPolicy(new SipAccountStore(service.ctx.db, service.config.sip.domain, 0));
    });
    afterAll(() => service?.close());

    it('only the legal officer (legal.orders) may place, list, read, download or lift an order, or touch abuse reports; every other role gets 403', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const order = await place(carol.id);
      const others: Role[] = [
        'administrator',
        'verification_reviewer',
        'billing_clerk',
        'billing_supervisor',
        'support_agent',
        'technician',
        'auditor',
      ];
      for (const role of others) {
        const cookie = await signInCookie(service, await addStaff(service, [role]));
        const requests = [
          { method: 'POST' as const, url: '/api/console/legal/judicial-orders', payload: orderBody(carol.id) },
          { method: 'GET' as const, url: '/api/console/legal/judicial-orders' },
          { method: 'GET' as const, url: `/api/console/legal/judicial-orders/${order.id}` },
          { method: 'GET' as const, url: `/api/console/legal/judicial-orders/${order.id}/document` },
          { method: 'POST' as const, url: `/api/console/legal/judicial-orders/${order.id}/lift`, payload: { reason: 'withdrawn' } },
          { method: 'GET' as const, url: '/api/console/legal/abuse-reports' },
          {
            method: 'POST' as const,
            url: '/api/console/legal/abuse-reports',
            payload: { subscriberId: carol.id, description: 'spam calls', evidence: [] },
          },
        ];
        for (const request of requests) {
          const response = await service.app.inject({ ...request, headers: { cookie } });
          expect([role, request.method, request.url, response.statusCode]).toEqual([role, request.method, request.url, 403]);
        }
      }
      // Nothing a refused role asked for happened: the one order is still in force.
      expect((await activeSuspensions(service.ctx.db, carol.id)).map((s) => s.cause)).toEqual(['judicial']);
      const anonymous = await service.app.inject({ method: 'GET', url: '/api/console/legal/judicial-orders' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('an order effective now suspends at once with the neutral refusal; placing, listing, viewing, downloading and lifting are each audited', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const at = service.clock.now();
      const order = await place(carol.id);
      expect(order.status).toBe('in-force');
      const neutral = SUSPENSION_CAUSES.judicial.refusal.en;
      expect(await policy.authorizeCall({ caller: carol.number, callee: bob.number, at })).toEqual({
        allow: false,
        status: 403,
        reason: `Caller account suspended: ${neutral}`,
      });
      expect(await policy.authorizeCall({ caller: bob.number, callee: carol.number, at })).toMatchObject({ allow: false, status: 480 });
      // Scope all: her phone cannot register either.
      expect(await policy.authorizeRegistration({ aor: carol.number, at })).toMatchObject({ allow: false, status: 403 });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toMatchObject([
        { cause: 'judicial', blocks: 'all', rentContinues: true, reference: order.id, reason: neutral },
      ]);

      const listed = await asLegal('GET', `/api/console/legal/judicial-orders?subscriberId=${carol.id}`);
      expect(listed.json().items).toMatchObject([{ id: order.id, authority: AUTHORITY, caseNumber: CASE, status: 'in-force' }]);
      const viewed = await asLegal('GET', `/api/console/legal/judicial-orders/${order.id}`);
      expect(viewed.json()).toMatchObject({ id: order.id, document: { contentType: 'application/pdf', sizeBytes: orderPdf.length } });
      const document = await asLegal('GET', `/api/console/legal/judicial-orders/${order.id}/document`);
      expect(document.headers['content-type']).toBe('application/pdf');
      expect(document.rawPayload.equals(orderPdf)).toBe(true);
      const lifted = await asLegal('POST', `/api/console/legal/judicial-orders/${order.id}/lift`, { reason: '法院解除冻结' });
      expect(lifted.json()).toMatchObject({ status: 'lifted', liftReason: '法院解除冻结' });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);
      expect(await policy.authorizeCall({ caller: carol.number, callee: bob.number, at })).toEqual({ allow: true });
      // Lifting twice is a conflict, not a second lift.
      expect((await asLegal('POST', `/api/console/legal/judicial-orders/${order.id}/lift`, { reason: 'again' })).statusCode).toBe(409);

      for (const action of [
        'legal.judicial-order.place',
        'legal.judicial-order.list',
        'legal.judicial-order.view',
        'legal.judicial-order.document.download',
        'legal.judicial-order.lift',
      ]) {
        const entries = await auditOf(action, carol.id);
        expect([action, entries.length]).toEqual([action, 1]);
        expect(entries[0]).toMatchObject({ actorType: 'staff', actorId: legalId });
        expect(JSON.stringify(entries[0]!.detail)).toContain(order.id);
      }
      // The document's bytes never enter the audit trail.
      const place_ = (await auditOf('legal.judicial-order.place', carol.id))[0]!;
      expect(JSON.stringify(place_)).not.toContain(orderPdf.toString('base64'));
    });

    it('bad input is a 4xx: a document that is not what it claims, an end before the start, an unknown subscriber', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const notPdf = await asLegal('POST', '/api/console/legal/judicial-orders', {
        ...orderBody(carol.id),
        document: { contentType: 'application/pdf', base64: Buffer.from('hello').toString('base64') },
      });
      expect(notPdf.statusCode).toBe(415);
      const backwards = await asLegal(
        'POST',
        '/api/console/legal/judicial-orders',
        orderBody(carol.id, { from: '2026-06-01T00:00:00Z', until: '2026-05-01T00:00:00Z' }),
      );
      expect(backwards.statusCode).toBe(400);
      expect(backwards.json().errors).toEqual([expect.objectContaining({ field: 'until' })]);
      const nobody = await asLegal('POST', '/api/console/legal/judicial-orders', orderBody('00000000-0000-4000-8000-000000000000'));
      expect(nobody.statusCode).toBe(404);
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);
    });

    it('an order for 10 minutes starting in 10 minutes is started and ended by the job (run twice, nothing changes twice)', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const start = new Date(service.clock.now().getTime() + 10 * 60_000);
      const end = new Date(start.getTime() + 10 * 60_000);
      const order = await place(carol.id, { from: start.toISOString(), until: end.toISOString() });
      expect(order.status).toBe('scheduled');
      await service.jobs.runOnce('legal.judicial-orders');
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);

      service.clock.set(start);
      expect(await service.jobs.runOnce('legal.judicial-orders')).toMatchObject({ status: 'ran', result: { applied: 1, ended: 0 } });
      expect(await service.jobs.runOnce('legal.judicial-orders')).toMatchObject({ status: 'ran', result: { applied: 0, ended: 0 } });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toMatchObject([{ cause: 'judicial', startedAt: start.toISOString() }]);
      expect(await policy.authorizeRegistration({ aor: carol.number, at: start })).toMatchObject({ allow: false, status: 403 });

      service.clock.set(end);
      expect(await service.jobs.runOnce('legal.judicial-orders')).toMatchObject({ status: 'ran', result: { applied: 0, ended: 1 } });
      expect(await service.jobs.runOnce('legal.judicial-orders')).toMatchObject({ status: 'ran', result: { applied: 0, ended: 0 } });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);
      expect(await policy.authorizeCall({ caller: carol.number, callee: bob.number, at: end })).toEqual({ allow: true });
      const viewed = await asLegal('GET', `/api/console/legal/judicial-orders/${order.id}`);
      expect(viewed.json()).toMatchObject({ status: 'ended', appliedAt: start.toISOString(), endedAt: end.toISOString() });
    });

    it('an order for outgoing calls keeps her registered and reachable: Bob can still call Carol', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const at = service.clock.now();
      const order = await place(carol.id, { scope: 'outgoing' });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toMatchObject([{ cause: 'judicial', blocks: 'outgoing' }]);
      expect(await policy.authorizeCall({ caller: carol.number, callee: bob.number, at })).toMatchObject({ allow: false, status: 403 });
      expect(await policy.authorizeCall({ caller: bob.number, callee: carol.number, at })).toEqual({ allow: true });
      expect(await policy.authorizeRegistration({ aor: carol.number, at })).toEqual({ allow: true });
      await asLegal('POST', `/api/console/legal/judicial-orders/${order.id}/lift`, { reason: 'withdrawn' });
    });

    it('what Carol reads in the portal is neutral with a contact; the order shows only when the officer allows it', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const hidden = await place(carol.id);
      const me = await service.app.inject({ method: 'GET', url: '/api/portal/me', headers: { cookie: carol.cookie } });
      expect(me.json().status).toBe('suspended');
      const seen = JSON.stringify(me.json());
      const restrictions = await service.app.inject({
        method: 'GET',
        url: '/api/portal/service-restrictions',
        headers: { cookie: carol.cookie },
      });
      expect(restrictions.json()).toEqual({
        supportContact: '客服热线 400-123-4567',
        notice: { en: 'Service suspended; please contact customer service', 'zh-CN': '服务已暂停，请联系客服' },
        disclosedOrders: [],
      });
      for (const text of [seen, restrictions.body]) {
        expect(text).not.toContain(AUTHORITY);
        expect(text).not.toContain(CASE);
        expect(text).not.toMatch(/法院|court|authority/i);
      }

      await place(carol.id, { discloseToSubscriber: true, caseNumber: '(2026)京0105执456号' });
      const disclosed = await service.app.inject({
        method: 'GET',
        url: '/api/portal/service-restrictions',
        headers: { cookie: carol.cookie },
      });
      expect(disclosed.json().disclosedOrders).toEqual([
        expect.objectContaining({ authority: AUTHORITY, caseNumber: '(2026)京0105执456号', scope: 'all' }),
      ]);
      expect(disclosed.body).not.toContain(CASE);
      // Lifting one order leaves the other's suspension in force.
      await asLegal('POST', `/api/console/legal/judicial-orders/${hidden.id}/lift`, { reason: 'withdrawn' });
      expect((await activeSuspensions(service.ctx.db, carol.id)).map((s) => s.cause)).toEqual(['judicial']);
    });

    it('an abuse report with evidence: decided "suspend" suspends with cause abuse (rent continues); lifting it restores; evidence reads are audited', async () => {
      const carol = await activeIndividual(service, reviewer, '卡罗尔');
      const created = await asLegal('POST', '/api/console/legal/abuse-reports', {
        number: carol.number,
        description: '用户利用本服务群发骚扰电话，多名用户投诉',
        evidence: [{ fileName: 'complaint.png', contentType: 'image/png', base64: pngEvidence.toString('base64') }],
      });
      expect(created.statusCode, created.body).toBe(201);
      const report = created.json() as { id: string; subscriberId: string; evidence: { id: string }[] };
      expect(report.subscriberId).toBe(carol.id);
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);

      const file = await asLegal('GET', `/api/console/legal/abuse-reports/${report.id}/evidence/${report.evidence[0]!.id}`);
      expect(file.rawPayload.equals(pngEvidence)).toBe(true);
      expect(await auditOf('legal.abuse-report.evidence.download', carol.id)).toHaveLength(1);

      const decided = await asLegal('POST', `/api/console/legal/abuse-reports/${report.id}/decision`, {
        decision: 'suspend',
        note: '证据确凿',
      });
      expect(decided.json()).toMatchObject({ decision: 'suspend', decidedBy: expect.any(String) });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toMatchObject([
        { cause: 'abuse', blocks: 'all', rentContinues: true, reference: report.id },
      ]);
      expect(
        (await asLegal('POST', `/api/console/legal/abuse-reports/${report.id}/decision`, { decision: 'dismiss', note: 'x1' })).statusCode,
      ).toBe(409);

      const lifted = await asLegal('POST', `/api/console/legal/abuse-reports/${report.id}/lift`, { reason: '已整改' });
      expect(lifted.json()).toMatchObject({ liftReason: '已整改' });
      expect(await activeSuspensions(service.ctx.db, carol.id)).toEqual([]);
      for (const action of ['legal.abuse-report.create', 'legal.abuse-report.suspend', 'legal.abuse-report.lift'])
        expect([action, (await auditOf(action, carol.id)).length]).toEqual([action, 1]);
    });
  });
});
