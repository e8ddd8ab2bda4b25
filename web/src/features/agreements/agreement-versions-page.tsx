import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { Staff } from '../../types/api';
import type { AgreementVersionSummary } from './agreements-api';
import { useAction } from '../../lib/use-action';

/** Agreement versions and how subscribers answered each; publishing the next one (clause 15). */
export function AgreementVersionsPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<{ versions: AgreementVersionSummary[] }>('/api/console/agreement-versions');
  const mayPublish = staff.permissions.includes('agreements.publish');
  const [version, setVersion] = useState('');
  const [summary, setSummary] = useState('');
  const action = useAction();
  const [published, setPublished] = useState<{ notified: number; lastDayToObject: string } | null>(null);

  async function publish(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    await action.run(async () => {
      setPublished(await postJson('/api/console/agreement-versions', { version: Number(version), summary }));
      reload();
    });
  }

  return (
    <div className="page stack">
      <h1>{t('agreementsConsole.title')}</h1>
      <p className="muted">{t('agreementsConsole.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ versions }) => (
          <DataTable
            testId="agreement-versions"
            headings={[
              t('agreementsConsole.version'),
              t('agreementsConsole.summary'),
              t('agreementsConsole.published'),
              t('agreementsConsole.effective'),
              t('agreementsConsole.answers'),
            ]}
            emptyMessage={t('agreementsConsole.empty')}
            isEmpty={versions.length === 0}
          >
            {versions.map((row) => (
              <tr key={row.version}>
                <td className="numeric">{row.version}</td>
                <td>{row.summary}</td>
                <td className="nowrap">{formatDateTime(row.publishedAt)}</td>
                <td className="nowrap">{formatDateTime(row.effectiveAt)}</td>
                <td className="small">{t('agreementsConsole.counts', row.counts)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {mayPublish && (
        <section className="card" aria-labelledby="publish-title">
          <h2 id="publish-title">{t('agreementsConsole.publishTitle')}</h2>
          <FormProblem error={action.error}>
            <form className="form" onSubmit={publish}>
              <TextField
                id="publish-version"
                label={t('agreementsConsole.version')}
                inputMode="numeric"
                required
                value={version}
                onValueChange={setVersion}
              />
              <TextField id="publish-summary" label={t('agreementsConsole.summary')} required value={summary} onValueChange={setSummary} />
              {action.error !== null && <ProblemAlert error={action.error} />}
              <div>
                <button type="submit" className="button button-primary" data-testid="publish-submit" disabled={action.busy}>
                  {t('agreementsConsole.publish')}
                </button>
              </div>
            </form>
          </FormProblem>
          {published && (
            <p className="text-success" data-testid="publish-result">
              {t('agreementsConsole.publishedResult', { count: published.notified, lastDay: published.lastDayToObject })}
            </p>
          )}
        </section>
      )}
    </div>
  );
}
