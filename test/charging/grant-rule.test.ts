import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceCall, type CallRate } from '../../src/catalog/index.js';
import { monthPrice, nextGrant, type CallStart, type Headroom, type MonthCall } from '../../src/charging/index.js';

/** The bill's price of a month of calls: the rating rule, included minutes to the calls in the order they started. */
function billOf(rate: CallRate, allowanceSeconds: number, calls: { answeredAt: number; id: string; durationMs: number }[]): number {
  let includedLeft = allowanceSeconds;
  let fen = 0;
  for (const call of [...calls].sort((a, b) => a.answeredAt - b.answeredAt || (a.id < b.id ? -1 : 1))) {
    const price = priceCall(rate, call.durationMs, includedLeft);
    includedLeft -= price.includedSeconds;
    fen += price.chargeFen;
  }
  return fen;
}

/**
 * Clause 9, the grant rule alone: calls of one subscriber answered at various moments, each asking
 * for more time as its grant runs out, each ending at its wish or when refused. Whatever the
 * order, the bill of what they did never passes the limit.
 */
describe('the grant rule', () => {
  const scenario = fc.record({
    rateFenPerMinute: fc.integer({ min: 1, max: 300 }),
    incrementSeconds: fc.constantFrom(1, 6, 30, 60),
    includedMinutes: fc.constantFrom(0, 1, 5, 60),
    limitFen: fc.integer({ min: 0, max: 500 }),
    sliceSeconds: fc.constantFrom(10, 60, 300),
    calls: fc.array(fc.record({ answerSecond: fc.integer({ min: 0, max: 3600 }), wantsSeconds: fc.integer({ min: 1, max: 7200 }) }), {
      minLength: 1,
      maxLength: 5,
    }),
  });

  it('keeps the bill of the calls it granted within the limit, included minutes going by start', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const rate: CallRate = { perMinuteRatePrecise: s.rateFenPerMinute * 10_000, billingIncrementSeconds: s.incrementSeconds };
        const calls = s.calls.map((c, index) => ({
          start: { answeredAt: c.answerSecond * 1000, authorizedAt: c.answerSecond * 1000, id: `call-${index}` } satisfies CallStart,
          wantsMs: c.wantsSeconds * 1000,
          grantedSeconds: 0,
          /** Next moment it asks (ms), or null once it has ended. */
          asksAt: (c.answerSecond * 1000) as number | null,
          endedMs: null as number | null,
        }));
        for (;;) {
          const asking = calls
            .filter((c) => c.asksAt !== null)
            .sort((a, b) => a.asksAt! - b.asksAt! || (a.start.id < b.start.id ? -1 : 1))[0];
          if (!asking) break;
          const now = asking.asksAt!;
          // A call whose wish ends before its grant does hangs up then; every call still running asks before its grant ends.
          const others: MonthCall[] = calls
            .filter((c) => c !== asking && c.start.answeredAt! <= now && (c.endedMs !== null || c.grantedSeconds > 0))
            .map((c) => ({ start: c.start, durationMs: c.endedMs ?? c.grantedSeconds * 1000 }));
          const headroom: Headroom = {
            rate,
            allowanceSeconds: s.includedMinutes * 60,
            limitFen: s.limitFen,
            creditFen: 0,
            settledFen: 0,
            settledIncludedSeconds: 0,
            others,
          };
          const running = calls.filter((c) => c.endedMs === null && c.start.answeredAt! <= now).length;
          const hold = nextGrant(headroom, {
            start: asking.start,
            grantedSeconds: asking.grantedSeconds,
            callsSharing: running,
            sliceSeconds: s.sliceSeconds,
          });
          if (hold) {
            expect(monthPrice(headroom, { start: asking.start, seconds: hold.grantedSeconds }).totalFen).toBeLessThanOrEqual(s.limitFen);
            asking.grantedSeconds = hold.grantedSeconds;
          }
          const grantEnds = asking.start.answeredAt! + asking.grantedSeconds * 1000;
          if (!hold || asking.start.answeredAt! + asking.wantsMs <= grantEnds) {
            // Refused: cut where its grant ends (a call never outlasts it); or it ends when it wishes.
            asking.endedMs = Math.min(asking.wantsMs, asking.grantedSeconds * 1000);
            asking.asksAt = null;
          } else asking.asksAt = grantEnds;
        }
        const bill = billOf(
          rate,
          s.includedMinutes * 60,
          calls.map((c) => ({ answeredAt: c.start.answeredAt!, id: c.start.id, durationMs: c.endedMs ?? 0 })),
        );
        expect(bill).toBeLessThanOrEqual(s.limitFen);
      }),
      {
        numRuns: 2000,
        examples: [
          // Two calls sharing 60 included minutes at 0.1 fen/s under a 2 fen limit: priced in the order their
          // grants came, the earlier one paid 4 s (0.4, 0 fen) and the later 24 s (2.4, 2 fen); the bill, by start,
          // charges the later one 28 s (2.8, 3 fen).
          [
            {
              rateFenPerMinute: 6,
              incrementSeconds: 1,
              includedMinutes: 60,
              limitFen: 2,
              sliceSeconds: 300,
              calls: [
                { answerSecond: 0, wantsSeconds: 4000 },
                { answerSecond: 2460, wantsSeconds: 4000 },
              ],
            },
          ],
        ],
      },
    );
  });

  it('gives included minutes to the call that started first, whichever asks first', () => {
    const rate: CallRate = { perMinuteRatePrecise: 6 * 10_000, billingIncrementSeconds: 1 };
    const earlier: MonthCall = { start: { answeredAt: 0, authorizedAt: 0, id: 'a' }, durationMs: 3040_000 };
    const later = { answeredAt: 2460_000, authorizedAt: 2460_000, id: 'b' };
    const headroom: Headroom = {
      rate,
      allowanceSeconds: 3600,
      limitFen: 100,
      creditFen: 0,
      settledFen: 0,
      settledIncludedSeconds: 0,
      others: [earlier],
    };
    // 3040 s of the earlier call are included; the later call has 560 included seconds, then pays.
    expect(monthPrice(headroom, { start: later, seconds: 584 }).call).toEqual({
      grantedSeconds: 584,
      includedSeconds: 560,
      reservedFen: 2,
    });
    // Priced with the earlier call at 3044 s, the later one has 556 included seconds and pays 28 s: 2.8 fen, 3 fen.
    const longer: Headroom = { ...headroom, others: [{ ...earlier, durationMs: 3044_000 }] };
    expect(monthPrice(longer, { start: later, seconds: 584 })).toEqual({
      totalFen: 3,
      call: { grantedSeconds: 584, includedSeconds: 556, reservedFen: 3 },
    });
  });
});
