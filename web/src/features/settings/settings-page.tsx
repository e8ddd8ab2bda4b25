import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';
import { DataTable } from '../../components/data-table';

type SettingsResponse = ApiResponse<'/api/console/settings'>;
type SettingValue = SettingsResponse['settings'][string];

export function SettingsPage() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<SettingsResponse>('/api/console/settings');

  function display(value: SettingValue): string {
    if (typeof value === 'boolean') return value ? t('settings.yes') : t('settings.no');
    return String(value);
  }

  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ settings }) => {
          const entries = Object.entries(settings).sort(([a], [b]) => a.localeCompare(b));
          if (entries.length === 0) return <p className="muted">{t('settings.empty')}</p>;
          return (
            <DataTable
              testId="settings-table"
              headings={[t('settings.name'), t('settings.value')]}
              emptyMessage={t('app.none')}
              isEmpty={entries.length === 0}
            >
              {entries.map(([name, value]) => (
                <tr key={name}>
                  <th scope="row">
                    <code>{name}</code>
                  </th>
                  <td>{display(value)}</td>
                </tr>
              ))}
            </DataTable>
          );
        }}
      </QueryView>
    </div>
  );
}
