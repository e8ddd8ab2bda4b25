import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventConsumer } from '../../src/platform/events/consumers.js';
import { appendEvent } from '../../src/platform/events/outbox.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

describe('dead-lettered events in the console', () => {
  let service: TestService;

  beforeAll(async () => {
    service = await startTestService('pglite');
  });
  afterAll(() => service?.close());

  it('lists an event its consumer gave up on to staff who may read jobs, lets an administrator dismiss it (audited), and nobody else', async () => {
    const occurredAt = service.clock.now();
    await appendEvent(service.database.db, { type: 'test.poison', aggregateType: 'test', aggregateId: 'p-1', payload: {}, occurredAt });
    const consumer = new EventConsumer(service.database.db, 'test.fragile', { types: ['test.poison'], maxAttempts: 1 }, () =>
      Promise.reject(new Error('cannot parse the payload')),
    );
    expect(await consumer.consume(occurredAt)).toMatchObject({ deadLettered: 1 });

    const admin = await signInCookie(service, await addStaff(service, ['administrator']));
    const response = await service.app.inject({ method: 'GET', url: '/api/console/events/dead-letters', headers: { cookie: admin } });
    expect(response.statusCode).toBe(200);
    expect(response.json().items).toEqual([
      expect.objectContaining({
        consumer: 'test.fragile',
        eventType: 'test.poison',
        aggregateId: 'p-1',
        attempts: 1,
        lastError: 'cannot parse the payload',
      }),
    ]);

    // An administrator dismisses it: it leaves the list, and the audit log says who did.
    const { eventId } = response.json().items[0] as { eventId: number };
    const dismissal = `/api/console/events/dead-letters/test.fragile/${eventId}/dismissal`;
    expect((await service.app.inject({ method: 'POST', url: dismissal, headers: { cookie: admin } })).statusCode).toBe(204);
    expect(
      (await service.app.inject({ method: 'GET', url: '/api/console/events/dead-letters', headers: { cookie: admin } })).json().items,
    ).toEqual([]);
    const again = await service.app.inject({ method: 'POST', url: dismissal, headers: { cookie: admin } });
    expect(again.statusCode).toBe(404);
    expect(again.headers['content-type']).toMatch(/^application\/problem\+json/);
    const audit = await service.ctx.db.selectFrom('audit_log').selectAll().where('action', '=', 'events.dead-letter.dismiss').execute();
    expect(audit).toHaveLength(1);

    const clerk = await signInCookie(service, await addStaff(service, ['billing_clerk']));
    const refused = await service.app.inject({ method: 'GET', url: '/api/console/events/dead-letters', headers: { cookie: clerk } });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect((await service.app.inject({ method: 'POST', url: dismissal, headers: { cookie: clerk } })).statusCode).toBe(403);
  });
});
