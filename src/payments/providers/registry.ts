import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Clock } from '../../platform/clock.js';
import type { Config } from '../../platform/config/index.js';
import type { Database } from '../../platform/db/index.js';
import type { OnlinePaymentProvider } from '../provider.js';
import { PaymentSimulator } from './simulator.js';

export interface PaymentProviders {
  providers: Map<string, OnlinePaymentProvider>;
  simulator: PaymentSimulator | null;
}

/**
 * The online payment providers this process offers, from its configuration. The simulator runs
 * where the configuration allows it (never in production). Alipay (`providers/alipay.ts`) and WeChat
 * Pay (`providers/wechatpay.ts`) plug in here: each is added only when its environment is set,
 * built by its own `…FromConfig` function.
 */
export function buildPaymentProviders(config: Pick<Config, 'payments'>, deps: { db: Kysely<Database>; clock: Clock }): PaymentProviders {
  const providers = new Map<string, OnlinePaymentProvider>();
  let simulator: PaymentSimulator | null = null;
  if (config.payments.simulator) {
    simulator = new PaymentSimulator(deps.db, deps.clock, config.payments.simulator.secret ?? randomBytes(32).toString('hex'));
    providers.set(simulator.id, simulator);
  }
  // Hook for the adapters (branch s8-payadapters): e.g.
  //   const alipay = alipayFromConfig(config); if (alipay) providers.set(alipay.id, alipay);
  //   const wechatpay = wechatPayFromConfig(config); if (wechatpay) providers.set(wechatpay.id, wechatpay);
  return { providers, simulator };
}
