import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { deliveryStatuses, type DeliveryStatus, type NoticeDelivery } from './notices-api';

/** Deliveries in trouble (`notices.publish`): failed ones waiting for their retry and dead ones, each retryable. */
export function NoticeDeliveriesPage() {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [status, setStatus] = useState<DeliveryStatus | ''>('');
  const { state, reload } = useApiQuery<{ deliveries: NoticeDelivery[] }>(
    `/api/console/notice-deliveries${status ? `?status=${status}` : ''}`,
  );
  const action = useAction();
  const [retried, setRetried] = useState<string | null>(null);
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';

  async function retry(id: string): Promise<void> {
    const done = await action.run(() => postJson(`/api/console/notice-deliveries/${encodeURIComponent(id)}/retry`, {}));
    if (done !== undefined) {
      setRetried(id);
      reload();
    }
  }

  return (
    <div className="page stack" data-testid="notice-deliveries-page">
      <h1>{t('noticeDeliveries.title')}</h1>
      <p className="muted">{t('noticeDeliveries.intro')}</p>
      <div className="toolbar">
        <label htmlFor="delivery-status-filter">{t('noticeDeliveries.status')}</label>
        <select
          id="delivery-status-filter"
          data-testid="delivery-status-filter"
          value={status}
          onChange={(event) => setStatus(event.target.value as DeliveryStatus | '')}
        >
          <option value="">{t('noticeDeliveries.allTrouble')}</option>
          {deliveryStatuses.map((s) => (
            <option key={s} value={s}>
              {t(`noticeDeliveries.statuses.${s}`)}
            </option>
          ))}
        </select>
      </div>
      {retried && (
        <p className="notice" role="status" data-testid="delivery-retried">
          {t('noticeDeliveries.retried')}
        </p>
      )}
      {action.error !== null && <ProblemAlert error={action.error} />}
      <QueryView state={state} onRetry={reload}>
        {({ deliveries }) => (
          <DataTable
            testId="notice-deliveries"
            isEmpty={deliveries.length === 0}
            emptyMessage={t('noticeDeliveries.empty')}
            headings={[
              t('noticeDeliveries.notice'),
              t('noticeDeliveries.subscriber'),
              t('noticeDeliveries.channel'),
              t('noticeDeliveries.status'),
              t('noticeDeliveries.attempts'),
              t('noticeDeliveries.nextAttempt'),
              t('noticeDeliveries.lastError'),
              t('noticeDeliveries.updated'),
              '',
            ]}
          >
            {deliveries.map((d) => (
              <tr key={d.id} data-testid="notice-delivery" data-status={d.status}>
                <td>{d.title[lang]}</td>
                <td>
                  <Link to={`/console/customers/${d.subscriberId}`}>
                    <code>{d.subscriberId}</code>
                  </Link>
                </td>
                <td>{t(`noticeDeliveries.channels.${d.channel}`)}</td>
                <td>{t(`noticeDeliveries.statuses.${d.status}`)}</td>
                <td>{d.attempts}</td>
                <td>{d.nextAttemptAt ? formatDateTime(d.nextAttemptAt) : t('app.none')}</td>
                <td>{d.lastError ?? t('app.none')}</td>
                <td>{formatDateTime(d.updatedAt)}</td>
                <td>
                  {(d.status === 'failed' || d.status === 'dead') && (
                    <button
                      type="button"
                      className="button"
                      disabled={action.busy}
                      onClick={() => void retry(d.id)}
                      data-testid="delivery-retry"
                    >
                      {t('noticeDeliveries.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
