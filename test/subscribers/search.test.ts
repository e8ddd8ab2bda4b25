import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { classifyQuery } from '../../src/search/index.js';
import { createSubscriberWithIdentity, indexSearchTokens, type IdentityData } from '../../src/subscribers/index.js';
import { available, engines } from '../support/engines.js';
import { addStaff, signInCookie, startTestService, type TestService } from '../support/test-service.js';

const zhang: IdentityData = {
  fullName: '张伟民',
  birthDate: '1949-12-31',
  address: '北京市朝阳区建国路88号',
  idType: 'prc_resident_id',
  idNumber: '11010519491231002X',
  contactPhone: '+8613800138000',
};
const wang: IdentityData = {
  fullName: '王伟',
  birthDate: '1980-01-01',
  address: '福建省福州市鼓楼区1号',
  idType: 'prc_resident_id',
  idNumber: '350102198001015678',
  contactPhone: '+8613900139000',
};
/** Holds every trigram a search for "harbour" looks up (har, bou, our), but not the word. */
const bourne: IdentityData = {
  fullName: 'Charles Bourne',
  birthDate: '1970-05-05',
  address: '福建省福州市仓山区3号',
  idType: 'prc_resident_id',
  idNumber: '350104197005051111',
  contactPhone: '+8613700137000',
};
const harbour: IdentityData = {
  legalName: 'Fuzhou Harbour Trading Co.',
  creditCode: '91350100M000100Y43',
  address: '福建省福州市马尾区2号',
  contactName: 'Li Na',
  contactPhone: '+8659187654321',
};

interface Hit {
  kind: string;
  subscriberId: string;
  billId: string | null;
  maskedName: string | null;
  number: string | null;
  matchedBy: string;
}

describe('a search query', () => {
  it('is classified before any lookup: identifiers, digits (with the X of an ID), names', () => {
    expect(classifyQuery('7100000')).toMatchObject({ kind: 'digits', digits: '7100000', lastFour: null });
    expect(classifyQuery(' 002x ')).toMatchObject({ kind: 'digits', digits: '', lastFour: '002X' });
    expect(classifyQuery('+86 138-0013-8000')).toMatchObject({ kind: 'digits', digits: '8613800138000' });
    expect(classifyQuery('０１２３')).toMatchObject({ kind: 'digits', lastFour: '0123' });
    expect(classifyQuery('0y43')).toMatchObject({ kind: 'digits', digits: '', lastFour: '0Y43' });
    expect(classifyQuery('张伟')).toEqual({ kind: 'name', text: '张伟' });
    expect(classifyQuery('Harbour')).toEqual({ kind: 'name', text: 'Harbour' });
    expect(classifyQuery('0F8FAD5B-D9CB-469F-A165-70867728950E')).toEqual({ kind: 'id', id: '0f8fad5b-d9cb-469f-a165-70867728950e' });
    expect(classifyQuery('  ')).toEqual({ kind: 'none' });
    expect(classifyQuery('%%')).toEqual({ kind: 'none' });
  });
});

