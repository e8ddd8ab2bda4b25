import { randomText } from './random-pool.js';
import { BRANCH_MAGIC_COOKIE } from './timers.js';

/** §8.1.1.7: a branch unique in space and time, starting with the magic cookie. */
export function createBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomText(10, 'base64url');
}

export function createTag(): string {
  return randomText(8, 'hex');
}
