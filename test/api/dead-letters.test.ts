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

  it('lists an event its consumer gave up on to staff who may read jobs, and to nobody else', async () => {
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

    const clerk = await signInCookie(service, await addStaff(service, ['billing_clerk']));
    const refused = await service.app.inject({ method: 'GET', url: '/api/console/events/dead-letters', headers: { cookie: clerk } });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
  });
});
