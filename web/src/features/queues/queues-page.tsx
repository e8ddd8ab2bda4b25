import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { rowsToCsv } from '../../components/table-csv';
import { getJson, putJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse, Staff } from '../../types/api';
import type { queueMessagesZhCN } from './messages';

type QueueCounts = ApiResponse<'/api/console/queues'>;
type QueuePage = ApiResponse<'/api/console/queues/verification'>;
type QueueItem = QueuePage['items'][number];
type Assignees = ApiResponse<'/api/console/queues/verification/assignees'>;
type QueueName = keyof (typeof queueMessagesZhCN)['queues']['names'];
type StageName = keyof (typeof queueMessagesZhCN)['queues']['stages'];

const PAGE_SIZE = 20;

/** The queues a member may work, one tab each with its open count; the chosen queue below. */
export function QueuesPage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<QueueCounts>('/api/console/queues');
  const [chosen, setChosen] = useState<string | null>(null);
  return (
    <div className="page">
      <h1>{t('queues.title')}</h1>
      <p className="muted">{t('queues.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ queues }) => {
          if (queues.length === 0) return <p className="notice">{t('queues.none')}</p>;
          const current = queues.find((queue) => queue.name === chosen) ?? queues[0]!;
          return (
            <>
              <div className="toolbar" role="tablist">
                {queues.map((queue) => (
                  <button
                    key={queue.name}
                    type="button"
                    role="tab"
                    aria-selected={queue.name === current.name}
                    className={queue.name === current.name ? 'button' : 'button button-quiet'}
                    data-testid={`queue-tab-${queue.name}`}
                    onClick={() => setChosen(queue.name)}
                  >
                    {t(`queues.names.${queue.name as QueueName}`)}
                    <span className="nav-badge" data-testid={`queue-count-${queue.name}`}>
                      {queue.open}
                    </span>
                  </button>
                ))}
              </div>
              <p className="muted">
                {t('queues.openCount', { count: current.open })} · {t('queues.mineCount', { count: current.mine })}
              </p>
              <QueueView key={current.name} queue={current.name} staff={staff} onChanged={reload} />
            </>
          );
        }}
      </QueryView>
    </div>
  );
}

function queuePath(queue: string, filter: { stage: string; assignee: string; offset: number; limit: number }): string {
  const query = new URLSearchParams({ offset: String(filter.offset), limit: String(filter.limit) });
  if (filter.stage) query.set('stage', filter.stage);
  if (filter.assignee) query.set('assignee', filter.assignee);
  return `/api/console/queues/${queue}?${query.toString()}`;
}

