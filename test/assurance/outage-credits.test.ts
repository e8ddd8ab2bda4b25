import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { correctOutage, findOutage } from '../../src/assurance/index.js';
import { systemActor } from '../../src/audit/index.js';
import { available, engines } from '../support/engines.js';
import { startTestService, type TestService } from '../support/test-service.js';
import { addPlan, advanceTo, billFor, noDunning } from '../billing/support.js';
import { creditDocuments, creditFingerprint, creditRun, local, outage, subscriberWithNumber } from './support.js';

/**
 * January 2026 has 44 640 minutes; a plan of 44.64 a month is worth 0.1 fen a minute, so an hour of
 * outage is worth 0.06 and the threshold of 24 hours 1.44.
 */
const RENT = 44_64;

describe.each(engines)('outage credits on %s (clauses 7, 13, 14)', (engine) => {
  describe.skipIf(!available[engine])('', () => {
    let service: TestService;
    let alice: string;
    let bob: string;
    let carol: string;
    let rangeOutage: string;
    let windowed: string;

    beforeAll(async () => {
      service = await startTestService(engine, { start: '2025-12-31T00:00:00Z', env: noDunning });
      const planId = await addPlan(service, { monthlyRentFen: RENT });
      // Alice and Bob hold numbers in the +86106000100 block; Carol's number is elsewhere.
      alice = await subscriberWithNumber(service, planId, '+8610600010001', '2026-01-01');
      bob = await subscriberWithNumber(service, planId, '+8610600010002', '2026-01-01');
      carol = await subscriberWithNumber(service, planId, '+8610700000001', '2026-01-01');
    });
    afterAll(() => service?.close());

    it('an outage of 30 hours for a number range credits each affected subscriber the prorated fees: 1800 min × 0.1 fen = 1.80', async () => {
      rangeOutage = await outage(service, '2026-01-06 07:00', {
        from: '2026-01-05 00:00',
        to: '2026-01-06 06:00',
        cause: 'platform',
        scope: { kind: 'numbers', ranges: ['+86106000100*'] },
      });
      expect(await creditRun(service, '2026-01-06 08:00')).toEqual({ outages: 1, documents: 2 });
      for (const subscriber of [alice, bob]) {
        const documents = await creditDocuments(service, subscriber);
        expect(documents).toHaveLength(1);
        expect(documents[0]).toMatchObject({ kind: 'credit_note', amountFen: -1_80 });
        expect(documents[0]!.description).toMatch(/^Outage OUT-\d+ v1 \(clause 13\): 1800 min affected/);
        expect(documents[0]!.description).toContain('capped at the fees of that time (¥2.88)');
      }
      expect(await creditDocuments(service, carol)).toEqual([]);
    });

    it('running the job twice changes nothing', async () => {
      const before = await creditFingerprint(service);
      expect(await creditRun(service, '2026-01-06 08:00')).toEqual({ outages: 0, documents: 0 });
      expect(await creditRun(service, '2026-01-06 09:00')).toEqual({ outages: 0, documents: 0 });
      expect(await creditFingerprint(service)).toEqual(before);
    });

    it('one of 20 hours credits nothing (clause 13: shorter than the threshold)', async () => {
      await outage(service, '2026-01-10 21:00', {
        from: '2026-01-10 00:00',
        to: '2026-01-10 20:00',
        cause: 'platform',
        scope: { kind: 'everyone' },
      });
      expect(await creditRun(service, '2026-01-10 22:00')).toEqual({ outages: 1, documents: 0 });
    });

    it('one marked force majeure credits nothing (clause 14), however long', async () => {
      await outage(service, '2026-01-14 01:00', {
        from: '2026-01-12 00:00',
        to: '2026-01-14 00:00',
        cause: 'force-majeure',
        scope: { kind: 'everyone' },
      });
      expect(await creditRun(service, '2026-01-14 02:00')).toEqual({ outages: 1, documents: 0 });
      expect(await creditDocuments(service, carol)).toEqual([]);
    });

    it('one that overlaps an announced window credits only the time outside it: 36 h less 6 h of maintenance = 1.80', async () => {
      // Clause 7: announced on Jan 15 for the night of Jan 20, more than 72 hours ahead.
      await outage(service, '2026-01-15 09:00', {
        from: '2026-01-20 00:00',
        to: '2026-01-20 06:00',
        cause: 'announced-maintenance',
        scope: { kind: 'everyone' },
      });
      windowed = await outage(service, '2026-01-21 01:00', {
        from: '2026-01-19 12:00',
        to: '2026-01-21 00:00',
        cause: 'platform',
        scope: { kind: 'everyone' },
      });
      expect(await creditRun(service, '2026-01-21 02:00')).toMatchObject({ documents: 3 });
      const carols = await creditDocuments(service, carol);
      expect(carols).toHaveLength(1);
      expect(carols[0]).toMatchObject({ kind: 'credit_note', amountFen: -1_80 });
      expect(carols[0]!.description).toContain('1800 min affected');
    });

    it('a correction that lengthens the range outage to 36 hours adds a second credit note for the difference, 0.36; the first stays', async () => {
      const current = (await findOutage(service.ctx.db, rangeOutage))!;
      service.clock.set(local('2026-01-22 10:00'));
      const corrected = await correctOutage(
        service.ctx,
        rangeOutage,
        { ...current, endsAt: local('2026-01-06 12:00') },
        'The monitoring log shows service returned at 12:00, not 06:00',
        systemActor,
      );
      expect(corrected.ok && corrected.value.version).toBe(2);
      expect(await creditRun(service, '2026-01-22 11:00')).toMatchObject({ documents: 2 });
      const documents = await creditDocuments(service, alice);
      expect(documents.map((d) => [d.kind, d.amountFen])).toEqual([
        ['credit_note', -1_80],
        ['credit_note', -1_80],
        ['credit_note', -36],
      ]);
      expect(documents[2]!.description).toMatch(/corrected to v2 \(clause 13\): credit ¥1\.80 → ¥2\.16, 2160 min affected/);
      expect(await creditDocuments(service, carol)).toHaveLength(1);
    });

    it('a correction that shortens the windowed outage posts an adjustment charge for what the credit shrank, 0.36', async () => {
      const current = (await findOutage(service.ctx.db, windowed))!;
      service.clock.set(local('2026-01-23 10:00'));
      const corrected = await correctOutage(
        service.ctx,
        windowed,
        { ...current, endsAt: local('2026-01-20 18:00') },
        'Restored at 18:00',
        systemActor,
      );
      expect(corrected.ok).toBe(true);
      await creditRun(service, '2026-01-23 11:00');
      // 12:00–24:00 on Jan 19 and 06:00–18:00 on Jan 20: 24 hours outside the window, 1.44.
      expect((await creditDocuments(service, carol)).map((d) => [d.kind, d.amountFen])).toEqual([
        ['credit_note', -1_80],
        ['adjustment', 36],
      ]);
    });

    it('the February 1 bill carries the adjustment charge as a line, and the credit notes (applied as credit, 3.96) pay it down', async () => {
      await advanceTo(service, '2026-02-01 00:00');
      const january = await billFor(service, alice, '2026-01-01');
      // Billing keeps credit notes outside bill lines, like payments: they are applied to the oldest bill.
      expect(january.lines).toEqual([
        { kind: 'rent', amountFen: RENT },
        { kind: 'adjustment', amountFen: 36 },
      ]);
      expect(january).toMatchObject({ totalFen: RENT + 36, outstandingFen: RENT + 36 - 3_96 });
    });
  });
});
