import { addMonthsClamped, minDate, type LocalDate } from '../platform/zoned-calendar.js';

/**
 * The warranty of clause 4 as data and pure functions over a snapshot of one unit; the claim
 * operations (claims.ts) apply what these decide.
 *
 * "One year from delivery": a terminal delivered on Jan 10 is covered through Jan 10 of the next
 * year, and a claim on Jan 11 is refused (the reading). The length is the operator's
 * setting (`VP_WARRANTY_MONTHS`, 12); a delivery on Feb 29 ends on Feb 28 of a year that has none.
 */
export function warrantyEndFor(deliveredOn: LocalDate, months: number): LocalDate {
  return addMonthsClamped(deliveredOn, months);
}

/** Clause 4(1): what the warranty does not cover, as the technician records it. */
export const EXCLUSION_REASONS = [
  'accident',
  'misuse',
  'opened-case',
  'power',
  'ignored-instructions',
  'unauthorised-repair',
  'non-operator-equipment',
] as const;
export type ExclusionReason = (typeof EXCLUSION_REASONS)[number];

export function isExclusionReason(value: string): value is ExclusionReason {
  return (EXCLUSION_REASONS as readonly string[]).includes(value);
}

/** What a claim is about: a fault, or damage reported when the unit was delivered (covered, clause 4). */
export type ClaimCause = 'fault' | 'shipping-damage';

/** The unit as the rules see it. */
export interface WarrantySnapshot {
  /** The last day covered by time (inclusive); null before the first delivery. */
  warrantyEndsOn: LocalDate | null;
  /** The day an unauthorised opening was recorded (clause 4(5)); the warranty ends that day. */
  tamperedOn: LocalDate | null;
}

export type WarrantyStanding =
  { state: 'not-started' } | { state: 'running'; endsOn: LocalDate } | { state: 'ended'; endedOn: LocalDate; why: 'expired' | 'tampered' };

/**
 * Where the warranty stands on a day. A tamper record ends it on the day recorded: from that day
 * on nothing is covered (the moment it is recorded, clause 4(5)), and the end shown is that day.
 */
export function warrantyStanding(unit: WarrantySnapshot, on: LocalDate): WarrantyStanding {
  if (unit.warrantyEndsOn === null) return { state: 'not-started' };
  if (unit.tamperedOn !== null && on >= unit.tamperedOn)
    return { state: 'ended', endedOn: minDate(unit.tamperedOn, unit.warrantyEndsOn), why: 'tampered' };
  if (on > unit.warrantyEndsOn) return { state: 'ended', endedOn: unit.warrantyEndsOn, why: 'expired' };
  return { state: 'running', endsOn: unit.tamperedOn ? minDate(unit.tamperedOn, unit.warrantyEndsOn) : unit.warrantyEndsOn };
}

export type FilingDecision =
  | { accept: true; coverage: 'covered' | 'not-covered'; endsOn: LocalDate | null; why: 'in-warranty' | 'shipping-damage' | 'tampered' }
  | { accept: false; endedOn: LocalDate; why: 'expired' | 'not-delivered' };

/**
 * Whether a written claim is taken, on the day it is filed. Clause 4: the notice must come within
 * the warranty, so a claim after it ended by time is refused with the day it ended. Shipping damage
 * reported at delivery is covered whenever it is assessed. A warranty voided by a tamper record is
 * the operator's own finding: the claim is taken, not covered, and the technician quotes a repair.
 */
export function decideFiling(unit: WarrantySnapshot, cause: ClaimCause, filedOn: LocalDate): FilingDecision {
  const standing = warrantyStanding(unit, filedOn);
  if (cause === 'shipping-damage') return { accept: true, coverage: 'covered', endsOn: unit.warrantyEndsOn, why: 'shipping-damage' };
  if (standing.state === 'not-started') return { accept: false, endedOn: filedOn, why: 'not-delivered' };
  if (standing.state === 'running') return { accept: true, coverage: 'covered', endsOn: standing.endsOn, why: 'in-warranty' };
  if (standing.why === 'tampered') return { accept: true, coverage: 'not-covered', endsOn: standing.endedOn, why: 'tampered' };
  return { accept: false, endedOn: standing.endedOn, why: 'expired' };
}

export interface AssessmentInput {
  cause: ClaimCause;
  /** What the filing decided (covered when filed in warranty or for shipping damage). */
  coveredWhenFiled: boolean;
  exclusions: readonly ExclusionReason[];
  /** The technician found the sealed case opened by someone unauthorised (4(5)). */
  tamperFound: boolean;
}

export type AssessmentOutcome = { covered: true } | { covered: false; why: 'out-of-warranty' | 'excluded'; exclusions: ExclusionReason[] };

/**
 * The technician's finding applied to the claim. Shipping damage is covered whatever happened to
 * the parcel; otherwise any exclusion of clause 4(1) — an opened case among them when tamper is
 * found — takes the damage out of the warranty; a claim filed outside it stays out.
 */
export function assessCoverage(input: AssessmentInput): AssessmentOutcome {
  const exclusions = [...new Set<ExclusionReason>([...input.exclusions, ...(input.tamperFound ? (['opened-case'] as const) : [])])];
  if (input.cause === 'shipping-damage') return { covered: true };
  if (exclusions.length > 0) return { covered: false, why: 'excluded', exclusions };
  if (!input.coveredWhenFiled) return { covered: false, why: 'out-of-warranty', exclusions: [] };
  return { covered: true };
}

/** Clause 4(3): a replacement carries the original warranty's end, never a new one. */
export function replacementWarrantyEnd(original: WarrantySnapshot): LocalDate | null {
  return original.warrantyEndsOn;
}
