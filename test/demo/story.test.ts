import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listNegotiationCases, pendingTermsChanges } from '../../src/agreements/index.js';
import { billBalances, dunningStageOf, ledgerOf } from '../../src/billing/index.js';
import { callHistory, qualityReportsOfCall } from '../../src/calls/index.js';
import { demoStoryState, loadDemo, tellDemoStory, type StoryFigures } from '../../src/demo/index.js';
import { castOfStory, type StoryRole } from '../../src/demo/story-cast.js';
import { disputesOfSubscriber } from '../../src/disputes/index.js';
import { activeSuspensions } from '../../src/entitlements/index.js';
import { numbersOfSubscriber } from '../../src/numbers/index.js';
import { subscriberByLogin } from '../../src/portal-auth/index.js';
import { getMaskedSubscriber, verificationQueue } from '../../src/subscribers/index.js';
import { startTestService, type TestService } from '../support/test-service.js';

/** The story ends here (Shanghai: 4 December 2026, 10:00); it began twelve months earlier. */
const END = new Date('2026-12-04T02:00:00Z');
const SIZE = 16;

describe('the demo story: a year of an operator, told through its own operations (issue #14)', () => {
  let service: TestService;
  let figures: StoryFigures;
  const idOf = async (role: StoryRole) => {
    const member = castOfStory(SIZE, service.ctx.settings).find((m) => m.role === role)!;
    const id = await subscriberByLogin(service.ctx, member.contactPhone);
    expect(id, `the subscriber who plays ${role}`).not.toBeNull();
    return id!;
  };

  beforeAll(async () => {
    const start = new Date(END);
    start.setUTCFullYear(start.getUTCFullYear() - 1);
    service = await startTestService('pglite', { start: start.toISOString() });
    expect(await demoStoryState(service.ctx)).toBe('absent');
    await loadDemo(service.ctx);
    figures = await tellDemoStory(service, { subscribers: SIZE, end: END });
  }, 600_000);
  afterAll(() => service?.close());

  it('ends at the given instant, with the subscribers who were signed up and the calls, bills and payments of the year', () => {
    expect(service.clock.now()).toEqual(END);
    expect(figures.subscribers).toBeGreaterThanOrEqual(SIZE - 3);
    expect(figures.calls).toBeGreaterThan(100);
    expect(figures.qualityReports).toBeGreaterThan(100);
    expect(figures.bills).toBeGreaterThan(100);
  });

  it('bills every month: an early subscriber has one regular bill for each month from January to November', async () => {
    const bills = await billBalances(service.ctx.db, await idOf('open-dispute'));
    expect(bills.filter((b) => b.kind === 'regular').map((b) => b.period)).toEqual(
      Array.from({ length: 11 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}-01`),
    );
  });

  it('has payments by every channel: at the desk, on the bank’s file and online through the simulator', async () => {
    const providers = new Set<string>();
    for (const member of castOfStory(SIZE, service.ctx.settings)) {
      const id = await subscriberByLogin(service.ctx, member.contactPhone);
      if (!id) continue;
      for (const line of await ledgerOf(service.ctx.db, id))
        if (line.kind === 'payment') providers.add((line.detail as { provider: string }).provider);
    }
    expect([...providers].sort()).toEqual(['bank', 'cashier', 'simulator']);
    expect(figures.payments.cashier).toBeGreaterThan(0);
    expect(figures.payments.bank).toBeGreaterThan(0);
    expect(figures.payments.online).toBeGreaterThan(0);
  });

  it('has one account overdue (warned, in service), one suspended for arrears, one terminated and in collections', async () => {
    const overdue = await idOf('overdue');
    expect(await dunningStageOf(service.ctx, overdue)).toMatchObject({ stage: 'current' });
    expect((await dunningStageOf(service.ctx, overdue)).overdueFen).toBeGreaterThan(0);
    expect(await activeSuspensions(service.ctx.db, overdue)).toEqual([]);

    const arrears = await idOf('arrears');
    expect((await dunningStageOf(service.ctx, arrears)).stage).toBe('suspended');
    expect((await activeSuspensions(service.ctx.db, arrears)).map((s) => s.cause)).toEqual(['overdue']);

    const collections = await idOf('collections');
    expect((await dunningStageOf(service.ctx, collections)).stage).toBe('terminated');
    expect((await getMaskedSubscriber(service.ctx, collections))?.status).toBe('terminated');

    // One lapsed mid-year, was suspended and paid: in service again.
    const restored = await idOf('restored');
    expect((await dunningStageOf(service.ctx, restored)).stage).toBe('current');
    expect((await getMaskedSubscriber(service.ctx, restored))?.status).toBe('active');
  });

  it('has a dispute still open, one answered with a credit, and one taken to negotiation', async () => {
    expect((await disputesOfSubscriber(service.ctx.db, await idOf('open-dispute'))).map((d) => d.status)).toEqual(['open']);
    expect((await disputesOfSubscriber(service.ctx.db, await idOf('credited-dispute')))[0]).toMatchObject({
      outcome: 'upheld',
      response: 'accepted',
    });
    const escalated = (await disputesOfSubscriber(service.ctx.db, await idOf('escalated-dispute')))[0]!;
    expect(escalated).toMatchObject({ outcome: 'rejected', response: 'escalated' });
    expect(escalated.negotiationCaseId).not.toBeNull();
  });

  it('has a terms change inside its objection window, two objections to it as negotiation cases', async () => {
    const quiet = await idOf('open-dispute');
    const [pending] = await pendingTermsChanges(service.ctx, quiet);
    expect(pending).toMatchObject({ version: 2 });
    expect(new Date(pending!.objectionDeadline).getTime()).toBeGreaterThan(END.getTime());
    const cases = await listNegotiationCases(service.ctx, { status: 'open', limit: 50 });
    expect(cases.length).toBeGreaterThanOrEqual(3);
  });

  it('has calls with the quality both ends reported', async () => {
    const numbers = await numbersOfSubscriber(service.ctx.db, await idOf('open-dispute'));
    const calls = await callHistory(service.ctx.db, numbers, 200);
    const answered = calls.filter((c) => c.status === 'completed');
    expect(answered.length).toBeGreaterThan(5);
    expect(calls.some((c) => c.status === 'failed' || c.status === 'cancelled')).toBe(true);
    const reports = await qualityReportsOfCall(service.ctx.db, answered[0]!.callId);
    expect(reports.map((r) => r.direction).sort()).toEqual(['incoming', 'outgoing']);
  });

  it('leaves applications in the verification queue: two waiting for a reviewer, one waiting for documents', async () => {
    const queue = await verificationQueue(service.ctx, 50);
    expect(queue.map((entry) => entry.status).sort()).toEqual(['applied', 'applied', 'documents_requested']);
  });

  it('is told once: the database now holds the story, so loading the demo again does not repeat it', async () => {
    expect(await demoStoryState(service.ctx)).toBe('loaded');
  });

  it('casts the same people the same way every time (seeded)', () => {
    expect(castOfStory(SIZE, service.ctx.settings)).toEqual(castOfStory(SIZE, service.ctx.settings));
    expect(
      castOfStory(40, service.ctx.settings)
        .slice(0, 10)
        .map((m) => m.fullName),
    ).toEqual(
      castOfStory(SIZE, service.ctx.settings)
        .slice(0, 10)
        .map((m) => m.fullName),
    );
  });
});
