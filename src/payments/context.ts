import type { BillingContext } from '../billing/index.js';
import type { TerminationDeps } from '../subscribers/index.js';
import type { OnlinePaymentProvider } from './provider.js';
import type { PaymentSimulator } from './providers/simulator.js';

/**
 * What online payment works with: billing (to apply money exactly once and restore service), the
 * configured providers, and termination's dependencies (a settlement paid online ends the agreement).
 */
export interface PaymentsContext extends BillingContext {
  providers: ReadonlyMap<string, OnlinePaymentProvider>;
  /** The simulator when it runs (development, tests, the demo); its page is served only then. */
  simulator: PaymentSimulator | null;
  /** The public address providers call back (`PAYMENT_PUBLIC_URL`); null: the browser's own origin. */
  publicUrl: string | null;
  termination: TerminationDeps;
}
