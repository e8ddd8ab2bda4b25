import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { available, engines } from '../support/engines.js';
import { activeIndividual, type ActiveSubscriber } from '../support/subscribers.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

describe.each(engines)('softphone contacts API on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: ActiveSubscriber;
    let bob: ActiveSubscriber;

    beforeAll(async () => {
      service = await startTestService(engine);
      const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      alice = await activeIndividual(service, reviewer, '王爱丽');
      bob = await activeIndividual(service, reviewer, '李博');
    }, 60_000);
    afterAll(() => service?.close());

    const request = (who: ActiveSubscriber | null, method: 'GET' | 'POST' | 'PATCH' | 'DELETE', url: string, payload?: object) =>
      service.app.inject({ method, url, ...(who ? { headers: { cookie: who.cookie } } : {}), ...(payload ? { payload } : {}) });

    it('adds, lists favourites first, edits and deletes a subscriber’s own contacts', async () => {
      const carol = await request(alice, 'POST', '/api/portal/contacts', { name: ' 陈卡萝 ', number: '70030' });
      expect(carol.statusCode).toBe(201);
      expect(carol.json()).toMatchObject({ name: '陈卡萝', number: '70030', favourite: false });
      const bobEntry = await request(alice, 'POST', '/api/portal/contacts', { name: 'Bob', number: bob.number, favourite: true });
      expect(bobEntry.statusCode).toBe(201);

      const listed = await request(alice, 'GET', '/api/portal/contacts');
      expect(listed.statusCode).toBe(200);
      expect(listed.json().contacts.map((c: { name: string }) => c.name)).toEqual(['Bob', '陈卡萝']);

      const edited = await request(alice, 'PATCH', `/api/portal/contacts/${carol.json().id}`, { name: 'Carol', favourite: true });
      expect(edited.statusCode).toBe(200);
      expect(edited.json()).toMatchObject({ name: 'Carol', number: '70030', favourite: true });

      expect((await request(alice, 'DELETE', `/api/portal/contacts/${carol.json().id}`)).statusCode).toBe(204);
      expect((await request(alice, 'GET', '/api/portal/contacts')).json().contacts).toHaveLength(1);
      expect((await request(alice, 'DELETE', `/api/portal/contacts/${carol.json().id}`)).statusCode).toBe(404);
    });

    it("answers 404 for another subscriber's contact, and never lists it", async () => {
      const mine = await request(bob, 'POST', '/api/portal/contacts', { name: 'Dora', number: '7004000' });
      expect(mine.statusCode).toBe(201);
      const id = mine.json().id as string;
      expect((await request(alice, 'PATCH', `/api/portal/contacts/${id}`, { name: 'Mallory' })).statusCode).toBe(404);
      expect((await request(alice, 'DELETE', `/api/portal/contacts/${id}`)).statusCode).toBe(404);
      expect((await request(alice, 'PATCH', '/api/portal/contacts/not-a-uuid', { name: 'x' })).statusCode).toBe(404);
      const alicesList = (await request(alice, 'GET', '/api/portal/contacts')).json().contacts as { number: string }[];
      expect(alicesList.map((c) => c.number)).not.toContain('7004000');
      // Bob's entry is untouched, and the same number may be in Alice's contacts too.
      expect((await request(bob, 'GET', '/api/portal/contacts')).json().contacts).toMatchObject([{ name: 'Dora' }]);
      expect((await request(alice, 'POST', '/api/portal/contacts', { name: 'Dora', number: '7004000' })).statusCode).toBe(201);
    });

    it('refuses a number already in the contacts with 409, on add and on edit', async () => {
      const first = await request(bob, 'POST', '/api/portal/contacts', { name: 'Eve', number: '700500' });
      expect(first.statusCode).toBe(201);
      const again = await request(bob, 'POST', '/api/portal/contacts', { name: 'Eve again', number: '700500' });
      expect(again.statusCode).toBe(409);
      expect(again.headers['content-type']).toMatch(/application\/problem\+json/);
      const other = await request(bob, 'POST', '/api/portal/contacts', { name: 'Frank', number: '700600' });
      const clash = await request(bob, 'PATCH', `/api/portal/contacts/${other.json().id}`, { number: '700500' });
      expect(clash.statusCode).toBe(409);
    });

    it('answers 400 problem+json with field errors for bad input, and 401 when signed out', async () => {
      const cases: [object, string][] = [
        [{ name: '', number: '700700' }, '/body/name'],
        [{ name: 'x'.repeat(61), number: '700700' }, '/body/name'],
        [{ name: 'Gus', number: '12' }, '/body/number'],
        [{ name: 'Gus', number: '1234567890123456' }, '/body/number'],
        [{ name: 'Gus', number: '70-07' }, '/body/number'],
        [{ number: '700700' }, '/body/name'],
      ];
      for (const [payload, field] of cases) {
        const response = await request(alice, 'POST', '/api/portal/contacts', payload);
        expect(response.statusCode, JSON.stringify(payload)).toBe(400);
        expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(response.json().errors.map((error: { pointer: string }) => error.pointer)).toContain(field);
      }
      const id = (await request(alice, 'GET', '/api/portal/contacts')).json().contacts[0].id as string;
      const badPatch = await request(alice, 'PATCH', `/api/portal/contacts/${id}`, { number: 'abc' });
      expect(badPatch.statusCode).toBe(400);
      expect(badPatch.json().errors.map((error: { pointer: string }) => error.pointer)).toContain('/body/number');
      expect((await request(null, 'GET', '/api/portal/contacts')).statusCode).toBe(401);
    });
  });
});
