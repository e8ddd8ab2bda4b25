import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { formatFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

type NearLimit = ApiResponse<'/api/console/charging/near-limit'>;

const thresholds = [80, 90, 100] as const;

/**
 * This month's subscribers at or near their credit limit (clause 9), the fullest first, each linked
 * to their page in the console (its credit section has the gauge, the history and the limit form).
 */
export function NearLimitPage() {
  const { t } = useTranslation();
  const [threshold, setThreshold] = useState<number>(80);
  const { state, reload } = useApiQuery<NearLimit>(`/api/console/charging/near-limit?threshold=${threshold}`);
  return (
    <div className="page stack" data-testid="near-limit-page">
      <h1>{t('credit.nearLimit.title')}</h1>
      <p className="muted">{t('credit.nearLimit.intro')}</p>
      <div className="toolbar">
        <label htmlFor="near-limit-threshold">{t('credit.nearLimit.threshold')}</label>
        <select
          id="near-limit-threshold"
          data-testid="near-limit-threshold"
          value={threshold}
          onChange={(event) => setThreshold(Number(event.target.value))}
        >
          {thresholds.map((percent) => (
            <option key={percent} value={percent}>
              {t('credit.nearLimit.thresholdOption', { percent })}
            </option>
          ))}
        </select>
      </div>
      <QueryView state={state} onRetry={reload}>
        {({ subscribers }) => (
          <DataTable
            testId="near-limit-table"
            headings={[
              t('credit.nearLimit.subscriber'),
              t('credit.nearLimit.numbers'),
              t('credit.nearLimit.fees'),
              t('credit.nearLimit.limit'),
              t('credit.nearLimit.used'),
              t('credit.nearLimit.status'),
            ]}
            emptyMessage={t('credit.nearLimit.empty')}
            isEmpty={subscribers.length === 0}
          >
            {subscribers.map((row) => (
              <tr key={row.subscriberId} data-testid={`near-limit-${row.subscriberId}`}>
                <td>
                  <Link to={`/console/customers/${row.subscriberId}`} data-testid="near-limit-open">
                    {row.name ?? t('credit.nearLimit.unnamed')}
                  </Link>
                </td>
                <td className="numeric">{row.numbers.join(', ')}</td>
                <td className="numeric" data-testid="near-limit-fees">
                  {formatFen(row.feesFen)}
                </td>
                <td className="numeric">{formatFen(row.limitFen)}</td>
                <td className="nowrap">
                  <progress max={100} value={Math.min(row.percent, 100)} aria-hidden="true" />{' '}
                  <span className="numeric" data-testid="near-limit-percent">
                    {row.percent}%
                  </span>
                </td>
                <td>
                  <span className={row.blocked ? 'badge badge-danger' : 'badge'} data-testid="near-limit-status">
                    {row.blocked ? t('credit.nearLimit.blocked') : t('credit.nearLimit.near')}
                  </span>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
