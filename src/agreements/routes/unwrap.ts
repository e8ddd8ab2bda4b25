import { failureToProblem } from '../../platform/http/index.js';
import type { Result } from '../../platform/result.js';

export function unwrap<T>(result: Result<T>): T {
  if (!result.ok) throw failureToProblem(result.failure);
  return result.value;
}
