import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { formatFen, parseYuanToFen } from '../../lib/money';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { Staff } from '../../types/api';
import { DisputeProblem } from './dispute-problem';
import {
  answerCodes,
  disputeStatuses,
  evidenceOf,
  type AnswerCode,
  type Dispute,
  type DisputeAnswer,
  type DisputeOutcome,
  type DisputeStatus,
  type DisputeWithEvidence,
  type QueueEntry,
} from './disputes-api';
import { EvidenceView } from './evidence-view';
import { DisputeAnswerView, disputeStatusClass } from './portal-disputes-page';

/** How the app draws the bill in a dispute's evidence (billing's card; this feature does not import billing). */
export type BillRenderer = (bill: unknown) => ReactNode;

const outcomes: readonly DisputeOutcome[] = ['upheld', 'partly-upheld', 'rejected'];

/**
 * The disputes queue (clause 6, `disputes.handle`): unanswered first by due date, overdue ones marked;
 * a dispute opens below with its evidence, notes and the answer form. `?id=` opens one directly.
 */
export function DisputesConsolePage({ staff, renderBill }: { staff: Staff; renderBill: BillRenderer }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [status, setStatus] = useState<DisputeStatus | ''>('');
  const [mine, setMine] = useState(false);
  const query = new URLSearchParams({ ...(status ? { status } : {}), ...(mine ? { mine: 'true' } : {}) }).toString();
  const { state, reload } = useApiQuery<{ disputes: QueueEntry[] }>(`/api/console/disputes${query ? `?${query}` : ''}`);
  const [openId, setOpenId] = useState<string | null>(() => new URLSearchParams(window.location.search).get('id'));

  function open(id: string): void {
    setOpenId(id);
    navigate(`/console/disputes?id=${encodeURIComponent(id)}`, { replace: true });
  }

  return (
    <div className="page stack" data-testid="disputes-console-page">
      <h1>{t('disputesConsole.title')}</h1>
      <p className="muted">{t('disputesConsole.intro')}</p>
      <div className="toolbar">
        <label htmlFor="dispute-status-filter">{t('disputesConsole.status')}</label>
        <select
          id="dispute-status-filter"
          data-testid="dispute-status-filter"
          value={status}
          onChange={(event) => setStatus(event.target.value as DisputeStatus | '')}
        >
          <option value="">{t('disputesConsole.all')}</option>
          {disputeStatuses.map((value) => (
            <option key={value} value={value}>
              {t(`disputes.statuses.${value}`)}
            </option>
          ))}
        </select>
        <label className="checkbox">
          <input type="checkbox" checked={mine} onChange={(event) => setMine(event.target.checked)} data-testid="dispute-mine" />
          {t('disputesConsole.mine')}
        </label>
      </div>
      <QueryView state={state} onRetry={reload}>
        {({ disputes }) => (
          <DataTable
            testId="disputes-queue"
            headings={[
              t('disputesConsole.subscriber'),
              t('disputes.subject'),
              t('disputes.disputedAmount'),
              t('disputes.opened'),
              t('disputes.dueOn'),
              t('disputes.status'),
              t('disputesConsole.assignee'),
              '',
            ]}
            emptyMessage={t('disputesConsole.empty')}
            isEmpty={disputes.length === 0}
          >
            {disputes.map((row) => (
              <tr
                key={row.id}
                className={row.overdue ? 'row-overdue' : undefined}
                data-testid="dispute-row"
                data-overdue={row.overdue}
                data-dispute-id={row.id}
              >
                <td className="nowrap small">
                  <Link to={`/console/customers/${row.subscriberId}`} data-testid="dispute-customer">
                    {row.subscriberId.slice(0, 8)}
                  </Link>
                </td>
                <td>{t(`disputes.subjects.${row.subject}`)}</td>
                <td className="numeric">{formatFen(row.amountFen)}</td>
                <td className="nowrap">{formatDateTime(row.openedAt)}</td>
                <td className="nowrap">
                  {row.dueOn}
                  {row.overdue && (
                    <>
                      {' '}
                      <span className="badge badge-danger">{t('disputesConsole.overdue')}</span>
                    </>
                  )}
                </td>
                <td>
                  <span className={disputeStatusClass(row.status)}>{t(`disputes.statuses.${row.status}`)}</span>
                </td>
                <td>{row.assignedTo ? (row.assignedTo.name ?? row.assignedTo.id) : t('disputesConsole.unassigned')}</td>
                <td>
                  <button type="button" className="button button-small" onClick={() => open(row.id)} data-testid="dispute-open">
                    {t('disputesConsole.open')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
      {openId && <DisputeDetail key={openId} id={openId} staff={staff} renderBill={renderBill} onChanged={reload} />}
    </div>
  );
}

function DisputeDetail({
  id,
  staff,
  renderBill,
  onChanged,
}: {
  id: string;
  staff: Staff;
  renderBill: BillRenderer;
  onChanged: () => void;
}) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<DisputeWithEvidence>(`/api/console/disputes/${id}`);
  const take = useAction();

  function changed(): void {
    reload();
    onChanged();
  }

  return (
    <section className="card stack" aria-labelledby="dispute-detail-title" data-testid="dispute-detail">
      <QueryView state={state} onRetry={reload}>
        {(view) => {
          const { dispute } = view;
          const evidence = evidenceOf(view);
          const unanswered = dispute.status === 'open' || dispute.status === 'investigating';
          return (
            <>
              <div className="toolbar">
                <h2 id="dispute-detail-title">
                  {t('disputesConsole.detailTitle', {
                    subject: t(`disputes.subjects.${dispute.subject}`),
                    amount: formatFen(dispute.amountFen),
                  })}
                </h2>
                <span className={disputeStatusClass(dispute.status)} data-testid="dispute-detail-status">
                  {t(`disputes.statuses.${dispute.status}`)}
                </span>
                {unanswered && dispute.assignedTo?.id !== staff.id && (
                  <button
                    type="button"
                    className="button"
                    disabled={take.busy}
                    data-testid="dispute-take"
                    onClick={() =>
                      void take.run(async () => {
                        await postJson<Dispute>(`/api/console/disputes/${id}/assign`, {});
                        changed();
                      })
                    }
                  >
                    {t('disputesConsole.take')}
                  </button>
                )}
              </div>
              {take.error !== null && <DisputeProblem error={take.error} action="handle" />}
              <dl className="billing-figures">
                <div>
                  <dt>{t('disputesConsole.subscriber')}</dt>
                  <dd className="small">
                    <Link to={`/console/customers/${dispute.subscriberId}`}>{dispute.subscriberId}</Link>
                  </dd>
                </div>
                <div>
                  <dt>{t('disputes.opened')}</dt>
                  <dd>{formatDateTime(dispute.openedAt)}</dd>
                </div>
                <div>
                  <dt>{t('disputes.dueOn')}</dt>
                  <dd>{dispute.dueOn}</dd>
                </div>
                <div>
                  <dt>{t('disputesConsole.channel')}</dt>
                  <dd>{t(`disputesConsole.channels.${dispute.channel}`)}</dd>
                </div>
                <div>
                  <dt>{t('disputesConsole.assignee')}</dt>
                  <dd data-testid="dispute-assignee">
                    {dispute.assignedTo ? (dispute.assignedTo.name ?? dispute.assignedTo.id) : t('disputesConsole.unassigned')}
                  </dd>
                </div>
              </dl>
              <div>
                <h3>{t('disputesConsole.reason')}</h3>
                <p data-testid="dispute-reason-text">{dispute.reason}</p>
                {dispute.attachment && (
                  <p className="small">
                    {t('disputesConsole.attachment')}:{' '}
                    <a href={`/api/console/disputes/${id}/attachment`} download>
                      {dispute.attachment.name}
                    </a>
                  </p>
                )}
              </div>
              <EvidenceView evidence={evidence} bill={evidence.bill ? renderBill(evidence.bill) : null} />
              <Notes dispute={dispute} onChanged={changed} />
              {unanswered ? (
                <AnswerForm dispute={dispute} onChanged={changed} />
              ) : (
                <>
                  <DisputeAnswerView dispute={dispute} />
                  {dispute.response && (
                    <p className="notice" data-testid="dispute-response">
                      {t('disputesConsole.response')}: {t(`disputesConsole.responses.${dispute.response}`)}{' '}
                      {dispute.negotiationCaseId && (
                        <Link to={`/console/negotiation-cases?id=${encodeURIComponent(dispute.negotiationCaseId)}`}>
                          {t('disputesConsole.caseLink')}
                        </Link>
                      )}
                    </p>
                  )}
                </>
              )}
            </>
          );
        }}
      </QueryView>
    </section>
  );
}

function Notes({ dispute, onChanged }: { dispute: Dispute; onChanged: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [text, setText] = useState('');
  const action = useAction();

  async function add(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const done = await action.run(() => postJson<Dispute>(`/api/console/disputes/${dispute.id}/notes`, { text: text.trim() }));
    if (done) {
      setText('');
      onChanged();
    }
  }

  return (
    <div className="stack" data-testid="dispute-notes">
      <h3>{t('disputesConsole.notesTitle')}</h3>
      {dispute.notes.length === 0 ? (
        <p className="muted">{t('disputesConsole.noNotes')}</p>
      ) : (
        <ol className="case-history">
          {dispute.notes.map((note, index) => (
            <li key={index}>
              <p className="small muted">
                {note.authorType === 'staff' ? (note.authorName ?? t('casesConsole.operator')) : t('casesConsole.subscriber')} ·{' '}
                {formatDateTime(note.at)}
              </p>
              <p>{note.text}</p>
            </li>
          ))}
        </ol>
      )}
      {dispute.status !== 'closed' && (
        <form className="form" onSubmit={(event) => void add(event)}>
          <TextField id="dispute-note" label={t('disputesConsole.note')} value={text} onValueChange={setText} maxLength={4000} />
          <div className="row-actions">
            <button type="submit" className="button" disabled={action.busy || !text.trim()} data-testid="dispute-note-add">
              {t('disputesConsole.addNote')}
            </button>
          </div>
        </form>
      )}
      {action.error !== null && <DisputeProblem error={action.error} action="handle" />}
    </div>
  );
}

function AnswerForm({ dispute, onChanged }: { dispute: Dispute; onChanged: () => void }) {
  const { t } = useTranslation();
  const [outcome, setOutcome] = useState<DisputeOutcome>('rejected');
  const [credit, setCredit] = useState('');
  const [code, setCode] = useState<AnswerCode>('billed-correctly');
  const [text, setText] = useState('');
  const [creditError, setCreditError] = useState<string | null>(null);
  const action = useAction();

  // An outcome suggests the reason that usually goes with it; the agent may choose another.
  useEffect(() => {
    if (outcome === 'rejected' && !['billed-correctly', 'network-side', 'other'].includes(code)) setCode('billed-correctly');
    if (outcome !== 'rejected' && ['billed-correctly', 'network-side'].includes(code)) setCode('platform-fault-credited');
  }, [outcome, code]);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    setCreditError(null);
    let creditFen: number | undefined;
    if (outcome === 'partly-upheld') {
      const parsed = parseYuanToFen(credit);
      if (parsed === null || parsed >= dispute.amountFen) return setCreditError(t('disputes.problems.creditRange'));
      creditFen = parsed;
    }
    const body: DisputeAnswer = { outcome, code, text: text.trim(), ...(creditFen !== undefined ? { creditFen } : {}) };
    const done = await action.run(() => postJson<Dispute>(`/api/console/disputes/${dispute.id}/answer`, body));
    if (done) onChanged();
  }

  return (
    <form className="form stack" onSubmit={(event) => void submit(event)} data-testid="dispute-answer-form">
      <h3>{t('disputesConsole.answerTitle')}</h3>
      <fieldset className="checkbox-group">
        <legend>{t('disputesConsole.outcome')}</legend>
        {outcomes.map((value) => (
          <label key={value} className="checkbox">
            <input
              type="radio"
              name="dispute-outcome"
              value={value}
              checked={outcome === value}
              onChange={() => setOutcome(value)}
              data-testid={`dispute-outcome-${value}`}
            />
            {t(`disputesConsole.outcomes.${value}`)}
          </label>
        ))}
      </fieldset>
      {outcome === 'partly-upheld' && (
        <TextField
          id="dispute-credit"
          label={t('disputesConsole.credit')}
          value={credit}
          onValueChange={setCredit}
          inputMode="decimal"
          required
          hint={creditError === null ? t('billingConsole.amountHint') : <span className="text-danger">{creditError}</span>}
        />
      )}
      <div className="field">
        <label htmlFor="dispute-code">{t('disputesConsole.code')}</label>
        <select id="dispute-code" data-testid="dispute-code" value={code} onChange={(event) => setCode(event.target.value as AnswerCode)}>
          {answerCodes.map((value) => (
            <option key={value} value={value}>
              {t(`disputesConsole.codes.${value}`)}
            </option>
          ))}
        </select>
        <p className="hint">{t('disputesConsole.codeSaysToSubscriber', { sentence: t(`disputes.answerCodes.${code}`) })}</p>
      </div>
      <div className="field">
        <label htmlFor="dispute-answer-text">{t('disputesConsole.text')}</label>
        <textarea
          id="dispute-answer-text"
          data-testid="dispute-answer-text-input"
          required
          maxLength={4000}
          rows={4}
          value={text}
          onChange={(event) => setText(event.target.value)}
        />
      </div>
      {action.error !== null && <DisputeProblem error={action.error} action="handle" testId="dispute-answer-problem" />}
      <div className="row-actions">
        <button type="submit" className="button button-primary" disabled={action.busy || !text.trim()} data-testid="dispute-answer-submit">
          {t('disputesConsole.submitAnswer')}
        </button>
      </div>
    </form>
  );
}
