import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type AuditLog = ApiResponse<'/api/console/audit'>;
type AuditEntry = AuditLog['items'][number];

const limit = 50;

interface Filter {
  from: string;
  to: string;
  actor: string;
  targetType: string;
  targetId: string;
  action: string;
}

const noFilter: Filter = { from: '', to: '', actor: '', targetType: '', targetId: '', action: '' };

/** Dates are days in the viewer's time zone: `to` includes its whole day. */
function filterQuery(filter: Filter, language: string): URLSearchParams {
  const query = new URLSearchParams({ lang: language === 'en' ? 'en' : 'zh-CN' });
  if (filter.from) query.set('from', new Date(`${filter.from}T00:00:00`).toISOString());
  if (filter.to) query.set('to', new Date(new Date(`${filter.to}T00:00:00`).getTime() + 86_400_000).toISOString());
  if (filter.actor.trim()) query.set('actor', filter.actor.trim());
  if (filter.targetType) query.set('targetType', filter.targetType);
  if (filter.targetType && filter.targetId.trim()) query.set('targetId', filter.targetId.trim());
  if (filter.action.trim()) query.set('action', filter.action.trim());
  return query;
}

/** Where a named party lives in the console: staff on the staff page, a subscriber on their customer page. */
function partyLink(type: string | null, id: string | null): string | null {
  if (!id) return null;
  if (type === 'staff') return `/console/staff#${encodeURIComponent(id)}`;
  if (type === 'subscriber') return `/console/customers/${encodeURIComponent(id)}`;
  return null;
}

function Party({ type, id, name, testId }: { type: string | null; id: string | null; name: string | null; testId: string }) {
  const link = partyLink(type, id);
  const label = name ?? id;
  if (!label) return null;
  return link ? (
    <Link to={link} data-testid={testId}>
      {label}
    </Link>
  ) : (
    <span data-testid={testId}>{label}</span>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [draft, setDraft] = useState<Filter>(noFilter);
  const [filter, setFilter] = useState<Filter>(noFilter);
  // Keyset pages: the `beforeId` of each page shown so far, so "newer" steps back exactly.
  const [pages, setPages] = useState<number[]>([]);
  const query = filterQuery(filter, i18n.language);
  const pageQuery = new URLSearchParams(query);
  pageQuery.set('limit', String(limit));
  const beforeId = pages[pages.length - 1];
  if (beforeId !== undefined) pageQuery.set('beforeId', String(beforeId));
  const { state, reload } = useApiQuery<AuditLog>(`/api/console/audit?${pageQuery.toString()}`);
  const exportQuery = new URLSearchParams(query);
  exportQuery.set('format', 'csv');
  const none = t('app.none');
  const set = (field: keyof Filter) => (value: string) => setDraft((current) => ({ ...current, [field]: value }));

  function apply(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    setFilter(draft);
    setPages([]);
  }

  function clear(): void {
    setDraft(noFilter);
    setFilter(noFilter);
    setPages([]);
  }

  const actorType = (type: AuditEntry['actorType']) => t(`auditLog.actorTypes.${type}`);

  return (
    <div className="page">
      <h1>{t('audit.title')}</h1>
      <p className="muted">{t('auditLog.intro')}</p>
      <form className="filters" role="search" onSubmit={apply} data-testid="audit-filters">
        <TextField id="audit-from" label={t('auditLog.from')} type="date" value={draft.from} onValueChange={set('from')} />
        <TextField id="audit-to" label={t('auditLog.to')} type="date" value={draft.to} onValueChange={set('to')} />
        <TextField id="audit-actor" label={t('auditLog.actor')} spellCheck={false} value={draft.actor} onValueChange={set('actor')} />
        <div className="field">
          <label htmlFor="audit-target-type">{t('auditLog.targetType')}</label>
          <select
            id="audit-target-type"
            data-testid="audit-target-type"
            value={draft.targetType}
            onChange={(event) => set('targetType')(event.target.value)}
          >
            <option value="">{t('auditLog.anyTarget')}</option>
            {(['staff', 'subscriber', 'plan'] as const).map((type) => (
              <option key={type} value={type}>
                {t(`auditLog.targetTypes.${type}`)}
              </option>
            ))}
          </select>
        </div>
        <TextField
          id="audit-target-id"
          label={t('auditLog.targetId')}
          spellCheck={false}
          value={draft.targetId}
          onValueChange={set('targetId')}
        />
        <TextField id="audit-action" label={t('auditLog.action')} spellCheck={false} value={draft.action} onValueChange={set('action')} />
        <div className="toolbar">
          <button type="submit" className="button" data-testid="audit-apply">
            {t('auditLog.apply')}
          </button>
          <button type="button" className="button button-quiet" onClick={clear}>
            {t('auditLog.clear')}
          </button>
          <a className="button button-quiet" data-testid="audit-export" href={`/api/console/audit?${exportQuery.toString()}`} download>
            {t('auditLog.export')}
          </a>
        </div>
      </form>
      <QueryView state={state} onRetry={reload}>
        {({ items, nextBeforeId }) => (
          <>
            <DataTable
              testId="audit-table"
              headings={[t('audit.time'), t('audit.actor'), t('audit.action'), t('audit.target'), t('audit.outcome'), t('audit.ip')]}
              emptyMessage={t('audit.empty')}
              isEmpty={items.length === 0}
            >
              {items.map((entry) => (
                <tr key={entry.id} data-testid="audit-row">
                  <td className="nowrap">{formatDateTime(entry.at)}</td>
                  <td>
                    <Party type={entry.actorType} id={entry.actorId} name={entry.actorName} testId="audit-actor-name" />
                    <div className="muted small">{actorType(entry.actorType)}</div>
                  </td>
                  <td>
                    <span data-testid="audit-action-text">{entry.actionText}</span>
                    <div className="muted small">
                      <code>{entry.action}</code>
                    </div>
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
                        <Party type={entry.targetType} id={entry.targetId} name={entry.targetName} testId="audit-target-name" />
                        <div className="muted small">{entry.targetType}</div>
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
            <div className="toolbar">
              <button
                type="button"
                className="button button-quiet"
                disabled={pages.length === 0}
                onClick={() => setPages((p) => p.slice(0, -1))}
              >
                {t('auditLog.newer')}
              </button>
              <button
                type="button"
                className="button button-quiet"
                data-testid="audit-older"
                disabled={nextBeforeId === null}
                onClick={() => nextBeforeId !== null && setPages((p) => [...p, nextBeforeId])}
              >
                {t('auditLog.older')}
              </button>
            </div>
          </>
        )}
      </QueryView>
    </div>
  );
}
