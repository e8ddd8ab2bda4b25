import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Status = ApiResponse<'/api/status'>;

/** The public status page: ongoing outages, announced maintenance, and outages resolved lately. */
export function StatusPage() {
  const { t, i18n } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Status>('/api/status');
  return (
    <main className="page stack" data-testid="status-page">
      <h1>{t('outages.status.title')}</h1>
      <p className="muted">{t('outages.status.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ checkedAt, outages, maintenance }) => (
          <>
            {maintenance.length > 0 && (
              <section className="stack" data-testid="status-maintenance">
                <h2>{t('maintenance.status.title')}</h2>
                {maintenance.map((w) => (
                  <article key={w.reference} className="card stack" data-testid={`status-${w.reference}`}>
                    <h3>
                      <span className={w.state === 'in-progress' ? 'badge badge-danger' : 'badge'}>
                        {t(`maintenance.states.${w.state}`)}
                      </span>{' '}
                      {i18n.language === 'en' ? w.titleEn : w.titleZh}
                    </h3>
                    <p className="small muted">
                      {t(`maintenance.effects.${w.effect}`)} · {t(`maintenance.scopes.${w.scope}`)} · {w.reference}
                    </p>
                    <p>
                      {t('maintenance.status.from')} {when(w.startsAt)} — {t('maintenance.status.to')} {when(w.endsAt)}
                    </p>
                    <p>{i18n.language === 'en' ? w.descriptionEn : w.descriptionZh}</p>
                  </article>
                ))}
              </section>
            )}
            {outages.length === 0 ? (
              <p className="card" data-testid="status-all-clear">
                {t('outages.status.allClear')}
              </p>
            ) : (
              outages.map((o) => (
                <article key={o.reference} className="card stack" data-testid={`status-${o.reference}`}>
                  <h2>
                    <span className={o.state === 'ongoing' ? 'badge badge-danger' : 'badge'}>{t(`outages.states.${o.state}`)}</span>{' '}
                    {i18n.language === 'en' ? o.descriptionEn : o.descriptionZh}
                  </h2>
                  <p className="small muted">
                    {t(`outages.causes.${o.cause}`)} · {t(`outages.scopes.${o.scope}`)} · {o.reference}
                  </p>
                  <p>
                    {t('outages.status.from')} {when(o.startsAt)} — {t('outages.status.to')}{' '}
                    {o.endsAt ? when(o.endsAt) : t('outages.status.ongoingEnd')}
                  </p>
                  {o.ranges.length > 0 && <p className="small">{t('outages.status.numbers', { ranges: o.ranges.join(', ') })}</p>}
                </article>
              ))
            )}
            <p className="small muted">{t('outages.status.checkedAt', { time: when(checkedAt) })}</p>
          </>
        )}
      </QueryView>
    </main>
  );
}
