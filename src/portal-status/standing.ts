import type { SuspensionCause } from '../entitlements/index.js';
import type { Fen } from '../platform/money.js';
import type { SubscriberStanding } from '../subscribers/index.js';

/**
 * What the portal's status card says, decided in one pure function over a snapshot of the modules'
 * answers. The card never reads "service active" while anything stands in the way: every open
 * suspension with its cause, a termination still in progress and what it waits on, and what is owed
 * now, each with the one action that resolves it.
 */
export type PayPurpose = 'bill' | 'balance' | 'month-fees' | 'final-settlement';

export type StandingAction =
  | { kind: 'pay'; purpose: PayPurpose; billId: string | null; amountFen: Fen }
  | { kind: 'contact-support' }
  | { kind: 'read-notices' }
  | { kind: 'send-documents' }
  | { kind: 'raise-credit-limit' };

export type StandingItem =
  | {
      kind: 'suspension';
      cause: Exclude<SuspensionCause, 'termination'>;
      blocks: 'outgoing' | 'all';
      since: string;
      actions: StandingAction[];
    }
  | { kind: 'termination'; requestedAt: string; waitsOn: 'final-settlement' | 'completion'; amountFen: Fen; actions: StandingAction[] }
  | { kind: 'owed'; amountFen: Fen; overdue: boolean; actions: StandingAction[] };

/** The word on the badge: `active` only when nothing above applies. */
export type Headline = SubscriberStanding['status'] | 'terminating';

export interface StandingSnapshot {
  subscriber: SubscriberStanding;
  suspensions: readonly { cause: SuspensionCause; blocks: 'outgoing' | 'all'; startedAt: string }[];
  /** What paying today settles (billing's `amountOwedNow`), or null where billing does not run. */
  owedNowFen: Fen | null;
  /** Issued bills past their due date with money outstanding, oldest first. */
  overdueBills: readonly { billId: string; outstandingFen: Fen }[];
  /** This month's fees (settled and held) over the credit limit (clause 9), or null without a limit. */
  monthFeesFen: Fen | null;
}

export interface PortalStanding {
  headline: Headline;
  owedNowFen: Fen;
  items: StandingItem[];
}

export function portalStanding(snapshot: StandingSnapshot): PortalStanding {
  const { subscriber } = snapshot;
  const owedNowFen = snapshot.owedNowFen ?? 0;
  const items: StandingItem[] = [];
  const payOverdue = (): StandingAction => {
    const only = snapshot.overdueBills.length === 1 ? snapshot.overdueBills[0]! : null;
    return only
      ? { kind: 'pay', purpose: 'bill', billId: only.billId, amountFen: only.outstandingFen }
      : { kind: 'pay', purpose: 'balance', billId: null, amountFen: owedNowFen };
  };

  for (const suspension of snapshot.suspensions) {
    const { cause, blocks, startedAt: since } = suspension;
    switch (cause) {
      case 'termination':
        break; // Told as the termination below, with what it waits on.
      case 'overdue': // Clause 5: paying the overdue bill restores the service at once.
        items.push({ kind: 'suspension', cause, blocks, since, actions: [payOverdue()] });
        break;
      case 'credit-limit': // Clause 9: pay this month's fees early, or choose a higher limit.
        items.push({
          kind: 'suspension',
          cause,
          blocks,
          since,
          actions: [
            { kind: 'pay', purpose: 'month-fees', billId: null, amountFen: snapshot.monthFeesFen ?? owedNowFen },
            { kind: 'raise-credit-limit' },
          ],
        });
        break;
      case 'judicial': // Clause 10: nothing the subscriber pays lifts it; the notice and support explain.
        items.push({ kind: 'suspension', cause, blocks, since, actions: [{ kind: 'read-notices' }, { kind: 'contact-support' }] });
        break;
      case 'false-data': // Clause 1: true documents lift it once verified.
        items.push({ kind: 'suspension', cause, blocks, since, actions: [{ kind: 'send-documents' }, { kind: 'contact-support' }] });
        break;
      case 'abuse':
        items.push({ kind: 'suspension', cause, blocks, since, actions: [{ kind: 'read-notices' }, { kind: 'contact-support' }] });
        break;
    }
  }

  const terminating = subscriber.terminationRequestedAt !== null && subscriber.status !== 'terminated';
  if (terminating) {
    // Clause 11: the agreement ends once every fee is settled; until then the job waits on the money.
    const waitsOn = owedNowFen > 0 ? 'final-settlement' : 'completion';
    items.push({
      kind: 'termination',
      requestedAt: subscriber.terminationRequestedAt!,
      waitsOn,
      amountFen: owedNowFen,
      actions:
        waitsOn === 'final-settlement'
          ? [{ kind: 'pay', purpose: 'final-settlement', billId: null, amountFen: owedNowFen }]
          : [{ kind: 'contact-support' }],
    });
  }

  // What is owed, when no item above already asks for it.
  const alreadyAsked = items.some((item) => item.actions.some((action) => action.kind === 'pay'));
  if (owedNowFen > 0 && !alreadyAsked) {
    const overdue = snapshot.overdueBills.length > 0;
    items.push({
      kind: 'owed',
      amountFen: owedNowFen,
      overdue,
      actions: [overdue ? payOverdue() : { kind: 'pay', purpose: 'balance', billId: null, amountFen: owedNowFen }],
    });
  }

  return { headline: headlineOf(subscriber, terminating, items), owedNowFen, items };
}

function headlineOf(subscriber: SubscriberStanding, terminating: boolean, items: StandingItem[]): Headline {
  if (subscriber.status === 'terminated') return 'terminated';
  if (terminating) return 'terminating';
  if (items.some((item) => item.kind === 'suspension')) return 'suspended';
  return subscriber.status;
}
