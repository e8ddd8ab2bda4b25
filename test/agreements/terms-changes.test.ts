import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { objectionWindow } from '../../src/agreements/index.js';
import { available, engines } from '../support/engines.js';
import { activeIndividual, applyAsOrganisation, portalCookie, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

describe('the objection window (clause 15), counted on the operator’s calendar', () => {
  it('ends with the same day of the month one month later, in the operator’s time zone', () => {
    // 09:00 on 31 March in Shanghai: the last day is 30 April (April has no 31st), to its local midnight.
    expect(objectionWindow(new Date('2026-03-31T01:00:00Z'), 1, 'Asia/Shanghai')).toEqual({
      lastDayToObject: '2026-04-30',
      objectionDeadline: new Date('2026-04-30T16:00:00Z'),
    });
  });

  it('counts from the local date, not the UTC one', () => {
    // 17:00 UTC on 31 March is already 1 April in Shanghai.
    expect(objectionWindow(new Date('2026-03-31T17:00:00Z'), 1, 'Asia/Shanghai').lastDayToObject).toBe('2026-05-01');
    expect(objectionWindow(new Date('2026-03-31T17:00:00Z'), 1, 'UTC').lastDayToObject).toBe('2026-04-30');
  });

  it('clamps to the end of a shorter month and handles longer windows and leap years', () => {
    expect(objectionWindow(new Date('2028-01-31T04:00:00Z'), 1, 'Asia/Shanghai').lastDayToObject).toBe('2028-02-29');
    expect(objectionWindow(new Date('2026-11-30T04:00:00Z'), 3, 'Asia/Shanghai').lastDayToObject).toBe('2027-02-28');
    expect(objectionWindow(new Date('2026-12-15T04:00:00Z'), 1, 'Asia/Shanghai').objectionDeadline).toEqual(
      new Date('2027-01-15T16:00:00Z'),
    );
  });

  it('ends at local midnight across a daylight-saving change', () => {
    // New York moves to summer time on 8 March 2026: the window closes at 04:00 UTC, not 05:00.
    expect(objectionWindow(new Date('2026-02-10T15:00:00Z'), 1, 'America/New_York')).toEqual({
      lastDayToObject: '2026-03-10',
      objectionDeadline: new Date('2026-03-11T04:00:00Z'),
    });
  });
});

/**
 * The operator publishes version 2 on 31 March (Shanghai). Alice objects at 23:59:59 on 30 April,
 * the last day; Carol tries a second later and is refused; Bob accepts at once; Dave, suspended,
 * says nothing. Erin, whose service starts mid-window, gets her own window to 15 May. At each
 * deadline the job records the silent (Carol, Dave; then Erin) as accepting. Alice's
 * objection opens a case that support and Alice write in, and which ends in arbitration.
 */
describe.each(engines)('terms changes and negotiation cases (clauses 15, 16) on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let reviewer: string;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;
    let carol: ActiveSubscriber;
    let dave: ActiveSubscriber;
    let erin: ActiveSubscriber;
    let applicantId: string;
    let caseId: string;

    const publishedAt = '2026-03-31T01:00:00.000Z';
    const deadline = '2026-04-30T16:00:00.000Z';

    const staffCookie = async (role: 'administrator' | 'support_agent' | 'technician' | 'verification_reviewer') =>
      signInCookie(service, await addStaff(service, [role]));
    const inject = (method: 'GET' | 'POST', url: string, cookie: string, payload?: object) =>
      service.app.inject({ method, url, headers: { cookie }, ...(payload ? { payload } : {}) });
    const noticesOf = async () =>
      (
        await service.ctx.db
          .selectFrom('terms_change_notices')
          .select(['subscriber_id', 'response', 'responded_at', 'objection_deadline'])
          .where('version', '=', 2)
          .orderBy('subscriber_id')
          .execute()
      ).map((n) => ({
        subscriber: n.subscriber_id,
        response: n.response,
        respondedAt: n.responded_at?.toISOString() ?? null,
        deadline: n.objection_deadline.toISOString(),
      }));
    const runJob = async (at: string) => {
      const outcome = await service.jobs.runOnce('agreements.deemed-acceptance', new Date(at));
      if (outcome.status !== 'ran') throw new Error(`job did not run: ${JSON.stringify(outcome)}`);
      return outcome.result as { accepted: number };
    };

    beforeAll(async () => {
      service = await startTestService(engine);
      reviewer = await staffCookie('verification_reviewer');
      alice = await activeIndividual(service, reviewer, '艾丽丝');
      bob = await activeIndividual(service, reviewer, '鲍勃');
      carol = await activeIndividual(service, reviewer, '卡罗尔');
      dave = await activeIndividual(service, reviewer, '戴夫');
      const suspended = await inject('POST', `/api/console/subscribers/${dave.id}/verification`, reviewer, {
        decision: 'suspend-false-data',
        reason: 'Address does not exist',
      });
      expect(suspended.statusCode).toBe(200);
      applicantId = await applyAsOrganisation(service, '未审核示例有限公司');
    });
    afterAll(() => service?.close());

    it('refuses publication to a role without the permission, a version without a text, and an early effective date', async () => {
      service.clock.set(publishedAt);
      const technician = await staffCookie('technician');
      const refused = await inject('POST', '/api/console/agreement-versions', technician, { version: 2, summary: 'x' });
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({ code: 'forbidden', permission: 'agreements.publish' });

      const admin = await staffCookie('administrator');
      const noText = await inject('POST', '/api/console/agreement-versions', admin, { version: 3, summary: 'Nothing written yet' });
      expect(noText.statusCode).toBe(400);
      expect(noText.json().errors).toEqual([expect.objectContaining({ field: 'version', message: 'no text for this version' })]);

      const notNext = await inject('POST', '/api/console/agreement-versions', admin, { version: 1, summary: 'Again' });
      expect(notNext.statusCode).toBe(409);

      const early = await inject('POST', '/api/console/agreement-versions', admin, {
        version: 2,
        summary: 'Too soon',
        effectiveAt: '2026-04-30T15:59:59Z',
      });
      expect(early.statusCode).toBe(400);
      expect(early.json().errors[0].field).toBe('effectiveAt');
      expect(await service.ctx.db.selectFrom('agreement_versions').select('version').execute()).toEqual([{ version: 1 }]);
    });

    it('publishing version 2 notifies every active or suspended subscriber, with an event each, and audits it', async () => {
      const admin = await staffCookie('administrator');
      const at = service.clock.now().toISOString();
      const published = await inject('POST', '/api/console/agreement-versions', admin, {
        version: 2,
        summary: 'Clause 15 says where and by when to object; clause 16 describes negotiation cases',
      });
      expect(published.statusCode).toBe(201);
      expect(published.json()).toEqual({
        version: 2,
        summary: 'Clause 15 says where and by when to object; clause 16 describes negotiation cases',
        publishedAt: at,
        effectiveAt: deadline,
        lastDayToObject: '2026-04-30',
        objectionDeadline: deadline,
        notified: 4,
      });

      const notified = (await noticesOf()).map((n) => n.subscriber);
      expect(notified).toEqual([alice.id, bob.id, carol.id, dave.id].sort());
      expect(notified).not.toContain(applicantId);
      const events = await service.ctx.db
        .selectFrom('outbox_events')
        .select('aggregate_id')
        .where('event_type', '=', 'agreement.terms-change-notified')
        .execute();
      expect(events.map((e) => e.aggregate_id).sort()).toEqual(notified);
      const audit = await service.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'agreement.version.publish').execute();
      expect(audit).toHaveLength(1);
      expect(audit[0]!.target_id).toBe('2');

      // Until the new version takes effect, the one in force stays version 1.
      const current = await service.app.inject({ method: 'GET', url: '/api/agreements/current?lang=en' });
      expect(current.json().version).toBe(1);
    });

    it('shows each subscriber the pending change with the last day to object', async () => {
      const notices = await inject('GET', '/api/portal/terms-changes', alice.cookie);
      expect(notices.statusCode).toBe(200);
      expect(notices.json().termsChanges).toEqual([
        expect.objectContaining({ version: 2, effectiveAt: deadline, lastDayToObject: '2026-04-30', objectionDeadline: deadline }),
      ]);
    });

    it('Bob accepts explicitly, once', async () => {
      const accepted = await inject('POST', '/api/portal/agreement-versions/2/acceptance', bob.cookie);
      expect(accepted.statusCode).toBe(200);
      expect(accepted.json()).toMatchObject({ version: 2, response: 'accepted' });
      const again = await inject('POST', '/api/portal/agreement-versions/2/objection', bob.cookie, { reason: 'Changed my mind' });
      expect(again.statusCode).toBe(409);
      expect((await inject('GET', '/api/portal/terms-changes', bob.cookie)).json().termsChanges).toEqual([]);
    });

    it('Erin, whose service starts on 15 April while version 2 is pending, is told of it with her own window', async () => {
      service.clock.set('2026-04-15T02:00:00.000Z');
      erin = await activeIndividual(service, await staffCookie('verification_reviewer'), '艾琳');
      const signed = await service.ctx.db
        .selectFrom('agreement_signatures')
        .select('version')
        .where('subscriber_id', '=', erin.id)
        .execute();
      expect(signed).toEqual([{ version: 1 }]);
      const notices = (await inject('GET', '/api/portal/terms-changes', erin.cookie)).json().termsChanges;
      expect(notices).toEqual([
        expect.objectContaining({
          version: 2,
          effectiveAt: deadline,
          lastDayToObject: '2026-05-15',
          objectionDeadline: '2026-05-15T16:00:00.000Z',
        }),
      ]);
    });

    it('Alice objects at 23:59:59 on the last day: accepted, and a negotiation case opens with her reason', async () => {
      service.clock.set('2026-04-30T15:59:59.000Z'); // 23:59:59 on 30 April in Shanghai
      alice.cookie = await portalCookie(service, alice.phone);
      const objected = await inject('POST', '/api/portal/agreement-versions/2/objection', alice.cookie, {
        reason: 'I want the objection to be possible by telephone too',
      });
      expect(objected.statusCode).toBe(201);
      const opened = objected.json();
      caseId = opened.id;
      expect(opened).toMatchObject({
        subscriberId: alice.id,
        subject: 'terms-change',
        version: 2,
        status: 'open',
        openedAt: '2026-04-30T15:59:59.000Z',
        resolvedAt: null,
        entries: [
          {
            authorType: 'subscriber',
            authorId: alice.id,
            authorName: null,
            at: '2026-04-30T15:59:59.000Z',
            text: 'I want the objection to be possible by telephone too',
          },
        ],
      });
      expect((await noticesOf()).find((n) => n.subscriber === alice.id)).toMatchObject({ response: 'objected' });
    });

    it('Carol objects one second later, on the day after: refused with a clear problem', async () => {
      service.clock.set(deadline); // 00:00 on 1 May in Shanghai
      carol.cookie = await portalCookie(service, carol.phone);
      const late = await inject('POST', '/api/portal/agreement-versions/2/objection', carol.cookie, { reason: 'Too late?' });
      expect(late.statusCode).toBe(409);
      expect(late.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(late.json()).toMatchObject({
        code: 'objection-window-closed',
        lastDayToObject: '2026-04-30',
        objectionDeadline: deadline,
      });
      expect(late.json().detail).toContain('2026-04-30');
      const acceptLate = await inject('POST', '/api/portal/agreement-versions/2/acceptance', carol.cookie);
      expect(acceptLate.json().code).toBe('objection-window-closed');
      expect((await inject('GET', '/api/portal/terms-changes', carol.cookie)).json().termsChanges).toEqual([]);
      expect(await service.ctx.db.selectFrom('negotiation_cases').select('subscriber_id').execute()).toEqual([{ subscriber_id: alice.id }]);
    });

    it('the job records silence as acceptance at each deadline, never overrides an answer, and changes nothing when run again', async () => {
      const answered = { [alice.id]: 'objected', [bob.id]: 'accepted' } as Record<string, string>;
      const before = await noticesOf();
      /** What the notices must say once the job has advanced to `latest`: a pure function of the facts. */
      const expected = (latest: number) =>
        before.map((n) =>
          answered[n.subscriber]
            ? n
            : latest >= Date.parse(n.deadline)
              ? { ...n, response: 'accepted-by-silence', respondedAt: n.deadline }
              : { ...n, response: null, respondedAt: null },
        );
      const instants = [
        '2026-04-30T15:59:59.999Z',
        '2026-04-30T15:59:59.999Z',
        deadline,
        deadline,
        '2026-05-31T00:00:00.000Z',
        '2026-04-01T00:00:00.000Z',
        deadline,
      ];
      let latest = 0;
      const acceptedPerRun: number[] = [];
      for (const instant of instants) {
        acceptedPerRun.push((await runJob(instant)).accepted);
        latest = Math.max(latest, Date.parse(instant));
        expect(await noticesOf()).toEqual(expected(latest));
      }
      // Carol and Dave at the common deadline; Erin at hers, on 15 May.
      expect(acceptedPerRun).toEqual([0, 0, 2, 0, 1, 0, 0]);
      expect((await noticesOf()).filter((n) => n.response === 'accepted-by-silence').map((n) => n.subscriber)).toEqual(
        [carol.id, dave.id, erin.id].sort(),
      );
      const events = await service.ctx.db
        .selectFrom('outbox_events')
        .select(['aggregate_id', 'occurred_at'])
        .where('event_type', '=', 'agreement.terms-change-accepted-by-silence')
        .execute();
      expect(events).toHaveLength(3);
      expect(events.find((e) => e.aggregate_id === carol.id)!.occurred_at.toISOString()).toBe(deadline);
      expect(events.find((e) => e.aggregate_id === erin.id)!.occurred_at.toISOString()).toBe('2026-05-15T16:00:00.000Z');

      // The window is over: version 2 is now the agreement in force.
      const current = await service.app.inject({ method: 'GET', url: '/api/agreements/current?lang=zh-CN' });
      expect(current.json()).toMatchObject({ version: 2, effectiveAt: deadline });
      expect(current.json().text).toContain('（第2版）');
    });

    it('the console lists versions with how subscribers answered', async () => {
      const admin = await staffCookie('administrator');
      const listed = await inject('GET', '/api/console/agreement-versions', admin);
      expect(listed.statusCode).toBe(200);
      expect(listed.json().versions.map((v: { version: number }) => v.version)).toEqual([2, 1]);
      expect(listed.json().versions[0].counts).toEqual({ notified: 5, pending: 0, objected: 1, accepted: 1, acceptedBySilence: 3 });
    });

    it('support and Alice write in the case; it is escalated to the arbitration body and then takes no more entries', async () => {
      service.clock.advance({ days: 1 });
      const support = await staffCookie('support_agent');
      const admin = await staffCookie('administrator');
      expect((await inject('GET', '/api/console/negotiation-cases', admin)).statusCode).toBe(403);

      const queue = await inject('GET', '/api/console/negotiation-cases?status=open', support);
      expect(queue.statusCode).toBe(200);
      expect(queue.json().cases).toEqual([expect.objectContaining({ id: caseId, subscriberId: alice.id, status: 'open', entryCount: 1 })]);

      const answer = await inject('POST', `/api/console/negotiation-cases/${caseId}/entries`, support, {
        text: 'Objections are taken in the portal or in writing; we can take yours by letter.',
      });
      expect(answer.statusCode).toBe(201);
      expect(answer.json()).toMatchObject({ authorType: 'staff', authorName: expect.stringMatching(/^support-agent-/) });

      alice.cookie = await portalCookie(service, alice.phone);
      const reply = await inject('POST', `/api/portal/negotiation-cases/${caseId}/entries`, alice.cookie, {
        text: 'Not good enough: I will take it to arbitration.',
      });
      expect(reply.statusCode).toBe(201);
      expect(reply.json()).toMatchObject({ authorType: 'subscriber', authorId: alice.id });

      bob.cookie = await portalCookie(service, bob.phone);
      const intruder = await inject('POST', `/api/portal/negotiation-cases/${caseId}/entries`, bob.cookie, { text: 'Me too' });
      expect(intruder.statusCode).toBe(404);
      expect((await inject('GET', '/api/portal/negotiation-cases', bob.cookie)).json().cases).toEqual([]);

      const escalated = await inject('POST', `/api/console/negotiation-cases/${caseId}/resolution`, support, {
        outcome: 'escalated-to-arbitration',
        text: 'The subscriber takes the dispute to arbitration.',
      });
      expect(escalated.statusCode).toBe(200);
      expect(escalated.json()).toMatchObject({
        status: 'escalated-to-arbitration',
        arbitrationBody: service.ctx.settings.arbitrationBody,
        outcome: 'The subscriber takes the dispute to arbitration.',
        resolvedAt: service.clock.now().toISOString(),
      });

      const history = (await inject('GET', `/api/console/negotiation-cases/${caseId}`, support)).json().entries;
      expect(history.map((e: { authorType: string }) => e.authorType)).toEqual(['subscriber', 'staff', 'subscriber', 'staff']);

      const mine = (await inject('GET', '/api/portal/negotiation-cases', alice.cookie)).json().cases;
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({
        id: caseId,
        status: 'escalated-to-arbitration',
        arbitrationBody: service.ctx.settings.arbitrationBody,
      });
      expect(mine[0].entries).toHaveLength(4);

      const afterwards = await inject('POST', `/api/portal/negotiation-cases/${caseId}/entries`, alice.cookie, { text: 'One more thing' });
      expect(afterwards.statusCode).toBe(409);
      const twice = await inject('POST', `/api/console/negotiation-cases/${caseId}/resolution`, support, {
        outcome: 'resolved',
        text: 'x',
      });
      expect(twice.statusCode).toBe(409);

      expect((await inject('GET', '/api/console/negotiation-cases?status=open', support)).json().cases).toEqual([]);
      expect((await inject('GET', '/api/console/negotiation-cases?status=escalated-to-arbitration', support)).json().cases).toHaveLength(1);
      const audit = await service.ctx.db.selectFrom('audit_log').select('action').where('target_id', '=', caseId).execute();
      expect(audit.map((a) => a.action)).toEqual(['agreement.terms-change.object', 'negotiation.case.escalate']);
    });

    it('a case’s history cannot be rewritten', async () => {
      await expect(sql`update negotiation_case_entries set text = 'rewritten'`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from negotiation_case_entries`.execute(service.ctx.db)).rejects.toThrow(/append-only/);
    });
  });
});
