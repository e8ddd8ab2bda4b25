// Shapes of the terms-change and negotiation API (clauses 15 and 16), as the server documents them.

export type CaseStatus = 'open' | 'resolved' | 'escalated-to-arbitration';

export type CaseEntry = {
  id: number;
  authorType: 'subscriber' | 'staff';
  authorId: string;
  authorName: string | null;
  at: string;
  text: string;
};

export type NegotiationCase = {
  id: string;
  subscriberId: string;
  subject: 'terms-change';
  version: number | null;
  status: CaseStatus;
  openedAt: string;
  resolvedAt: string | null;
  outcome: string | null;
  arbitrationBody: string | null;
  entries: CaseEntry[];
};

export type CaseSummary = Omit<NegotiationCase, 'entries' | 'outcome' | 'arbitrationBody'> & { entryCount: number };

export type AgreementVersionSummary = {
  version: number;
  summary: string;
  publishedAt: string;
  effectiveAt: string;
  counts: { notified: number; pending: number; objected: number; accepted: number; acceptedBySilence: number };
};

export type PendingTermsChange = {
  version: number;
  summary: string;
  notifiedAt: string;
  effectiveAt: string;
  lastDayToObject: string;
  objectionDeadline: string;
};
