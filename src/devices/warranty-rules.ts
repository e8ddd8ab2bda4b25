import { addMonthsClamped, type LocalDate } from '../platform/zoned-calendar.js';

/**
 * The warranty of clause 4 as data and pure functions. "One year from delivery": a terminal
 * delivered on Jan 10 is covered through Jan 10 of the next year, and a claim on Jan 11 is refused
 * (the reading). The length is the operator's setting (`VP_WARRANTY_MONTHS`, 12); a
 * delivery on Feb 29 ends on Feb 28 of a year that has none.
 */
export function warrantyEndFor(deliveredOn: LocalDate, months: number): LocalDate {
  return addMonthsClamped(deliveredOn, months);
}
