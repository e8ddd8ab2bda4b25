import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useApiQuery } from '../../lib/use-api-query';
import { CaseHistory, caseTitle } from '../../components/case-history';
import { Link } from '../../lib/router';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { CaseStatus, CaseSummary, NegotiationCase } from './agreements-api';
import { useAction } from '../../lib/use-action';

/** Negotiation cases (clause 16): the history with the subscriber, replies, and the outcome. */
export function NegotiationCasesPage() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [status, setStatus] = useState<CaseStatus | ''>('open');
  const { state, reload } = useApiQuery<{ cases: CaseSummary[] }>(`/api/console/negotiation-cases${status ? `?status=${status}` : ''}`);
  // `?id=` opens a case directly (a fee dispute's page links to the case that continues it).
  const [openId, setOpenId] = useState<string | null>(() => new URLSearchParams(window.location.search).get('id'));

  return (
    <div className="page stack">
      <h1>{t('casesConsole.title')}</h1>
      <div className="toolbar">
        <label htmlFor="case-status">{t('casesConsole.status')}</label>
        <select id="case-status" value={status} onChange={(event) => setStatus(event.target.value as CaseStatus | '')}>
          <option value="">{t('casesConsole.all')}</option>
          {(['open', 'resolved', 'escalated-to-arbitration'] as const).map((value) => (
            <option key={value} value={value}>
              {t(`casesConsole.statuses.${value}`)}
            </option>
          ))}
        </select>
      </div>
      <QueryView state={state} onRetry={reload}>
        {({ cases }) => (
          <DataTable
            testId="negotiation-cases"
            headings={[
              t('customer.whose'),
              t('casesConsole.subject'),
              t('casesConsole.status'),
              t('casesConsole.opened'),
              t('casesConsole.entries'),
              '',
            ]}
            emptyMessage={t('casesConsole.empty')}
            isEmpty={cases.length === 0}
          >
            {cases.map((row) => (
              <tr key={row.id}>
                <td>
                  <Link to={`/console/customers/${row.subscriberId}`} data-testid={`case-customer-${row.id}`}>
                    {row.subscriberName ?? t('customer.unnamed')}
                  </Link>
                </td>
                <td>{caseTitle(t, row)}</td>
                <td>{t(`casesConsole.statuses.${row.status}`)}</td>
                <td className="nowrap">{formatDateTime(row.openedAt)}</td>
                <td className="numeric">{row.entryCount}</td>
                <td>
                  <button type="button" className="button button-small" onClick={() => setOpenId(row.id)}>
                    {t('subscribersConsole.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {openId && <CaseDetail key={openId} id={openId} onChanged={reload} />}
    </div>
  );
}

function CaseDetail({ id, onChanged }: { id: string; onChanged: () => void }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<NegotiationCase>(`/api/console/negotiation-cases/${id}`);
  const [text, setText] = useState('');
  const action = useAction();

  async function send(path: string, body: unknown): Promise<void> {
    await action.run(async () => {
      await postJson(path, body);
      setText('');
      reload();
      onChanged();
    });
  }

  function reply(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    void send(`/api/console/negotiation-cases/${id}/entries`, { text });
  }

  return (
    <section className="card stack" data-testid="case-detail">
      <QueryView state={state} onRetry={reload}>
        {(item) => (
          <>
            <h2>{caseTitle(t, item)}</h2>
            {item.subject === 'fee-dispute' && item.disputeId && (
              <p>
                <Link to={`/console/disputes?id=${encodeURIComponent(item.disputeId)}`} data-testid="case-dispute-link">
                  {t('casesConsole.disputeLink')}
                </Link>
              </p>
            )}
            <CaseHistory item={item} />
            {item.status === 'open' && (
              <FormProblem error={action.error}>
                <form className="form" onSubmit={reply}>
                  <TextField id="case-reply" label={t('casesConsole.reply')} required value={text} onValueChange={setText} />
                  <div className="row-actions">
                    <button type="submit" className="button button-primary" disabled={action.busy}>
                      {t('casesConsole.send')}
                    </button>
                    <button
                      type="button"
                      className="button"
                      disabled={!text.trim() || action.busy}
                      onClick={() => void send(`/api/console/negotiation-cases/${id}/resolution`, { outcome: 'resolved', text })}
                    >
                      {t('casesConsole.resolve')}
                    </button>
                    <button
                      type="button"
                      className="button button-danger"
                      disabled={!text.trim() || action.busy}
                      onClick={() =>
                        void send(`/api/console/negotiation-cases/${id}/resolution`, { outcome: 'escalated-to-arbitration', text })
                      }
                    >
                      {t('casesConsole.escalate')}
                    </button>
                  </div>
                </form>
              </FormProblem>
            )}
            {action.error !== null && <ProblemAlert error={action.error} />}
          </>
        )}
      </QueryView>
    </section>
  );
}
