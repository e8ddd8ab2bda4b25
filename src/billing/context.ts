import type { ServiceContext } from '../platform/context.js';

/**
 * What dunning does to the service, through the entitlements and termination functions of the
 * subscribers module (contract: `suspend`, `liftSuspensions`, `terminateForNonPayment`). Injected so
 * billing never writes another module's tables and tests see the real effect.
 */
export interface ServiceControl {
  /** Clause 5: a blocking record, cause 'overdue', blocking all service; rent continues per setting. */
  suspendForOverdue(subscriberId: string, input: { reason: string; rentContinues: boolean; reference: string }): Promise<void>;
  liftOverdueSuspension(subscriberId: string): Promise<void>;
  terminateForNonPayment(subscriberId: string): Promise<void>;
}

export interface BillingContext extends ServiceContext {
  control: ServiceControl;
}
