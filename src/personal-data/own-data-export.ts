import { licenceAcceptancesOf, signedAgreementsOf, type LicenceAcceptance, type SignedAgreementData } from '../agreements/index.js';
import { listContacts } from '../contacts/index.js';
import { numbersOfSubscriber } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import { subscriberOwnData, type SubscriberOwnData } from '../subscribers/index.js';

/**
 * What the operator holds about a subscriber, for the subscriber (clause 1; PIPL art. 45 gives a
 * person the right to a copy). Each module that holds personal data publishes its part; this use case
 * only asks them and puts the parts together, so no module reads another's tables for it.
 */
export interface OwnDataExport {
  exportedAt: string;
  subscriber: SubscriberOwnData['subscriber'];
  identity: SubscriberOwnData['identity'];
  order: SubscriberOwnData['order'];
  numbers: string[];
  agreements: SignedAgreementData[];
  documents: SubscriberOwnData['documents'];
  contacts: { name: string; number: string; favourite: boolean }[];
  identityReveals: SubscriberOwnData['identityReveals'];
  legalDisclosures: SubscriberOwnData['legalDisclosures'];
  /** Clause 3: where and when the client licence was accepted (device id, browser, time, text hash). */
  licenceAcceptances: Omit<LicenceAcceptance, 'subscriberId'>[];
}

export async function exportOwnData(ctx: ServiceContext, subscriberId: string): Promise<OwnDataExport> {
  const held = await subscriberOwnData(ctx, subscriberId);
  const numbers = await numbersOfSubscriber(ctx.db, subscriberId);
  const agreements = await signedAgreementsOf(ctx.db, subscriberId);
  const contacts = await listContacts(ctx.db, subscriberId);
  const licenceAcceptances = await licenceAcceptancesOf(ctx, subscriberId);
  // The keys in the order the export has always had, so downloads read the same as before.
  return {
    exportedAt: ctx.clock.now().toISOString(),
    subscriber: held.subscriber,
    identity: held.identity,
    order: held.order,
    numbers,
    agreements,
    documents: held.documents,
    contacts: contacts.map((c) => ({ name: c.name, number: c.number, favourite: c.favourite })),
    identityReveals: held.identityReveals,
    legalDisclosures: held.legalDisclosures,
    licenceAcceptances: licenceAcceptances.map(({ subscriberId: _subscriberId, ...acceptance }) => acceptance),
  };
}
