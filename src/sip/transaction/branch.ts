import { randomBytes } from 'node:crypto';
import { BRANCH_MAGIC_COOKIE } from './timers.js';

/** §8.1.1.7: a branch unique in space and time, starting with the magic cookie. */
export function createBranch(): string {
  return BRANCH_MAGIC_COOKIE + randomBytes(10).toString('base64url');
}

export function createTag(): string {
  return randomBytes(8).toString('hex');
}
