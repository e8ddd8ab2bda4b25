export {
  allocateNumber,
  endNumberQuarantineJob,
  numbersOfSubscriber,
  parseNumberRanges,
  releaseNumbers,
  subscriberIdForNumber,
  type NumberRange,
} from './numbers.js';
