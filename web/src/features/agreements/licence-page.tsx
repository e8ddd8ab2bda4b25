import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { isLanguage } from '../../i18n/i18n';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type LicenceVersions = ApiResponse<'/api/console/licence-versions'>;

/** The client licence's versions (clause 3): which is in force, its texts and hashes, and how many accepted it. */
export function LicencePage() {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const language = isLanguage(i18n.language) ? i18n.language : 'zh-CN';
  const { state, reload } = useApiQuery<LicenceVersions>('/api/console/licence-versions');
  return (
    <div className="page stack">
      <h1>{t('licenceConsole.title')}</h1>
      <p className="muted">{t('licenceConsole.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ versions }) => (
          <DataTable
            testId="licence-versions"
            headings={[
              t('licenceConsole.version'),
              t('licenceConsole.effective'),
              t('licenceConsole.summary'),
              t('licenceConsole.accepted'),
              t('licenceConsole.hash'),
            ]}
            emptyMessage={t('licenceConsole.empty')}
            isEmpty={versions.length === 0}
          >
            {versions.map((row) => (
              <tr key={row.version} data-testid={`licence-version-${row.version}`}>
                <td className="numeric">
                  {row.version} {row.current && <span className="badge">{t('licenceConsole.current')}</span>}
                </td>
                <td className="nowrap">{formatDateTime(row.effectiveAt)}</td>
                <td>
                  {row.summary[language]}
                  <details className="small">
                    <summary>{t('licenceConsole.text')}</summary>
                    <pre lang={language}>{row.texts[language]}</pre>
                  </details>
                </td>
                <td className="small">{t('licenceConsole.acceptedCounts', row.accepted)}</td>
                <td className="small">
                  <code title={row.textSha256[language]}>{row.textSha256[language].slice(0, 16)}…</code>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
