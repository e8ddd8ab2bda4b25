import type { ServiceContext } from '../platform/context.js';
import { currentOrder } from '../subscribers/index.js';
import { agreementParameters, type AgreementParameters } from './render.js';

/** The values a subscriber's agreement is filled with: the operator's settings and their current order. */
export async function agreementParametersFor(ctx: ServiceContext, subscriberId: string): Promise<AgreementParameters> {
  const order = await currentOrder(ctx, subscriberId);
  return agreementParameters(
    ctx.settings,
    order
      ? {
          planName: `${order.plan.nameZh} / ${order.plan.nameEn}`,
          monthlyRentFen: order.plan.monthlyRentFen,
          creditLimitFen: order.creditLimitFen,
        }
      : null,
  );
}
