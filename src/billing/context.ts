import type { ServiceContext } from '../platform/context.js';

/**
 * What dunning does to the service, through the entitlements and termination functions of the
 * subscribers module (contract: `suspend`, `liftSuspensions`, `terminateForNonPayment`). Injected so
 * billing never writes another module's tables and tests see the real effect.
 */
export interface ServiceControl {
  /** Clause 5: a blocking record of cause 'overdue'; entitlements' cause table says what it blocks and its rent rule. */
  suspendForOverdue(subscriberId: string, input: { reason: string; reference: string }): Promise<void>;
  liftOverdueSuspension(subscriberId: string): Promise<void>;
  terminateForNonPayment(subscriberId: string): Promise<void>;
}

export interface BillingContext extends ServiceContext {
  control: ServiceControl;
}
