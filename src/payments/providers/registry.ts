import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config/index.js';
import type { Database } from '../../platform/db/index.js';
import type { OnlinePaymentProvider } from '../provider.js';
import { providersFromConfig } from './index.js';
import { PaymentSimulator } from './simulator.js';

export interface PaymentProviders {
  providers: Map<string, OnlinePaymentProvider>;
  simulator: PaymentSimulator | null;
}

/**
 * The online payment providers this process offers, from its configuration. The simulator runs
 * where the configuration allows it (never in production). Alipay (`providers/alipay.ts`) and WeChat
 * Pay (`providers/wechatpay.ts`) are added only when their environment is set (`providersFromConfig`).
 */
export function buildPaymentProviders(
  config: Pick<Config, 'payments' | 'paymentProviders'>,
  deps: { db: Kysely<Database>; clock: Clock },
): PaymentProviders {
  const providers = new Map<string, OnlinePaymentProvider>();
  let simulator: PaymentSimulator | null = null;
  if (config.payments.simulator) {
    simulator = new PaymentSimulator(deps.db, deps.clock, config.payments.simulator.secret ?? randomBytes(32).toString('hex'));
    providers.set(simulator.id, simulator);
  }
  for (const provider of providersFromConfig(config, deps.clock)) providers.set(provider.id, provider);
  return { providers, simulator };
}
