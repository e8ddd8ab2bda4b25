import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { formatFen } from '../../lib/money';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Notice = ApiResponse<'/api/portal/outages'>;

/** Outages that reach the subscriber's numbers (clauses 7, 13, 14), and the credits they earned. */
export function OutageNotice() {
  const { t, i18n } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Notice>('/api/portal/outages');
  return (
    <section className="card stack" aria-labelledby="portal-outages" data-testid="portal-outages">
      <h2 id="portal-outages">{t('outages.portal.title')}</h2>
      <QueryView state={state} onRetry={reload}>
        {({ outages, credits }) => (
          <>
            {outages.length === 0 ? (
              <p className="muted">{t('outages.portal.none')}</p>
            ) : (
              <ul>
                {outages.map((o) => (
                  <li key={o.reference} data-testid={`portal-outage-${o.reference}`}>
                    <span className={o.state === 'ongoing' ? 'badge badge-danger' : 'badge'}>{t(`outages.states.${o.state}`)}</span>{' '}
                    {i18n.language === 'en' ? o.descriptionEn : o.descriptionZh} ({when(o.startsAt)} —{' '}
                    {o.endsAt ? when(o.endsAt) : t('outages.status.ongoingEnd')})
                  </li>
                ))}
              </ul>
            )}
            {credits.length > 0 && (
              <>
                <h3>{t('outages.portal.creditsTitle')}</h3>
                <p className="small muted">{t('outages.portal.creditsIntro')}</p>
                <ul data-testid="portal-outage-credits">
                  {credits.map((c) => (
                    <li key={`${c.outageId}-${c.seq}`}>
                      {c.amountFen > 0 ? t('outages.portal.credit') : t('outages.portal.charge')} {formatFen(Math.abs(c.amountFen))} ·{' '}
                      <span className="small">{c.reason}</span>
                    </li>
                  ))}
                </ul>
              </>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
