import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import { DataTable } from '../../components/data-table';
import type { ApiResponse } from '../../types/api';

type AuditLog = ApiResponse<'/api/console/audit'>;

const limit = 100;

function auditPath(action: string): string {
  const query = new URLSearchParams({ limit: String(limit) });
  if (action) query.set('action', action);
  return `/api/console/audit?${query.toString()}`;
}

export function AuditPage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [draft, setDraft] = useState('');
  // Filtering happens on the server (a prefix match on the action name) so it searches the whole log,
  // not just the rows already loaded.
  const [action, setAction] = useState('');
  const { state, reload } = useApiQuery<AuditLog>(auditPath(action));
  const none = t('app.none');

  function applyFilter(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setAction(draft.trim());
  }

  function clearFilter(): void {
    setDraft('');
    setAction('');
  }

  return (
    <div className="page">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('audit.intro')}</p>
      <form className="toolbar" role="search" onSubmit={applyFilter}>
        <label htmlFor="audit-action-filter">{t('audit.filterLabel')}</label>
        <input
          id="audit-action-filter"
          data-testid="audit-filter"
          type="search"
          spellCheck={false}
          placeholder={t('audit.filterPlaceholder')}
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
        />
        <button type="submit" className="button">
          {t('audit.apply')}
        </button>
        {action && (
          <button type="button" className="button button-quiet" onClick={clearFilter}>
            {t('audit.clear')}
          </button>
        )}
      </form>
      <QueryView state={state} onRetry={reload}>
        {({ items }) => (
          <DataTable
            testId="audit-table"
            headings={[t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.outcome'), t('audit.ip')]}
            emptyMessage={t('audit.empty')}
            isEmpty={items.length === 0}
          >
            {items.map((entry) => (
              <tr key={entry.id}>
                <td className="nowrap">{formatDateTime(entry.at)}</td>
                <td>
                  {entry.actorName ?? entry.actorId ?? none}
                  <div className="muted small">{entry.actorType}</div>
                </td>
                <td>
                  <code>{entry.action}</code>
                  {entry.detail ? (
                    <details className="small">
                      <summary>{t('audit.detail')}</summary>
                      <pre>{JSON.stringify(entry.detail, null, 2)}</pre>
                    </details>
                  ) : null}
                </td>
                <td>
                  {entry.targetType ? (
                    <>
                      {entry.targetType}
                      {entry.targetId && <div className="muted small">{entry.targetId}</div>}
                    </>
                  ) : (
                    none
                  )}
                </td>
                <td>
                  <span className={entry.outcome === 'success' ? 'badge badge-success' : 'badge badge-danger'}>
                    {t(entry.outcome === 'success' ? 'audit.success' : 'audit.failure')}
                  </span>
                </td>
                <td className="nowrap">{entry.ip ?? none}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </div>
  );
}
