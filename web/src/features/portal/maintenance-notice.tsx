import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Maintenance = ApiResponse<'/api/portal/maintenance'>;

/** Maintenance windows that reach the subscriber, upcoming and in progress (clause 7), in the reader's language. */
export function MaintenanceNotice() {
  const { t, i18n } = useTranslation();
  const when = useDateTimeFormat();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { state, reload } = useApiQuery<Maintenance>(`/api/portal/maintenance?lang=${lang}`);
  return (
    <section className="card stack" aria-labelledby="portal-maintenance" data-testid="portal-maintenance">
      <h2 id="portal-maintenance">{t('maintenance.portal.title')}</h2>
      <QueryView state={state} onRetry={reload}>
        {({ windows }) =>
          windows.length === 0 ? (
            <p className="muted">{t('maintenance.portal.none')}</p>
          ) : (
            <ul>
              {windows.map((w) => (
                <li key={w.id} data-testid="portal-maintenance-window">
                  <span className={w.inProgress ? 'badge badge-danger' : 'badge'}>
                    {w.inProgress ? t('maintenance.portal.inProgress') : t(`maintenance.effects.${w.effect}`)}
                  </span>{' '}
                  <strong>{w.title}</strong> ({when(w.startsAt)} — {when(w.endsAt)})<div className="small">{w.description}</div>
                  {w.oldNumber && w.newNumber && (
                    <div className="small">{t('maintenance.portal.numberChange', { oldNumber: w.oldNumber, newNumber: w.newNumber })}</div>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </QueryView>
    </section>
  );
}
