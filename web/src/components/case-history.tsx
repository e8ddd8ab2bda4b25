import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../lib/use-date-time-format';
import type { ApiResponse } from '../types/api';

/** A negotiation case as the console and the portal both receive it. */
export type NegotiationCase = ApiResponse<'/api/console/negotiation-cases/{id}'>;

/** What a case is about: an objection to a new agreement version (clause 15) or a fee dispute not settled by its answer (clause 6). */
export function caseTitle(t: TFunction, item: { subject: 'terms-change' | 'fee-dispute'; version: number | null }): string {
  return item.subject === 'fee-dispute' ? t('casesConsole.feeDispute') : t('casesConsole.termsChange', { version: item.version });
}

/** The case's history, oldest first; shared by the console and the portal. */
export function CaseHistory({ item }: { item: NegotiationCase }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <div className="stack">
      <p>
        <span className="badge">{t(`casesConsole.statuses.${item.status}`)}</span>
        {item.arbitrationBody && <span className="small muted"> {t('casesConsole.arbitration', { body: item.arbitrationBody })}</span>}
      </p>
      <ol className="case-history">
        {item.entries.map((entry) => (
          <li key={entry.id}>
            <p className="small muted">
              {entry.authorType === 'staff' ? t('casesConsole.operator') : t('casesConsole.subscriber')} · {formatDateTime(entry.at)}
            </p>
            <p>{entry.text}</p>
          </li>
        ))}
      </ol>
      {item.outcome && <p className="notice">{item.outcome}</p>}
    </div>
  );
}
