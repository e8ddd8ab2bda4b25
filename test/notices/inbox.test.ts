import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../src/migrations.js';
import { listNotices, markNoticeRead, sendNotice, unreadCount, type NewNotice } from '../../src/notices/index.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { migrateToLatest } from '../../src/platform/db/migrate.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

describe.each(engines)('the notices inbox on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let database: DatabaseHandle;
    const alice = randomUUID();
    const bob = randomUUID();
    const at = new Date('2026-07-01T10:00:00Z');
    const notice = (key: string, urgency: 'normal' | 'urgent', occurredAt = at): NewNotice => ({
      key,
      kind: 'service',
      urgency,
      subscriberIds: [alice, bob],
      title: { en: `Title ${key}`, 'zh-CN': `标题 ${key}` },
      body: { en: `Body ${key}`, 'zh-CN': `正文 ${key}` },
      link: null,
      occurredAt,
    });

    beforeAll(async () => {
      database = await openTestDatabase(engine);
      await migrateToLatest(database.db, migrations);
    });
    afterAll(() => database?.close());

    it('a notice is written once per subscriber and key, with its deliveries, in the caller’s transaction', async () => {
      const db = database.db;
      expect(await db.transaction().execute((trx) => sendNotice(trx, notice('one', 'normal')))).toBe(2);
      expect(await sendNotice(db, notice('one', 'normal'))).toBe(0);
      expect(await sendNotice(db, notice('two', 'urgent', new Date(at.getTime() + 60_000)))).toBe(2);
      const deliveries = await db.selectFrom('notice_deliveries').select(['channel', 'status']).execute();
      // 'one' by e-mail to each; 'two' (urgent) by e-mail, SIP and SMS to each.
      expect(deliveries).toHaveLength(2 + 6);
      expect(deliveries.every((d) => d.status === 'pending')).toBe(true);
      // A rolled back transaction leaves nothing behind.
      await expect(
        db.transaction().execute(async (trx) => {
          await sendNotice(trx, notice('three', 'normal'));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      expect(await listNotices(db, alice)).toHaveLength(2);
    });

    it('the inbox lists newest first with the read state; a read receipt counts once', async () => {
      const db = database.db;
      const inbox = await listNotices(db, alice);
      expect(inbox.map((n) => n.key)).toEqual(['two', 'one']);
      expect(inbox[0]!.title['zh-CN']).toBe('标题 two');
      expect(await unreadCount(db, alice)).toBe(2);
      const read = await markNoticeRead(db, alice, inbox[1]!.id, new Date(at.getTime() + 120_000));
      expect(read?.readAt?.toISOString()).toBe('2026-07-01T10:02:00.000Z');
      const again = await markNoticeRead(db, alice, inbox[1]!.id, new Date(at.getTime() + 180_000));
      expect(again?.readAt?.toISOString()).toBe('2026-07-01T10:02:00.000Z');
      expect(await unreadCount(db, alice)).toBe(1);
      expect(await unreadCount(db, bob)).toBe(2);
      // Bob cannot mark Alice's notice.
      expect(await markNoticeRead(db, bob, inbox[0]!.id, at)).toBeNull();
    });
  });
});
