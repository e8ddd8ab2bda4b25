import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';
import { useDateTimeFormat } from '../../lib/use-date-time-format';

/** For auditors (clause 1): who saw which identity value in clear, when, and the purpose they gave. */
export function IdentityRevealsPage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<ApiResponse<'/api/console/identity-reveals'>>('/api/console/identity-reveals?limit=200');
  return (
    <div className="page stack">
      <h1>{t('subscribersConsole.revealsTitle')}</h1>
      <p className="muted">{t('subscribersConsole.revealsIntro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="identity-reveals"
            headings={[
              t('audit.time'),
              t('audit.actor'),
              t('subscribersConsole.revealedField'),
              t('subscribersConsole.purpose'),
              t('subscribersConsole.subscriber'),
              t('audit.ip'),
            ]}
            emptyMessage={t('subscribersConsole.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((row) => (
              <tr key={row.id}>
                <td className="nowrap">{formatDateTime(row.at)}</td>
                <td>{row.staffUsername}</td>
                <td>{t(`subscribersConsole.fields.${row.field as 'fullName'}`, { defaultValue: row.field })}</td>
                <td>{row.purpose}</td>
                <td className="small">
                  <Link to={`/console/customers/${row.subscriberId}`}>{row.subscriberId}</Link>
                </td>
                <td className="small">{row.ip ?? t('app.none')}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
