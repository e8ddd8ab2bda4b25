import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { listAudit, recordAudit, systemActor } from '../../src/audit/index.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { migrations } from '../../src/migrations.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

describe.each(engines)('the audit log on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
      await recordAudit(database.db, { at: new Date('2026-02-01T00:00:00Z'), actor: systemActor, action: 'test.first', detail: { n: 1 } });
    });
    afterAll(() => database?.close());

    it('keeps what was written, newest first', async () => {
      await recordAudit(database.db, {
        at: new Date('2026-02-02T00:00:00Z'),
        actor: systemActor,
        action: 'test.second',
        outcome: 'failure',
      });
      const records = await listAudit(database.db, { limit: 10, action: 'test.' });
      expect(records.map((r) => [r.action, r.outcome])).toEqual([
        ['test.second', 'failure'],
        ['test.first', 'success'],
      ]);
    });

    it('rejects UPDATE at the database level', async () => {
      await expect(sql`update audit_log set action = 'forged'`.execute(database.db)).rejects.toThrow(/append-only/);
    });

    it('rejects DELETE at the database level', async () => {
      await expect(sql`delete from audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
    });

    it('rejects TRUNCATE at the database level', async () => {
      await expect(sql`truncate audit_log`.execute(database.db)).rejects.toThrow(/append-only/);
      expect((await listAudit(database.db, { limit: 10 })).length).toBeGreaterThanOrEqual(1);
    });
  });
});
