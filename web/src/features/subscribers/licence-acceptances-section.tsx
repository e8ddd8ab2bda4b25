import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Acceptances = ApiResponse<'/api/console/subscribers/{id}/licence-acceptances'>;

/** Where and when a subscriber accepted each client licence version (clause 3), with the hash of the text they read. */
export function LicenceAcceptancesSection({ id }: { id: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<Acceptances>(`/api/console/subscribers/${id}/licence-acceptances`);
  return (
    <div className="stack" data-testid="subscriber-licence-acceptances">
      <h3>{t('licenceConsole.acceptancesTitle')}</h3>
      <QueryView state={state} onRetry={reload}>
        {({ acceptances }) => (
          <DataTable
            testId="licence-acceptances"
            headings={[
              t('licenceConsole.version'),
              t('licenceConsole.acceptedAt'),
              t('licenceConsole.device'),
              t('licenceConsole.userAgent'),
              t('licenceConsole.language'),
              t('licenceConsole.hash'),
            ]}
            emptyMessage={t('licenceConsole.acceptancesEmpty')}
            isEmpty={acceptances.length === 0}
          >
            {acceptances.map((row) => (
              <tr key={row.id}>
                <td className="numeric">{row.version}</td>
                <td className="nowrap">{formatDateTime(row.acceptedAt)}</td>
                <td className="small">
                  <code>{row.deviceId}</code>
                </td>
                <td className="small">{row.userAgent ?? '—'}</td>
                <td>{row.language}</td>
                <td className="small">
                  <code title={row.textSha256}>{row.textSha256.slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
