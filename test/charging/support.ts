import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { pino } from 'pino';
import { systemActor } from '../../src/audit/index.js';
import { correctAccountPlan, findBillingAccount } from '../../src/billing/index.js';
import { CallMeter, type MeterTimers } from '../../src/calls/call-meter.js';
import { publishCallCompleted } from '../../src/calls/index.js';
import { changeCreditLimit, chargingBudget } from '../../src/charging/index.js';
import type { TestClock } from '../../src/platform/clock.js';
import { addPlan, advanceTo } from '../billing/support.js';
import { activeIndividual } from '../support/subscribers.js';
import { addStaff, signInCookie, type TestService } from '../support/test-service.js';

/**
 * The meter's timers on the test clock: `runUntil` fires each timer due by an instant in order,
 * moving the clock to it, and lets the meter finish what it asked charging before the next.
 */
export class ManualTimers implements MeterTimers {
  #next = 1;
  readonly #due = new Map<number, { at: number; callback: () => void }>();

  constructor(private readonly clock: TestClock) {}

  set(callback: () => void, delayMs: number): number {
    const id = this.#next++;
    this.#due.set(id, { at: this.clock.now().getTime() + delayMs, callback });
    return id;
  }

  clear(handle: unknown): void {
    this.#due.delete(handle as number);
  }

  async runUntil(until: Date, meter: CallMeter): Promise<void> {
    for (;;) {
      await meter.idle();
      let first: [number, { at: number; callback: () => void }] | null = null;
      for (const entry of this.#due) if (entry[1].at <= until.getTime() && (!first || entry[1].at < first[1].at)) first = entry;
      if (!first) break;
      this.#due.delete(first[0]);
      if (first[1].at > this.clock.now().getTime()) this.clock.set(new Date(first[1].at));
      first[1].callback();
    }
    if (until > this.clock.now()) this.clock.set(until);
    await meter.idle();
  }
}

export interface Ending {
  callId: string;
  at: Date;
  how: 'hung-up' | 'abandoned';
  status: number;
}

/** A proxy's meter over the service's real charging, on the test clock; cutoffs are recorded, not sent. */
export function testMeter(service: TestService): { meter: CallMeter; timers: ManualTimers; endings: Ending[] } {
  const timers = new ManualTimers(service.clock);
  const endings: Ending[] = [];
  const logger = pino({ level: 'silent' });
  const meter = new CallMeter(
    chargingBudget(service.charging, service.config.settings, logger),
    { now: () => service.clock.now(), logger, timers },
    {
      abandonRinging: (callId, status) => endings.push({ callId, at: service.clock.now(), how: 'abandoned', status }),
      hangUp: (callId, status) => {
        endings.push({ callId, at: service.clock.now(), how: 'hung-up', status });
        return service.clock.now();
      },
    },
  );
  return { meter, timers, endings };
}

/** Calls as the proxy makes them: authorised, recorded, answered, ended; each completed one is published as the recorder would. */
export class Calls {
  readonly #calls = new Map<string, { caller: string; recordId: string; answeredAt: Date | null }>();

  constructor(
    private readonly service: TestService,
    readonly meter: CallMeter,
  ) {}

  /** Dials; the grant (or refusal) charging gave. */
  async dial(callId: string, caller: string) {
    const grant = await this.meter.authorize(callId, `tag-${callId}`, caller);
    const recordId = randomUUID();
    if (grant.kind !== 'refused') this.meter.recorded(callId, recordId);
    this.#calls.set(callId, { caller, recordId, answeredAt: null });
    return grant;
  }

  /** The call record id `dial` gave the call. */
  recordId(callId: string): string {
    return this.#calls.get(callId)!.recordId;
  }

  answer(callId: string): void {
    const call = this.#calls.get(callId)!;
    call.answeredAt = this.service.clock.now();
    this.meter.answered(callId, call.answeredAt);
  }

  /** A party hangs up now. */
  async hangUp(callId: string): Promise<void> {
    this.meter.ended(callId, this.service.clock.now());
    await this.meter.idle();
  }

  /** Publishes `call.completed` for an answered call that ended at `endedAt`, as the call recorder does. */
  async published(callId: string, endedAt: Date): Promise<void> {
    const call = this.#calls.get(callId)!;
    if (!call.answeredAt) return;
    await publishCallCompleted(this.service.ctx.db, {
      recordId: call.recordId,
      caller: call.caller,
      callee: '7199999',
      answeredAt: call.answeredAt.toISOString(),
      endedAt: endedAt.toISOString(),
      durationMs: endedAt.getTime() - call.answeredAt.getTime(),
    });
  }
}

/** Activated people (through the API, as in production), all on `planId` with their credit limits (staff set them). */
export async function subscribersWithLimits(
  service: TestService,
  people: { name: string; limitFen: number }[],
  plan: Parameters<typeof addPlan>[1],
): Promise<{ id: string; number: string }[]> {
  const reviewer = await signInCookie(service, await addStaff(service, ['verification_reviewer']));
  const activated = [];
  for (const person of people) activated.push(await activeIndividual(service, reviewer, person.name));
  await advanceTo(service, '2026-01-01 08:10');
  const planId = await addPlan(service, plan);
  for (const [index, person] of activated.entries()) {
    if (!(await findBillingAccount(service.ctx.db, person.id))) throw new Error('no billing account');
    await correctAccountPlan(service.ctx, person.id, planId);
    const changed = await changeCreditLimit(
      service.ctx,
      service.charging,
      { subscriberId: person.id, limitFen: people[index]!.limitFen, by: 'staff' },
      systemActor,
    );
    if (!changed.ok) throw new Error(changed.failure.message);
  }
  return activated.map((person) => ({ id: person.id, number: person.number }));
}

/** The month's fees as charging settled them, and as the bill's rating pass rated the same calls. */
export async function monthFees(service: TestService, subscriberId: string, period: string): Promise<{ charging: number; rated: number }> {
  const charging = await service.ctx.db
    .selectFrom('charging_months')
    .select('settled_fen')
    .where('subscriber_id', '=', subscriberId)
    .where('period', '=', period)
    .executeTakeFirst();
  const rated = await sql<{ fen: number }>`
    select coalesce(sum(charge_fen), 0)::bigint as fen from call_charges where subscriber_id = ${subscriberId} and usage_period = ${period}::date`.execute(
    service.ctx.db,
  );
  return { charging: Number(charging?.settled_fen ?? 0), rated: Number(rated.rows[0]!.fen) };
}
