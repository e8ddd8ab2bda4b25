import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionSipAccounts, setSipAccountStatus, SipAccountStore } from '../../src/calls/index.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { migrations } from '../../src/migrations.js';
import { openTestDatabase } from '../support/engines.js';

const realm = 'vp.test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('SIP account cache: stale-while-revalidate for known accounts', () => {
  let database: DatabaseHandle;
  const now = new Date('2026-07-01T10:00:00Z');

  beforeAll(async () => {
    database = await openTestDatabase('pglite', { migrated: true });
    await migrateToLatest(database.db, migrations);
    await provisionSipAccounts(
      database.db,
      realm,
      ['7001', '7002', '7003', '7004'].map((number) => ({ number, password: `secret-${number}` })),
      now,
    );
  });
  afterAll(() => database?.close());

  /** The database with every statement counted (`statements()`), for a store to read through. */
  const counted = () => {
    let count = 0;
    const db = database.db.withPlugin({
      transformQuery(args) {
        count += 1;
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    return { db, statements: () => count };
  };

  it('answers a known account past its TTL from the cache once, reads it again behind that request, and the next request sees the change', async () => {
    const store = new SipAccountStore(database.db, realm, 50, 60_000, 60_000);
    expect((await store.find('7001'))?.status).toBe('active');
    await setSipAccountStatus(database.db, '7001', 'suspended', 'unpaid bill', now); // not announced
    await sleep(80);
    // Past the TTL: this request is answered with what was known...
    expect((await store.find('7001'))?.status).toBe('active');
    // ...and the account is read again behind it, so a following request sees the suspension.
    await expect.poll(async () => (await store.find('7001'))?.status).toBe('suspended');
  });

  it('puts the re-reads of many numbers in one statement and asks each number once, however often it is requested', async () => {
    const { db: counting, statements } = counted();
    const store = new SipAccountStore(counting, realm, 50, 60_000, 60_000);
    await Promise.all(['7002', '7003', '7004'].map((number) => store.find(number)));
    expect(statements()).toBe(1);
    await sleep(80);
    // One after the other, each answered before the next is asked (a request waiting for the
    // database would cost a statement of its own), several times over.
    for (let round = 0; round < 3; round += 1) for (const number of ['7002', '7003', '7004']) await store.find(number);
    await sleep(50);
    expect(statements()).toBe(2);
  });

  it('reads numbers registered elsewhere ahead of their calls, many to a statement, and their calls then ask nothing', async () => {
    const { db: counting, statements } = counted();
    const store = new SipAccountStore(counting, realm, 60_000, 60_000, 60_000);
    for (const number of ['7002', '7003', '7004']) store.prefetch(number);
    await store.idle();
    expect(statements()).toBe(1);
    for (const number of ['7002', '7003', '7004']) expect((await store.find(number))?.number).toBe(number);
    expect(statements()).toBe(1);
    // Known (fresh or not): not read again for a refresh elsewhere; a request here re-reads it.
    store.prefetch('7003');
    await store.idle();
    expect(statements()).toBe(1);
  });

  it('does not keep an account read ahead while it was forgotten (an announced change may have come after the read)', async () => {
    const { db: counting, statements } = counted();
    const store = new SipAccountStore(counting, realm, 60_000, 60_000, 60_000);
    store.prefetch('7004');
    store.forgetLocally({ number: '7004' });
    await store.idle();
    expect(statements()).toBe(1);
    await store.find('7004');
    expect(statements()).toBe(2);
  });

  it('loads the accounts of its realm at start a page at a time, after which their first requests ask nothing', async () => {
    await provisionSipAccounts(database.db, 'other.test', [{ number: '7009', password: 'secret-7009' }], now);
    const { db: counting, statements } = counted();
    const store = new SipAccountStore(counting, realm, 60_000, 60_000, 60_000);
    // Four accounts two to a page: two full pages, then an empty one says there are no more.
    expect(await store.preload(2)).toBe(4);
    expect(statements()).toBe(3);
    for (const number of ['7001', '7002', '7003', '7004']) expect((await store.find(number))?.number).toBe(number);
    expect(statements()).toBe(3);
    // Another realm's number was not loaded: it is asked for, and is nobody here.
    expect(await store.find('7009')).toBeNull();
    expect(statements()).toBe(4);
  });

  it('drops a page read while a number was forgotten (it may predate an announced change), and stops when told', async () => {
    let store: SipAccountStore | null = null;
    let count = 0;
    const forgettingDuringTheRead = database.db.withPlugin({
      transformQuery(args) {
        count += 1;
        if (count === 1) store!.forgetLocally({ number: '7002' });
        if (count === 2) store!.stopPreloading();
        return args.node;
      },
      transformResult: (args) => Promise.resolve(args.result),
    });
    store = new SipAccountStore(forgettingDuringTheRead, realm, 60_000, 60_000, 60_000);
    // The first page (7001, 7002) is dropped; the second (7003, 7004) is kept, and then it stops.
    expect(await store.preload(2)).toBe(2);
    expect(count).toBe(2);
    await store.find('7003');
    expect(count).toBe(2);
    await store.find('7002');
    expect(count).toBe(3);
  });

  it('does not answer from the cache what was forgotten (an announced change), nor what is older than revalidateMs', async () => {
    const store = new SipAccountStore(database.db, realm, 20, 60_000, 100);
    await setSipAccountStatus(database.db, '7002', 'active', null, now);
    expect((await store.find('7002'))?.status).toBe('active');
    await setSipAccountStatus(database.db, '7002', 'suspended', 'judicial order', now);
    store.forget('7002');
    expect((await store.find('7002'))?.status).toBe('suspended');

    await setSipAccountStatus(database.db, '7002', 'active', null, now);
    await sleep(150); // past revalidateMs: the request waits for the database
    expect((await store.find('7002'))?.status).toBe('active');
  });

  it('leaves a store made without revalidateMs reading after every TTL, as before', async () => {
    const store = new SipAccountStore(database.db, realm, 0);
    await setSipAccountStatus(database.db, '7003', 'active', null, now);
    expect((await store.find('7003'))?.status).toBe('active');
    await setSipAccountStatus(database.db, '7003', 'terminated', 'agreement ended', now);
    expect((await store.find('7003'))?.status).toBe('terminated');
  });
});
