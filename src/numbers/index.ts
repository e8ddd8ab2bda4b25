export {
  allocateNumber,
  assignedNumbersStartingWith,
  firstNumbersOf,
  endNumberQuarantineJob,
  numbersOfSubscriber,
  parseNumberRanges,
  releaseNumbers,
  subscriberIdForNumber,
  type NumberRange,
} from './numbers.js';
export type { NumberTables } from './tables.js';
// Schema changes, listed in order in src/migrations.ts.
export { numbers } from './migrations/20261124T0350-numbers.js';