describe.each(engines)('searching subscribers on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    const ids: Record<'zhang' | 'wang' | 'harbour' | 'bourne', string> = { zhang: '', wang: '', harbour: '', bourne: '' };
    const billId = randomUUID();
    let clerkCookie: string;
    let supportCookie: string;
    let reviewerCookie: string;
    let technicianCookie: string;

    async function create(kind: 'individual' | 'organisation', identity: IdentityData): Promise<string> {
      const idType = kind === 'individual' ? identity.idType! : 'unified_social_credit_code';
      const idNumber = kind === 'individual' ? identity.idNumber! : identity.creditCode!;
      const result = await createSubscriberWithIdentity(
        service.ctx,
        { kind, identity, idType, idNumber },
        { type: 'anonymous', id: null, name: null },
      );
      if (!result.ok) throw new Error(result.failure.message);
      return result.value.id;
    }

    async function search(q: string, cookie = clerkCookie) {
      const response = await service.app.inject({
        method: 'GET',
        url: `/api/console/search?q=${encodeURIComponent(q)}`,
        headers: { cookie },
      });
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { classifiedAs: string; results: Hit[] };
    }

    async function found(q: string, cookie = clerkCookie): Promise<string[]> {
      const names = new Map(Object.entries(ids).map(([name, id]) => [id, name]));
      return (await search(q, cookie)).results.map((hit) => `${names.get(hit.subscriberId)} by ${hit.matchedBy}`);
    }

    beforeAll(async () => {
      service = await startTestService(engine);
      ids.zhang = await create('individual', zhang);
      ids.wang = await create('individual', wang);
      ids.harbour = await create('organisation', harbour);
      ids.bourne = await create('individual', bourne);
      const now = service.clock.now();
      // Numbers, the account and a bill as the numbers and billing modules would hold them.
      await sql`insert into numbers (number, subscriber_id, status, assigned_at, updated_at)
        values ('7100000', ${ids.zhang}, 'assigned', ${now}, ${now}), ('7100001', ${ids.wang}, 'assigned', ${now}, ${now}),
               ('7100009', null, 'free', null, ${now})`.execute(service.ctx.db);
      await sql`insert into billing_accounts (subscriber_id, plan_id, service_start, created_at, updated_at)
        values (${ids.wang}, ${randomUUID()}, '2026-11-01', ${now}, ${now})`.execute(service.ctx.db);
      await sql`insert into bills (id, subscriber_id, period, kind, issue_date, due_date, issued_at, total_fen, late_fee_fen, principal_fen)
        values (${billId}, ${ids.wang}, '2026-11-01', 'regular', '2026-12-01', '2026-12-20', ${now}, 4900, 0, 4900)`.execute(
        service.ctx.db,
      );
      clerkCookie = await signInCookie(service, await addStaff(service, ['billing_clerk']));
      supportCookie = await signInCookie(service, await addStaff(service, ['support_agent']));
      reviewerCookie = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
      technicianCookie = await signInCookie(service, await addStaff(service, ['technician']));
    });
    afterAll(() => service?.close());

    it('finds a videophone number, whole or by its start, with the masked name and status', async () => {
      const { classifiedAs, results } = await search('7100000');
      expect(classifiedAs).toBe('digits');
      expect(results).toEqual([
        {
          kind: 'subscriber',
          subscriberId: ids.zhang,
          billId: null,
          billPeriod: null,
          maskedName: '张**',
          number: '7100000',
          status: 'applied',
          subscriberKind: 'individual',
          matchedBy: 'number',
        },
      ]);
      expect(await found('710000')).toEqual(['zhang by number', 'wang by number']);
      expect(await found('7100009')).toEqual([]);
    });

    it('finds a Chinese name whole or in part, and nothing for a near miss', async () => {
      expect(await found('张伟民')).toEqual(['zhang by name']);
      expect(await found('伟民')).toEqual(['zhang by name']);
      expect(await found('张')).toEqual(['zhang by name']);
      expect((await found('伟')).sort()).toEqual(['wang by name', 'zhang by name']);
      expect(await found('王伟')).toEqual(['wang by name']);
      expect(await found('张民')).toEqual([]); // both characters are there, but not side by side
      expect(await found('张伟明')).toEqual([]);
    });

    it('finds a Latin name in part, case and width folded, and nothing for a near miss', async () => {
      expect(await found('harbour')).toEqual(['harbour by name']);
      expect(await found('HARB')).toEqual(['harbour by name']);
      expect(await found('ｈａｒｂｏｕｒ trading')).toEqual(['harbour by name']);
      expect(await found('li')).toEqual(['harbour by name']); // the contact's two-letter surname, as a whole word
      expect(await found('bourn')).toEqual(['bourne by name']);
      expect(await found('harbor')).toEqual([]);
      expect(await found('trading harbourx')).toEqual([]);
    });

    it('finds a contact phone however it is written, and only that one', async () => {
      expect(await found('138 0013 8000')).toEqual(['zhang by contact-phone']);
      expect(await found('+86 138-0013-8000')).toEqual(['zhang by contact-phone']);
      expect(await found('0591-87654321')).toEqual(['harbour by contact-phone']);
      expect(await found('13800138001')).toEqual([]);
    });

    it('finds the last four of an ID number, the check character in either case', async () => {
      expect(await found('002X')).toEqual(['zhang by id-last-four']);
      expect(await found('002x')).toEqual(['zhang by id-last-four']);
      expect(await found('5678')).toEqual(['wang by id-last-four']);
      expect(await found('0Y43')).toEqual(['harbour by id-last-four']);
      expect(await found('0021')).toEqual([]);
    });

    it('finds an account or a bill for billing readers only', async () => {
      expect(await found(ids.wang)).toEqual(['wang by account']);
      const bill = await search(billId.toUpperCase());
      expect(bill.results).toMatchObject([{ kind: 'bill', subscriberId: ids.wang, billId, billPeriod: '2026-11-01', matchedBy: 'bill' }]);
      expect(await found(billId, supportCookie)).toEqual(['wang by bill']);
      // The reviewer reads subscribers but not billing: the same queries find nothing.
      expect(await found(ids.wang, reviewerCookie)).toEqual([]);
      expect(await found(billId, reviewerCookie)).toEqual([]);
      expect(await found('王伟', reviewerCookie)).toEqual(['wang by name']);
    });

    it('is refused to staff who may not read subscribers, and to no one signed in', async () => {
      const technician = await service.app.inject({
        method: 'GET',
        url: '/api/console/search?q=7100000',
        headers: { cookie: technicianCookie },
      });
      expect(technician.statusCode).toBe(403);
      const anonymous = await service.app.inject({ method: 'GET', url: '/api/console/search?q=7100000' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('stores tokens that reveal no name, phone or ID digits', async () => {
      const raw = await sql<{
        row: string;
      }>`select row_to_json(subscriber_search_tokens)::text as row from subscriber_search_tokens`.execute(service.ctx.db);
      expect(raw.rows.length).toBeGreaterThan(20);
      const text = raw.rows.map((r) => r.row).join('\n');
      for (const char of [...'张伟民王']) expect(text).not.toContain(char);
      for (const value of ['002X', '5678', '0Y43', '13800138000', '87654321', 'harb', 'Harb', 'trad', '"li"', 'Li N']) {
        expect(text).not.toContain(value);
      }
    });

    it('indexes identities written before search existed, once', async () => {
      await sql`delete from subscriber_search_tokens where subscriber_id = ${ids.harbour}`.execute(service.ctx.db);
      await sql`update subscriber_identities set search_tokens_version = 0 where subscriber_id = ${ids.harbour}`.execute(service.ctx.db);
      expect(await found('harbour')).toEqual([]);
      expect(await indexSearchTokens(service.ctx)).toEqual({ indexed: 1 });
      expect(await indexSearchTokens(service.ctx)).toEqual({ indexed: 0 });
      expect(await found('harbour')).toEqual(['harbour by name']);
      expect(await found('0Y43')).toEqual(['harbour by id-last-four']);
    });
  });
});
