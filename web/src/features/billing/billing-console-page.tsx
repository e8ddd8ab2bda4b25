import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { getJson, postJson } from '../../lib/api-client';
import { Link, navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { Staff } from '../../types/api';
import {
  explainLine,
  periodLabel,
  type AgeingBucket,
  type BillRun,
  type ReconciliationReport,
  type RecordedPayment,
  type SubscriberAccount,
} from './billing-api';
import { AdjustmentForm, RefundForm } from './adjustment-forms';
import { fenToYuanText, formatFen, parseYuanToFen } from './money';
import { YuanField } from './yuan-field';
import { BillDetailCard, billStatusClass } from './portal-bills-page';
import { useAction } from '../../lib/use-action';

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The billing clerk's page: bill runs, receivables ageing, one subscriber's account, desk payments, bank
 * files, and (with billing.manage) adjustments, credit notes and refunds.
 */
export function BillingConsolePage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  const may: AccountPermissions = {
    record: staff.permissions.includes('payments.record'),
    manage: staff.permissions.includes('billing.manage'),
  };
  return (
    <div className="page stack" data-testid="billing-console">
      <h1>{t('billingConsole.title')}</h1>
      <p className="muted">{t('billingConsole.intro')}</p>
      <BillRunsSection />
      <AgeingSection />
      <SubscriberSection may={may} />
      {may.record && <ReconciliationSection />}
    </div>
  );
}

