import { activeSuspensions, type Suspension } from '../entitlements/index.js';
import { numbersOfSubscriber, subscriberIdForNumber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { getMaskedSubscriber } from '../subscribers/index.js';

/**
 * What the top of a customer's page says, and nothing more: who (masked), which numbers, and whether
 * the service runs and why not. Every other part of the page loads from its own module's API, so a
 * missing permission or a failure hides one section, never the page.
 */
export interface CustomerHeader {
  id: string;
  kind: string;
  status: string;
  createdAt: string;
  /** The person's or organisation's name, masked as every staff view masks it (clause 1). */
  maskedName: string | null;
  numbers: string[];
  /** Every open suspension with its cause; several may be open at once (DESIGN §2). */
  suspensions: Pick<Suspension, 'id' | 'cause' | 'blocks' | 'reason' | 'reference' | 'startedAt'>[];
}

export async function customerHeader(ctx: ServiceContext, subscriberId: string): Promise<CustomerHeader | null> {
  const subscriber = await getMaskedSubscriber(ctx, subscriberId);
  if (!subscriber) return null;
  const open = await activeSuspensions(ctx.db, subscriberId);
  return {
    id: subscriber.id,
    kind: subscriber.kind,
    status: subscriber.status,
    createdAt: subscriber.createdAt,
    maskedName: subscriber.identity.fullName ?? subscriber.identity.legalName ?? null,
    numbers: await numbersOfSubscriber(ctx.db, subscriberId),
    suspensions: open.map(({ id, cause, blocks, reason, reference, startedAt }) => ({ id, cause, blocks, reason, reference, startedAt })),
  };
}

/** The customer a videophone number belongs to, so a clerk can type the number instead of an id. */
export function customerOfNumber(ctx: ServiceContext, number: string): Promise<string | null> {
  return subscriberIdForNumber(ctx.db, number);
}
