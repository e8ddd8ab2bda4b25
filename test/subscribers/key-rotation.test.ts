import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { loadDemoCatalogue } from '../../src/demo/load-demo.js';
import { TestClock } from '../../src/platform/clock.js';
import { loadConfig } from '../../src/platform/config/config.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { createService, type Service } from '../../src/service.js';
import { openTestDatabase } from '../support/engines.js';
import { demoOrder, demoPerson, uniqueMobile } from '../support/subscribers.js';

/**
 * The operator rotates the data key (DATA_KEYS gets a new key first, the old one stays to decrypt):
 * what was stored under the old key still works — sign-in by contact phone and the duplicate-ID check
 * use blind indexes — and new data is sealed under the new key.
 */
describe('rotating the data key', () => {
  const oldKey = `old:${randomBytes(32).toString('base64')}`;
  const newKey = `new:${randomBytes(32).toString('base64')}`;
  let database: DatabaseHandle;
  let service: Service | null = null;
  const clock = new TestClock('2026-03-01T02:00:00.000Z');

  async function start(dataKeys: string): Promise<Service> {
    await service?.close();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATA_DIR: mkdtempSync(path.join(tmpdir(), 'vp-test-data-')),
      DATA_KEYS: dataKeys,
      SIGN_IN_RATE_LIMIT_PER_MINUTE: '10000',
      APPLICATION_RATE_LIMIT_PER_MINUTE: '10000',
    });
    service = await createService(config, { clock, database, logger: pino({ level: 'silent' }), webRoot: null });
    return service;
  }
  afterAll(async () => {
    await service?.close();
    await database?.close();
  });

  const apply = (on: Service, idNumber: string, phone: string) =>
    on.app.inject({
      method: 'POST',
      url: '/api/subscribers/applications',
      payload: { ...demoPerson, idType: 'passport', idNumber, contactPhone: phone, ...demoOrder },
    });
  const sealedKeyOf = async (subscriberId: string) => {
    const row = await database.db
      .selectFrom('subscriber_identities')
      .select('sealed')
      .where('subscriber_id', '=', subscriberId)
      .executeTakeFirstOrThrow();
    return new Set(Object.values(row.sealed).map((value) => value.split('.')[1]));
  };

  it('keeps sign-in and the duplicate-ID check working, and seals new data under the new key', async () => {
    database = await openTestDatabase('pglite');
    const before = await start(oldKey);
    await loadDemoCatalogue(before.ctx);
    const phone = uniqueMobile();
    const first = await apply(before, 'E11112222', phone);
    expect(first.statusCode).toBe(201);
    expect(await sealedKeyOf(first.json().id)).toEqual(new Set(['old']));

    const after = await start(`${newKey},${oldKey}`);
    const signIn = await after.app.inject({
      method: 'POST',
      url: '/api/portal/sign-in',
      payload: { login: phone, password: demoOrder.password },
    });
    expect(signIn.statusCode).toBe(200);
    // The same passport again is recognised as already on file, through the index made under the old key.
    const again = await apply(after, 'E11112222', uniqueMobile());
    expect(again.statusCode).toBe(201);
    const audit = await database.db
      .selectFrom('audit_log')
      .select('detail')
      .where('action', '=', 'subscriber.apply')
      .where('target_id', '=', again.json().id)
      .executeTakeFirst();
    expect(audit?.detail).toMatchObject({ duplicateIdNumber: true });
    expect(await sealedKeyOf(again.json().id)).toEqual(new Set(['new']));
  });
});