function BillRunsSection() {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<{ runs: BillRun[] }>('/api/console/billing/bill-runs');
  return (
    <section className="card" aria-labelledby="billing-runs">
      <h2 id="billing-runs">{t('billingConsole.runsTitle')}</h2>
      <QueryView state={state} onRetry={reload}>
        {({ runs }) => (
          <DataTable
            testId="bill-runs"
            headings={[
              t('billingConsole.runPeriod'),
              t('billingConsole.runProgress'),
              t('billingConsole.runStarted'),
              t('billingConsole.runFinished'),
            ]}
            emptyMessage={t('billingConsole.runsEmpty')}
            isEmpty={runs.length === 0}
          >
            {runs.map((run) => (
              <tr key={run.period} data-testid={`bill-run-${periodLabel(run.period)}`}>
                <td className="nowrap">{periodLabel(run.period)}</td>
                <td>
                  <progress max={Math.max(run.subscribersTotal, 1)} value={run.subscribersBilled} />{' '}
                  <span className="small">
                    {t('billingConsole.runProgressValue', { billed: run.subscribersBilled, total: run.subscribersTotal })}
                  </span>
                  {run.lastError && (
                    <div className="small text-danger">
                      {t('billingConsole.runError')}: {run.lastError}
                    </div>
                  )}
                </td>
                <td className="nowrap">{formatDateTime(run.startedAt)}</td>
                <td className="nowrap">
                  {run.finishedAt ? formatDateTime(run.finishedAt) : <span className="badge">{t('billingConsole.runRunning')}</span>}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryView>
    </section>
  );
}

/** Receivables by days past due: horizontal CSS bars scaled to the largest bucket, with the numbers beside them. */
function AgeingSection() {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<{ buckets: AgeingBucket[] }>('/api/console/billing/receivables/ageing');
  return (
    <section className="card" aria-labelledby="billing-ageing">
      <h2 id="billing-ageing">{t('billingConsole.ageingTitle')}</h2>
      <p className="muted">{t('billingConsole.ageingIntro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ buckets }) => {
          const largest = Math.max(1, ...buckets.map((b) => b.amountFen));
          const total = buckets.reduce((sum, b) => sum + b.amountFen, 0);
          const bills = buckets.reduce((sum, b) => sum + b.bills, 0);
          return (
            <div className="ageing" data-testid="ageing-chart">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t('billingConsole.bucket')}</th>
                    <th scope="col" className="ageing-bar-cell" aria-hidden="true" />
                    <th scope="col">{t('billingConsole.bucketAmount')}</th>
                    <th scope="col">{t('billingConsole.bucketBills')}</th>
                  </tr>
                </thead>
                <tbody>
                  {buckets.map((bucket) => (
                    <tr key={bucket.bucket} data-testid={`ageing-${bucket.bucket}`}>
                      <th scope="row" className="nowrap">
                        {t(`billingConsole.buckets.${bucket.bucket as 'not-due'}`, { defaultValue: bucket.bucket })}
                      </th>
                      <td className="ageing-bar-cell" aria-hidden="true">
                        {/* Width in whole per-mille of the largest bucket: display only, the amount itself is printed beside it. */}
                        {bucket.amountFen > 0 && (
                          <span
                            className={`ageing-bar${bucket.bucket === 'not-due' ? '' : ' ageing-bar-late'}`}
                            style={{ width: `${Math.round((bucket.amountFen * 1000) / largest) / 10}%` }}
                          />
                        )}
                      </td>
                      <td className="numeric" data-testid="ageing-amount">
                        {formatFen(bucket.amountFen)}
                      </td>
                      <td className="numeric">{bucket.bills}</td>
                    </tr>
                  ))}
                  <tr className="total-row">
                    <th scope="row">{t('billingConsole.ageingTotal')}</th>
                    <td aria-hidden="true" />
                    <td className="numeric" data-testid="ageing-total">
                      {formatFen(total)}
                    </td>
                    <td className="numeric">{bills}</td>
                  </tr>
                </tbody>
              </table>
            </div>
          );
        }}
      </QueryView>
    </section>
  );
}

/** What the signed-in staff may do to an account besides reading it. */
export interface AccountPermissions {
  /** payments.record: desk payments and bank files. */
  record: boolean;
  /** billing.manage: adjustments, credit notes and refunds. */
  manage: boolean;
}

function SubscriberSection({ may }: { may: AccountPermissions }) {
  const { t } = useTranslation();
  const [draft, setDraft] = useState('');
  const [subscriberId, setSubscriberId] = useState<string | null>(null);
  const [lookup, setLookup] = useState<
    { status: 'idle' } | { status: 'none' } | { status: 'several'; count: number } | { status: 'error'; error: unknown }
  >({ status: 'idle' });

  // A number (7100000), an account number or a name: the console's search finds whom it means, and
  // one subscriber found opens their page; a subscriber id shows the account here.
  async function lookUp(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const text = draft.trim();
    if (text === '') return;
    setLookup({ status: 'idle' });
    if (uuidPattern.test(text)) return setSubscriberId(text.toLowerCase());
    try {
      const found = await getJson<{ results: { subscriberId: string }[] }>(`/api/console/search?q=${encodeURIComponent(text)}&limit=10`);
      const subscribers = [...new Set(found.results.map((result) => result.subscriberId))];
      if (subscribers.length === 1) navigate(`/console/customers/${subscribers[0]!}`);
      else setLookup(subscribers.length === 0 ? { status: 'none' } : { status: 'several', count: subscribers.length });
    } catch (error) {
      setLookup({ status: 'error', error });
    }
  }

  return (
    <section className="card stack" aria-labelledby="billing-lookup">
      <h2 id="billing-lookup">{t('billingConsole.lookupTitle')}</h2>
      <form className="toolbar" role="search" onSubmit={(event) => void lookUp(event)}>
        <TextField
          id="billing-subscriber-id"
          label={t('billingConsole.subscriberId')}
          value={draft}
          onValueChange={setDraft}
          spellCheck={false}
          maxLength={100}
          required
        />
        <button type="submit" className="button" data-testid="billing-lookup">
          {t('billingConsole.lookup')}
        </button>
      </form>
      {lookup.status === 'none' && <p className="notice">{t('billingConsole.lookupNoMatch')}</p>}
      {lookup.status === 'several' && <p className="notice">{t('billingConsole.lookupSeveral', { count: lookup.count })}</p>}
      {lookup.status === 'error' && <ProblemAlert error={lookup.error} />}
      {subscriberId && <SubscriberAccountView key={subscriberId} subscriberId={subscriberId} may={may} />}
    </section>
  );
}

export function SubscriberAccountView({ subscriberId, may }: { subscriberId: string; may: AccountPermissions }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<SubscriberAccount>(`/api/console/billing/subscribers/${subscriberId}`);
  const [openBill, setOpenBill] = useState<string | null>(null);
  return (
    <QueryView state={state} onRetry={reload}>
      {(account) => (
        <div className="stack" data-testid="billing-account">
          <dl className="billing-figures">
            <div>
              <dt>{t('billingConsole.dunningStage')}</dt>
              <dd>
                <span
                  className={account.dunning.stage === 'current' ? 'badge badge-success' : 'badge badge-danger'}
                  data-testid="dunning-stage"
                >
                  {t(`billingConsole.stages.${account.dunning.stage as 'current'}`, { defaultValue: account.dunning.stage })}
                </span>
                {account.dunning.since && (
                  <div className="muted small">
                    {t('billingConsole.dunningSince')} {formatDateTime(account.dunning.since)}
                  </div>
                )}
              </dd>
            </div>
            <div>
              <dt>{t('billingConsole.oldestUnpaid')}</dt>
              <dd>{account.dunning.oldestUnpaidDueDate ?? t('app.none')}</dd>
            </div>
            <div>
              <dt>{t('bills.owedNow')}</dt>
              <dd className="numeric" data-testid="account-owed-now">
                {formatFen(account.balance.owedNow.totalFen)}
              </dd>
            </div>
            <div>
              <dt>{t('bills.balance')}</dt>
              <dd className="numeric" data-testid="account-balance">
                {formatFen(account.balance.balanceFen)}
              </dd>
            </div>
            <div>
              <dt>{t('bills.overdue')}</dt>
              <dd className="numeric">{formatFen(account.balance.overdueFen)}</dd>
            </div>
            <div>
              <dt>{t('bills.credit')}</dt>
              <dd className="numeric" data-testid="account-credit">
                {formatFen(account.balance.creditFen)}
              </dd>
            </div>
          </dl>
          <h3>{t('billingConsole.billsTitle')}</h3>
          <DataTable
            testId="account-bills"
            headings={[t('bills.period'), t('bills.amount'), t('bills.outstandingShort'), t('bills.dueDate'), t('bills.status'), '']}
            emptyMessage={t('bills.empty')}
            isEmpty={account.bills.length === 0}
          >
            {account.bills.map((bill) => (
              <tr key={bill.id}>
                <td className="nowrap">{periodLabel(bill.period)}</td>
                <td className="numeric">{formatFen(bill.totalFen)}</td>
                <td className="numeric">{formatFen(bill.outstandingFen)}</td>
                <td className="nowrap">{bill.dueDate}</td>
                <td>
                  <span className={billStatusClass(bill.status)}>{t(`bills.statuses.${bill.status}`)}</span>
                </td>
                <td>
                  <button
                    type="button"
                    className="button button-small"
                    onClick={() => setOpenBill(bill.id)}
                    data-testid={`account-bill-open-${periodLabel(bill.period)}`}
                  >
                    {t('bills.view')}
                  </button>
                </td>
              </tr>
            ))}
          </DataTable>
          {openBill && <BillDetailCard path={`/api/console/billing/bills/${openBill}`} onClose={() => setOpenBill(null)} />}
          {account.ledger && <LedgerTable ledger={account.ledger} bills={account.bills} />}
          {may.record && <DeskPaymentForm subscriberId={subscriberId} owedNowFen={account.balance.owedNow.totalFen} onRecorded={reload} />}
          {may.manage && <AdjustmentForm subscriberId={subscriberId} bills={account.bills} onPosted={reload} />}
          {may.manage && <RefundForm subscriberId={subscriberId} creditFen={account.balance.creditFen} onRefunded={reload} />}
        </div>
      )}
    </QueryView>
  );
}

/** Every money movement line by line; the API sends it only to those who move money (billing.manage, payments.record). */
function LedgerTable({ ledger, bills }: { ledger: NonNullable<SubscriberAccount['ledger']>; bills: SubscriberAccount['bills'] }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <>
      <h3>{t('billingConsole.ledgerTitle')}</h3>
      <DataTable
        testId="account-ledger"
        headings={[
          t('billingConsole.postedAt'),
          t('billingConsole.kind'),
          t('billingConsole.description'),
          t('bills.amount'),
          t('billingConsole.onBill'),
        ]}
        emptyMessage={t('billingConsole.ledgerEmpty')}
        isEmpty={ledger.length === 0}
      >
        {ledger.map((entry) => (
          <tr key={entry.id}>
            <td className="nowrap">{formatDateTime(entry.postedAt)}</td>
            <td className="nowrap">{t(`bills.lineKinds.${entry.kind}`)}</td>
            <td>{explainLine(t, entry)}</td>
            <td className="numeric">{formatFen(entry.amountFen)}</td>
            <td className="nowrap">
              {entry.onBillId ? (
                periodLabel(bills.find((b) => b.id === entry.onBillId)?.period ?? entry.onBillId)
              ) : (
                <span className="muted">{t('billingConsole.notYetBilled')}</span>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </>
  );
}

/** Clause 5: how far back a desk payment may be dated without a supervisor (VP_PAYMENT_BACKDATE_TOLERANCE_DAYS's default). */
const BACKDATE_TOLERANCE_DAYS = 3;

function DeskPaymentForm({ subscriberId, owedNowFen, onRecorded }: { subscriberId: string; owedNowFen: number; onRecorded: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [reference, setReference] = useState('');
  const [paidAt, setPaidAt] = useState('');
  const [backdateReason, setBackdateReason] = useState('');
  const action = useAction();
  const [invalid, setInvalid] = useState(false);
  const [result, setResult] = useState<RecordedPayment | null>(null);

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    // Yuan typed by the clerk become integer fen by parsing the digits, never by multiplying a float.
    const amountFen = parseYuanToFen(amount);
    setInvalid(amountFen === null);
    if (amountFen === null) return;
    setResult(null);
    await action.run(async () => {
      const recorded = await postJson<RecordedPayment>('/api/console/billing/payments', {
        subscriberId,
        amountFen,
        reference: reference.trim(),
        // datetime-local is the clerk's wall clock; the server counts days in the operator's zone.
        ...(paidAt !== '' ? { paidAt: new Date(paidAt).toISOString() } : {}),
        ...(backdateReason.trim() !== '' ? { backdateReason: backdateReason.trim() } : {}),
      });
      setResult(recorded);
      setAmount('');
      setReference('');
      setPaidAt('');
      setBackdateReason('');
      onRecorded();
    });
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={submit} data-testid="desk-payment">
        <h3>{t('billingConsole.paymentTitle')}</h3>
        <p className="muted small">{t('billingConsole.paymentIntro')}</p>
        <YuanField
          id="payment-amount"
          label={t('billingConsole.paymentAmount')}
          value={amount}
          onValueChange={setAmount}
          error={invalid ? t('billingConsole.amountInvalid') : null}
        />
        {owedNowFen > 0 && (
          <div>
            <button
              type="button"
              className="button button-quiet"
              onClick={() => setAmount(fenToYuanText(owedNowFen))}
              data-testid="payment-fill-owed"
            >
              {t('billingConsole.fillOwedNow', { amount: formatFen(owedNowFen) })}
            </button>
          </div>
        )}
        <TextField
          id="payment-reference"
          label={t('billingConsole.paymentReference')}
          value={reference}
          onValueChange={setReference}
          maxLength={100}
          required
        />
        <div className="field">
          <label htmlFor="payment-paid-at">{t('billingConsole.paymentPaidAt')}</label>
          <input id="payment-paid-at" type="datetime-local" value={paidAt} onChange={(event) => setPaidAt(event.target.value)} />
        </div>
        <TextField
          id="payment-backdate-reason"
          label={t('billingConsole.paymentBackdateReason', { days: BACKDATE_TOLERANCE_DAYS })}
          value={backdateReason}
          onValueChange={setBackdateReason}
          maxLength={500}
        />
        <div>
          <button type="submit" className="button button-primary" disabled={action.busy} data-testid="payment-submit">
            {action.busy ? t('billingConsole.working') : t('billingConsole.paymentSubmit')}
          </button>
        </div>
        {action.error !== null && <ProblemAlert error={action.error} testId="payment-error" />}
        {result && (
          <p className="notice" role="status" data-testid="payment-result">
            {result.duplicate
              ? t('billingConsole.paymentDuplicate')
              : t('billingConsole.paymentRecorded', {
                  allocated: formatFen(result.allocatedFen),
                  credit: formatFen(result.creditFen),
                  lateFees: formatFen(result.lateFeesPostedFen),
                })}
          </p>
        )}
      </form>
    </FormProblem>
  );
}

function ReconciliationSection() {
  const { t } = useTranslation();
  const [file, setFile] = useState<{ name: string; csv: string } | null>(null);
  const [report, setReport] = useState<{ imported: boolean; report: ReconciliationReport } | null>(null);
  const action = useAction();

  async function choose(chosen: File | undefined): Promise<void> {
    setReport(null);
    action.setError(null);
    setFile(chosen ? { name: chosen.name, csv: await chosen.text() } : null);
  }

  async function send(step: 'preview' | 'import'): Promise<void> {
    if (!file) return;
    await action.run(async () => {
      const answer = await postJson<ReconciliationReport>(`/api/console/billing/reconciliation/${step}`, {
        fileName: file.name,
        csv: file.csv,
      });
      setReport({ imported: step === 'import', report: answer });
    });
  }

  const summary = (r: ReconciliationReport, key: 'previewSummary' | 'imported') =>
    t(`billingConsole.${key}`, {
      accepted: r.accepted,
      total: formatFen(r.totalAcceptedFen),
      duplicates: r.duplicates,
      rejected: r.rejected,
    });

  return (
    <section className="card stack" aria-labelledby="billing-reconciliation">
      <h2 id="billing-reconciliation">{t('billingConsole.reconciliationTitle')}</h2>
      <p className="muted">{t('billingConsole.reconciliationIntro')}</p>
      <div className="field">
        <label htmlFor="reconciliation-file">{t('billingConsole.file')}</label>
        <input
          id="reconciliation-file"
          data-testid="reconciliation-file"
          type="file"
          accept=".csv,text/csv"
          onChange={(event) => void choose(event.target.files?.[0])}
        />
      </div>
      <div className="toolbar">
        <button
          type="button"
          className="button"
          disabled={!file || action.busy}
          onClick={() => void send('preview')}
          data-testid="reconciliation-preview"
        >
          {t('billingConsole.preview')}
        </button>
        {/* Importing is offered once the clerk has seen the preview of this very file. */}
        <button
          type="button"
          className="button button-primary"
          disabled={!file || action.busy || report === null || report.imported}
          onClick={() => void send('import')}
          data-testid="reconciliation-import"
        >
          {t('billingConsole.import')}
        </button>
      </div>
      {action.error !== null && <ProblemAlert error={action.error} testId="reconciliation-error" />}
      {report && (
        <div className="stack" data-testid="reconciliation-report">
          <p role="status" data-testid="reconciliation-summary">
            {summary(report.report, report.imported ? 'imported' : 'previewSummary')}
          </p>
          <DataTable
            testId="reconciliation-rows"
            headings={[
              t('billingConsole.line'),
              t('billingConsole.rowStatus'),
              t('billingConsole.date'),
              t('bills.amount'),
              t('billingConsole.reference'),
              t('billingConsole.subscriberId'),
              t('billingConsole.reason'),
            ]}
            emptyMessage={t('app.none')}
            isEmpty={report.report.rows.length === 0}
          >
            {report.report.rows.map((row) => (
              <tr key={row.line} data-testid={`reconciliation-row-${row.status}`}>
                <td className="numeric">{row.line}</td>
                <td>
                  <span
                    className={
                      row.status === 'accepted' ? 'badge badge-success' : row.status === 'rejected' ? 'badge badge-danger' : 'badge'
                    }
                  >
                    {t(`billingConsole.rowStatuses.${row.status}`)}
                  </span>
                </td>
                <td className="nowrap">{row.date ?? t('app.none')}</td>
                <td className="numeric">{row.amountFen === null ? t('app.none') : formatFen(row.amountFen)}</td>
                <td>{row.reference ?? t('app.none')}</td>
                <td className="small">
                  {row.subscriberId ? <Link to={`/console/customers/${row.subscriberId}`}>{row.subscriberId}</Link> : t('app.none')}
                </td>
                <td data-problem={row.problem ?? undefined}>
                  {row.problem ? t(`billingConsole.rowProblems.${row.problem}`) : ''}
                  {/* The server's own words add the detail a fixed sentence cannot (the CSV parser's message). */}
                  {row.problem === 'unreadable' || row.problem === 'payment-refused' ? `: ${row.reason ?? ''}` : ''}
                </td>
              </tr>
            ))}
          </DataTable>
        </div>
      )}
    </section>
  );
}
