import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';
import { settingsMessagesZhCN } from './messages';

type SettingsResponse = ApiResponse<'/api/console/settings'>;
type SettingValue = SettingsResponse['settings'][string];
type SettingName = keyof typeof settingsMessagesZhCN.settingDescriptions;
type ValueWord = keyof typeof settingsMessagesZhCN.settingValues;

function isDescribed(name: string): name is SettingName {
  return Object.hasOwn(settingsMessagesZhCN.settingDescriptions, name);
}

function isValueWord(value: string): value is ValueWord {
  return Object.hasOwn(settingsMessagesZhCN.settingValues, value);
}

/** `lateFeeRatePerDay` → `VP_LATE_FEE_RATE_PER_DAY`, the variable an operator sets it with. */
function environmentVariableOf(name: string): string {
  return 'VP_' + name.replace(/[A-Z]/g, (c) => '_' + c).toUpperCase();
}

/** The operator's settings in words: what each means, the clause it fills in, its value as a person reads it. */
export function SettingsPage() {
  const { t, i18n } = useTranslation();
  const { state, reload } = useApiQuery<SettingsResponse>('/api/console/settings');

  function display(name: string, value: SettingValue): string {
    if (typeof value === 'boolean') return value ? t('settings.yes') : t('settings.no');
    if (typeof value === 'string' && isValueWord(value)) return t(`settingValues.${value}`);
    if (name === 'lateFeeRatePerDay' && typeof value === 'string') {
      // A decimal fraction as a percentage, by string arithmetic so no float rounding shows.
      const percent = new Intl.NumberFormat(i18n.language, { style: 'percent', maximumFractionDigits: 7 }).format(Number(value));
      return percent;
    }
    if (typeof value === 'number') return new Intl.NumberFormat(i18n.language).format(value);
    return String(value);
  }

  return (
    <div className="page">
      <h1>{t('settings.title')}</h1>
      <p className="muted">{t('settings.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ settings }) => {
          const entries = Object.entries(settings);
          if (entries.length === 0) return <p className="muted">{t('settings.empty')}</p>;
          return (
            <DataTable
              testId="settings-table"
              headings={[t('settings.name'), t('settingsExtra.meaning'), t('settingsExtra.clause'), t('settings.value')]}
              emptyMessage={t('app.none')}
              isEmpty={entries.length === 0}
            >
              {entries.map(([name, value]) => (
                <tr key={name} data-testid={`setting-${name}`}>
                  <th scope="row">
                    {isDescribed(name) ? t(`settingDescriptions.${name}.name`) : name}
                    <br />
                    <code className="muted" title={t('settingsExtra.variable')}>
                      {environmentVariableOf(name)}
                    </code>
                  </th>
                  <td>{isDescribed(name) ? t(`settingDescriptions.${name}.meaning`) : ''}</td>
                  <td>{isDescribed(name) ? t(`settingDescriptions.${name}.clause`) : ''}</td>
                  <td>{display(name, value)}</td>
                </tr>
              ))}
            </DataTable>
          );
        }}
      </QueryView>
    </div>
  );
}
