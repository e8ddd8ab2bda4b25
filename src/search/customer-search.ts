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

/** A subscriber found, and why; `number` is the one to show when the lookup already read it (null: none). */
type Hit = { summary: SubscriberSearchSummary; matchedBy: MatchedBy; bill?: { id: string; period: string }; number?: string | null };

/**
 * Staff search over subscribers: the query is classified, each lookup that fits it runs on an index
 * (keyed tokens for sealed identity, the primary key for numbers and bills), and hits come back with a
 * masked name, their first number and their status. Account and bill hits need `billing.read`.
 * Lookups that do not depend on each other run side by side, so a search waits for two statements in
 * a row (found, then the numbers of what was found) however many it issues; a name search reads a
 * further page only when n-grams met out of order fail the check on the opened name.
 */
export async function searchCustomers(
  ctx: ServiceContext,
  request: { q: string; limit: number; mayReadBilling: boolean },
): Promise<CustomerSearch> {
  const query = classifyQuery(request.q);
  const { limit } = request;
  let hits: Hit[] = [];

  switch (query.kind) {
    case 'none':
      break;
    case 'name':
      hits = (await findSubscribersByName(ctx, query.text, limit)).map((summary) => ({ summary, matchedBy: 'name' }));
      break;
    case 'digits': {
      const [byNumber, byPhone, byLastFour] = await Promise.all([
        query.digits.length >= NUMBER_PREFIX_MINIMUM ? numberHits(ctx, query.digits, limit) : [],
        findSubscribersByContactPhone(ctx, query.text, limit),
        query.lastFour ? findSubscribersByIdLastFour(ctx, query.lastFour, limit) : [],
      ]);
      hits = [
        ...byNumber,
        ...byPhone.map((summary): Hit => ({ summary, matchedBy: 'contact-phone' })),
        ...byLastFour.map((summary): Hit => ({ summary, matchedBy: 'id-last-four' })),
      ];
      break;
    }
    case 'id': {
      if (!request.mayReadBilling) break;
      const [account, bill] = await Promise.all([findBillingAccount(ctx.db, query.id), billOwner(ctx, query.id)]);
      const owners = [...new Set([account?.subscriberId, bill?.subscriberId].filter((id): id is string => id !== undefined))];
      const [summaries, numbers] = await Promise.all([subscriberSearchSummaries(ctx, owners), firstNumbersOf(ctx.db, owners)]);
      const byId = new Map(summaries.map((summary) => [summary.id, summary]));
      const ownerOf = (subscriberId: string) => ({ summary: byId.get(subscriberId)!, number: numbers.get(subscriberId) ?? null });
      if (account && byId.has(account.subscriberId)) hits.push({ ...ownerOf(account.subscriberId), matchedBy: 'account' });
      if (bill && byId.has(bill.subscriberId))
        hits.push({ ...ownerOf(bill.subscriberId), matchedBy: 'bill', bill: { id: bill.billId, period: bill.period } });
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
      number: hit.number === undefined ? (numbers.get(hit.summary.id) ?? null) : hit.number,
      status: hit.summary.status,
      subscriberKind: hit.summary.kind,
      matchedBy: hit.matchedBy,
    });
  }
  return { classifiedAs: query.kind, results };
}

/** Subscribers by the start of a videophone number, each with the number that matched. */
async function numberHits(ctx: ServiceContext, digits: string, limit: number): Promise<Hit[]> {
  const numbers = await assignedNumbersStartingWith(ctx.db, digits, limit);
  const summaries = new Map(
    (
      await subscriberSearchSummaries(
        ctx,
        numbers.map((n) => n.subscriberId),
      )
    ).map((s) => [s.id, s]),
  );
  return numbers.flatMap(({ number, subscriberId }): Hit[] => {
    const summary = summaries.get(subscriberId);
    return summary ? [{ summary, matchedBy: 'number', number }] : [];
  });
}
