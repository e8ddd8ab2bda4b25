import type { OnlineProviderId } from '../provider.js';

/**
 * A provider refused a request or could not be reached: a failure of the outside world, not a bug.
 * `code` is the provider's own (Alipay `sub_code`, WeChat Pay `code`) or `unreachable`, so the caller
 * can log it and an operator can look it up in the provider's documentation.
 */
export class PaymentProviderError extends Error {
  constructor(
    readonly provider: OnlineProviderId,
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${provider}: ${code}: ${message}`, options);
    this.name = 'PaymentProviderError';
  }
}
