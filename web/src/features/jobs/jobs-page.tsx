import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { DataTable } from '../../components/data-table';
import type { ApiResponse } from '../../types/api';

export function JobsPage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<ApiResponse<'/api/console/jobs'>>('/api/console/jobs');
  const none = t('app.none');

  return (
    <div className="page">
      <h1>{t('jobs.title')}</h1>
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="jobs-table"
            headings={[
              t('jobs.name'),
              t('jobs.interval'),
              t('jobs.advancedTo'),
              t('jobs.lastRun'),
              t('jobs.lastDuration'),
              t('jobs.lastError'),
            ]}
            emptyMessage={t('jobs.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((job) => (
              <tr key={job.name}>
                <th scope="row">
                  <code>{job.name}</code>
                </th>
                <td className="numeric">{t('jobs.seconds', { value: job.intervalSeconds })}</td>
                <td>{job.advancedTo ? formatDateTime(job.advancedTo) : none}</td>
                <td>{job.lastRunAt ? formatDateTime(job.lastRunAt) : none}</td>
                <td className="numeric">{job.lastDurationMs === null ? none : t('jobs.milliseconds', { value: job.lastDurationMs })}</td>
                <td>
                  {job.lastError ? (
                    <span className="text-danger">{job.lastError}</span>
                  ) : job.lastRunAt ? (
                    <span className="text-success">{t('jobs.ok')}</span>
                  ) : (
                    none
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