function QueueView({ queue, staff, onChanged }: { queue: string; staff: Staff; onChanged: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [stage, setStage] = useState('');
  const [assignee, setAssignee] = useState('');
  const [offset, setOffset] = useState(0);
  const { state, reload } = useApiQuery<QueuePage>(queuePath(queue, { stage, assignee, offset, limit: PAGE_SIZE }));
  const colleagues = useApiQuery<Assignees>(`/api/console/queues/${queue}/assignees`);
  const action = useAction();
  const headings = [t('queues.item'), t('queues.customer'), t('queues.stage'), t('queues.since'), t('queues.amount'), t('queues.assignee')];
  const rowOf = (item: QueueItem) => [
    item.id,
    item.subscriberId ?? '',
    t(`queues.stages.${item.stage as StageName}`),
    formatDateTime(item.since),
    item.amountFen === null ? '' : formatFen(item.amountFen),
    item.assignee?.name ?? t('queues.nobody'),
  ];

  async function assign(itemId: string, assigneeId: string | null) {
    const done = await action.run(() => putJson(`/api/console/queues/${queue}/${itemId}/assignee`, { assigneeId }));
    if (done !== undefined) {
      reload();
      onChanged();
    }
  }

  // The export is the whole filtered list, fetched page by page, not only the page on screen.
  async function exportAll(): Promise<string> {
    const rows: string[][] = [];
    for (let from = 0; ; from += 100) {
      const page = await getJson<QueuePage>(queuePath(queue, { stage, assignee, offset: from, limit: 100 }));
      rows.push(...page.items.map(rowOf));
      if (from + 100 >= page.total) break;
    }
    return rowsToCsv(headings, rows);
  }

  const assignees = colleagues.state.status === 'success' ? colleagues.state.data.assignees : [];
  return (
    <section className="stack" data-testid={`queue-${queue}`}>
      <div className="toolbar">
        <label htmlFor="queue-stage">{t('queues.stage')}</label>
        <select
          id="queue-stage"
          data-testid="queue-stage"
          value={stage}
          onChange={(event) => {
            setStage(event.target.value);
            setOffset(0);
          }}
        >
          <option value="">{t('queues.allStages')}</option>
          {state.status === 'success' &&
            state.data.stages.map((name) => (
              <option key={name} value={name}>
                {t(`queues.stages.${name as StageName}`)}
              </option>
            ))}
        </select>
        <label htmlFor="queue-assignee">{t('queues.assignee')}</label>
        <select
          id="queue-assignee"
          data-testid="queue-assignee"
          value={assignee}
          onChange={(event) => {
            setAssignee(event.target.value);
            setOffset(0);
          }}
        >
          <option value="">{t('queues.anyone')}</option>
          <option value="me">{t('queues.mine')}</option>
          <option value="unassigned">{t('queues.unassigned')}</option>
          {assignees
            .filter((colleague) => colleague.id !== staff.id)
            .map((colleague) => (
              <option key={colleague.id} value={colleague.id}>
                {colleague.name}
              </option>
            ))}
        </select>
      </div>
      {action.error !== null && <ProblemAlert error={action.error} />}
      <QueryView state={state} onRetry={reload}>
        {(page) => (
          <>
            <DataTable
              testId="queue-table"
              exportName={`queue-${queue}`}
              exportAll={exportAll}
              headings={[...headings, '']}
              emptyMessage={t('queues.empty')}
              isEmpty={page.items.length === 0}
            >
              {page.items.map((item) => (
                <tr key={item.id} data-testid="queue-row">
                  <td>
                    <code>{item.id.slice(0, 8)}</code>
                  </td>
                  <td>
                    {item.subscriberId ? <Link to={`/console/customers/${item.subscriberId}`}>{item.subscriberId.slice(0, 8)}</Link> : ''}
                  </td>
                  <td data-testid="queue-row-stage">{t(`queues.stages.${item.stage as StageName}`)}</td>
                  <td>{formatDateTime(item.since)}</td>
                  <td className="numeric">{item.amountFen === null ? '' : formatFen(item.amountFen)}</td>
                  <td data-testid="queue-row-assignee">{item.assignee?.name ?? t('queues.nobody')}</td>
                  <td data-csv-skip="">
                    {item.assignee?.id !== staff.id && (
                      <button
                        type="button"
                        className="button button-small"
                        data-testid="queue-assign-me"
                        disabled={action.busy}
                        onClick={() => void assign(item.id, staff.id)}
                      >
                        {t('queues.assignToMe')}
                      </button>
                    )}{' '}
                    <select
                      aria-label={t('queues.assignTo')}
                      data-testid="queue-assign-to"
                      value=""
                      disabled={action.busy}
                      onChange={(event) => void assign(item.id, event.target.value === '-' ? null : event.target.value)}
                    >
                      <option value="">{t('queues.assignTo')}</option>
                      {item.assignee && <option value="-">{t('queues.unassign')}</option>}
                      {assignees
                        .filter((colleague) => colleague.id !== item.assignee?.id)
                        .map((colleague) => (
                          <option key={colleague.id} value={colleague.id}>
                            {colleague.name}
                          </option>
                        ))}
                    </select>
                  </td>
                </tr>
              ))}
            </DataTable>
            {page.total > 0 && (
              <div className="toolbar">
                <span data-testid="queue-page">
                  {t('queues.page', { from: page.offset + 1, to: page.offset + page.items.length, total: page.total })}
                </span>
                <button
                  type="button"
                  className="button button-quiet button-small"
                  data-testid="queue-previous"
                  disabled={offset === 0}
                  onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
                >
                  {t('queues.previous')}
                </button>
                <button
                  type="button"
                  className="button button-quiet button-small"
                  data-testid="queue-next"
                  disabled={offset + PAGE_SIZE >= page.total}
                  onClick={() => setOffset(offset + PAGE_SIZE)}
                >
                  {t('queues.next')}
                </button>
              </div>
            )}
          </>
        )}
      </QueryView>
    </section>
  );
}
