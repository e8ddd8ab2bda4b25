import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billableSecondsSql, chargeFenSql, includedSecondsSql } from '../../src/billing/rating-rule.sql.js';
import { priceCall } from '../../src/catalog/index.js';
import type { DatabaseHandle } from '../../src/platform/db/database.js';
import { available, engines, openTestDatabase } from '../support/engines.js';

const call = fc.record({
  durationMs: fc.integer({ min: 0, max: 7_200_000 }),
  billingIncrementSeconds: fc.integer({ min: 1, max: 120 }),
  perMinuteRatePrecise: fc.integer({ min: 0, max: 99_9999 }),
  // What rating passes is `allowance − used − before`: below zero once the month's minutes are spent.
  includedSecondsLeft: fc.integer({ min: -3_600, max: 3_600 }),
});

describe.each(engines)('the SQL form of the rating rule on %s', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let handle: DatabaseHandle;

    beforeAll(async () => {
      handle = await openTestDatabase(engine);
    });
    afterAll(() => handle?.close());

    it('prices any call exactly as priceCall does: billable, included and charged seconds, and the charge', async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 40 }), async (calls) => {
          const { rows } = await sql<{ billable: string; included: string; charge: string }>`
            select b.billable, i.included, ${chargeFenSql(sql`b.billable - i.included`, sql.ref('t.rate'))} as charge
            from unnest(${calls.map((_, n) => n)}::int[], ${calls.map((c) => c.durationMs)}::bigint[],
                        ${calls.map((c) => c.billingIncrementSeconds)}::bigint[], ${calls.map((c) => c.perMinuteRatePrecise)}::bigint[],
                        ${calls.map((c) => c.includedSecondsLeft)}::bigint[]) as t(n, duration_ms, inc, rate, included_left)
            cross join lateral (select ${billableSecondsSql(sql.ref('t.duration_ms'), sql.ref('t.inc'))} as billable) as b
            cross join lateral (select ${includedSecondsSql(sql.ref('b.billable'), sql.ref('t.included_left'))} as included) as i
            order by t.n`.execute(handle.db);
          const inSql = rows.map((r) => {
            const billableSeconds = Number(r.billable);
            const includedSeconds = Number(r.included);
            return { billableSeconds, includedSeconds, chargedSeconds: billableSeconds - includedSeconds, chargeFen: Number(r.charge) };
          });
          expect(inSql).toEqual(calls.map((c) => priceCall(c, c.durationMs, c.includedSecondsLeft)));
        }),
        { numRuns: 50 },
      );
    });

    it('rounds as the price list says: 61 s per 6 s at 0.15 a minute is 66 s, 16.5 fen charged 17; a minute included leaves 6 s, 2 fen', async () => {
      const { rows } = await sql<{ billable: string; charge: string; rest: string }>`
        select ${billableSecondsSql(sql`61000::bigint`, sql`6::bigint`)} as billable,
               ${chargeFenSql(sql`66::bigint`, sql`150000::bigint`)} as charge,
               ${chargeFenSql(sql`66::bigint - ${includedSecondsSql(sql`66::bigint`, sql`60::bigint`)}`, sql`150000::bigint`)} as rest`.execute(
        handle.db,
      );
      expect(rows.map((r) => [Number(r.billable), Number(r.charge), Number(r.rest)])).toEqual([[66, 17, 2]]);
    });
  });
});
