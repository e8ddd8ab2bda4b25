import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../lib/use-date-time-format';
import type { ApiResponse } from '../types/api';

/** A negotiation case as the console and the portal both receive it. */
export type NegotiationCase = ApiResponse<'/api/console/negotiation-cases/{id}'>;

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
