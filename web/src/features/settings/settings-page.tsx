import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';

type SettingValue = string | number | boolean;
type SettingsResponse = { settings: Record<string, SettingValue> };

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
            <div className="table-wrap">
              <table data-testid="settings-table">
                <thead>
                  <tr>
                    <th scope="col">{t('settings.name')}</th>
                    <th scope="col">{t('settings.value')}</th>
                  </tr>
                </thead>
                <tbody>
                  {entries.map(([name, value]) => (
                    <tr key={name}>
                      <th scope="row">
                        <code>{name}</code>
                      </th>
                      <td>{display(value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
    </div>
  );
}
