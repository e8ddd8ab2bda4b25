import { billOwner, findBillingAccount } from '../billing/index.js';
import { assignedNumbersStartingWith, firstNumbersOf } from '../numbers/index.js';
import type { ServiceContext } from '../platform/context.js';
import {
  findSubscribersByContactPhone,
  findSubscribersByIdLastFour,
  findSubscribersByName,
  subscriberSearchSummaries,
  type SubscriberSearchSummary,
} from '../subscribers/index.js';
import { classifyQuery, type ClassifiedQuery } from './classify-query.js';

export type MatchedBy = 'name' | 'number' | 'contact-phone' | 'id-last-four' | 'account' | 'bill';

/** One hit. Every hit leads to a subscriber's page; a bill hit names the bill as well. */
export interface CustomerSearchResult {
  kind: 'subscriber' | 'bill';
  subscriberId: string;
  billId: string | null;
  billPeriod: string | null;
  maskedName: string | null;
  number: string | null;
  status: SubscriberSearchSummary['status'];
  subscriberKind: SubscriberSearchSummary['kind'];
  matchedBy: MatchedBy;
}

export interface CustomerSearch {
  classifiedAs: ClassifiedQuery['kind'];
  results: CustomerSearchResult[];
}

/** Videophone numbers are searched by their start from this many digits (fewer would list a whole range). */
const NUMBER_PREFIX_MINIMUM = 3;

/**
 * Staff search over subscribers: the query is classified, each lookup that fits it runs on an index
 * (keyed tokens for sealed identity, the primary key for numbers and bills), and hits come back with a
 * masked name, their first number and their status. Account and bill hits need `billing.read`.
 */
export async function searchCustomers(
  ctx: ServiceContext,
  request: { q: string; limit: number; mayReadBilling: boolean },
): Promise<CustomerSearch> {
  const query = classifyQuery(request.q);
  const { limit } = request;
  const hits: { summary: SubscriberSearchSummary; matchedBy: MatchedBy; bill?: { id: string; period: string }; number?: string }[] = [];

  switch (query.kind) {
    case 'none':
      break;
    case 'name':
      for (const summary of await findSubscribersByName(ctx, query.text, limit)) hits.push({ summary, matchedBy: 'name' });
      break;
    case 'digits': {
      if (query.digits.length >= NUMBER_PREFIX_MINIMUM) {
        const numbers = await assignedNumbersStartingWith(ctx.db, query.digits, limit);
        const summaries = new Map(
          (
            await subscriberSearchSummaries(
              ctx,
              numbers.map((n) => n.subscriberId),
            )
          ).map((s) => [s.id, s]),
        );
        for (const { number, subscriberId } of numbers) {
          const summary = summaries.get(subscriberId);
          if (summary) hits.push({ summary, matchedBy: 'number', number });
        }
      }
      for (const summary of await findSubscribersByContactPhone(ctx, query.text, limit)) hits.push({ summary, matchedBy: 'contact-phone' });
      if (query.lastFour) {
        for (const summary of await findSubscribersByIdLastFour(ctx, query.lastFour, limit))
          hits.push({ summary, matchedBy: 'id-last-four' });
      }
      break;
    }
    case 'id': {
      if (!request.mayReadBilling) break;
      const account = await findBillingAccount(ctx.db, query.id);
      if (account) {
        const [summary] = await subscriberSearchSummaries(ctx, [account.subscriberId]);
        if (summary) hits.push({ summary, matchedBy: 'account' });
      }
      const bill = await billOwner(ctx, query.id);
      if (bill) {
        const [summary] = await subscriberSearchSummaries(ctx, [bill.subscriberId]);
        if (summary) hits.push({ summary, matchedBy: 'bill', bill: { id: bill.billId, period: bill.period } });
      }
      break;
    }
  }

  const numbers = await firstNumbersOf(
    ctx.db,
    hits.filter((hit) => hit.number === undefined).map((hit) => hit.summary.id),
  );
  const seen = new Set<string>();
  const results: CustomerSearchResult[] = [];
  for (const hit of hits) {
    // One row per subscriber (the first reason found wins), and one per bill.
    const key = hit.bill ? `bill ${hit.bill.id}` : `subscriber ${hit.summary.id}`;
    if (seen.has(key) || results.length >= limit) continue;
    seen.add(key);
    results.push({
      kind: hit.bill ? 'bill' : 'subscriber',
      subscriberId: hit.summary.id,
      billId: hit.bill?.id ?? null,
      billPeriod: hit.bill?.period ?? null,
      maskedName: hit.summary.maskedName,
      number: hit.number ?? numbers.get(hit.summary.id) ?? null,
      status: hit.summary.status,
      subscriberKind: hit.summary.kind,
      matchedBy: hit.matchedBy,
    });
  }
  return { classifiedAs: query.kind, results };
}
