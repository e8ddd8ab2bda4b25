import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { ApiProblemError } from '../../lib/api-client';
import { Link, navigate } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import {
  explainCredit,
  explainLine,
  periodLabel,
  type Balance,
  type BillDetail,
  type BillStatus,
  type BillSummary,
  type Usage,
} from './billing-api';
import { formatFen, minutesAndSeconds, rateAsPercent } from './money';

export function billStatusClass(status: BillStatus): string {
  return status === 'paid' ? 'badge badge-success' : status === 'overdue' ? 'badge badge-danger' : 'badge';
}

/** The subscriber's bills (clause 5): what is owed now, this month's calls, and every bill line by line. */
export function PortalBillsPage() {
  const { t } = useTranslation();
  const balance = useApiQuery<Balance>('/api/portal/balance');
  const usage = useApiQuery<Usage>('/api/portal/usage');
  const bills = useApiQuery<{ bills: BillSummary[] }>('/api/portal/bills');
  const [openId, setOpenId] = useState<string | null>(null);

  // Signed out (or the session expired): back to the login, returning here afterwards.
  useEffect(() => {
    if (bills.state.status === 'error' && bills.state.error instanceof ApiProblemError && bills.state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    }
  }, [bills.state]);

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-bills-page">
        <div className="toolbar">
          <h1>{t('bills.title')}</h1>
          <Link to="/portal" className="button button-quiet" data-testid="portal-bills-back">
            {t('bills.backToPortal')}
          </Link>
        </div>
        <section className="card" aria-labelledby="bills-balance">
          <h2 id="bills-balance">{t('bills.balanceTitle')}</h2>
          <QueryView state={balance.state} onRetry={balance.reload}>
            {(view) => (
              <dl className="billing-figures" data-testid="portal-balance">
                <Figure label={t('bills.owedNow')} fen={view.owedNow.totalFen} testId="balance-owed-now" danger={view.overdueFen > 0} />
                <Figure label={t('bills.outstanding')} fen={view.outstandingFen} testId="balance-outstanding" />
                <Figure label={t('bills.overdue')} fen={view.overdueFen} testId="balance-overdue" danger={view.overdueFen > 0} />
                <Figure label={t('bills.accruingLateFees')} fen={view.accruingLateFeesFen} testId="balance-late-fees" />
                <Figure label={t('bills.credit')} fen={view.creditFen} testId="balance-credit" />
                <p className="muted small" data-testid="balance-owed-now-hint">
                  {t('bills.owedNowHint', {
                    onBills: formatFen(view.owedNow.onBillsFen),
                    unbilled: formatFen(view.owedNow.unbilledChargesFen),
                    lateFees: formatFen(view.owedNow.lateFeesAccruingFen),
                    service: formatFen(view.owedNow.unbilledServiceFen),
                    credit: formatFen(view.owedNow.creditFen),
                  })}
                </p>
              </dl>
            )}
          </QueryView>
        </section>
        <section className="card" aria-labelledby="bills-usage">
          <h2 id="bills-usage">{t('bills.usageTitle')}</h2>
          <QueryView state={usage.state} onRetry={usage.reload}>
            {(view) => <UsageFigures usage={view} />}
          </QueryView>
        </section>
        <section className="card" aria-labelledby="bills-list">
          <h2 id="bills-list">{t('bills.listTitle')}</h2>
          <QueryView state={bills.state} onRetry={bills.reload}>
            {({ bills: rows }) => (
              <DataTable
                testId="portal-bills-table"
                headings={[t('bills.period'), t('bills.amount'), t('bills.outstandingShort'), t('bills.dueDate'), t('bills.status'), '']}
                emptyMessage={t('bills.empty')}
                isEmpty={rows.length === 0}
              >
                {rows.map((bill) => (
                  <tr key={bill.id} data-testid={`portal-bill-${periodLabel(bill.period)}`}>
                    <td className="nowrap">
                      {periodLabel(bill.period)}
                      {bill.kind !== 'regular' && <div className="muted small">{t(`bills.kinds.${bill.kind}`)}</div>}
                    </td>
                    <td className="numeric" data-testid="bill-total">
                      {formatFen(bill.totalFen)}
                    </td>
                    <td className="numeric">{formatFen(bill.outstandingFen)}</td>
                    <td className="nowrap">{bill.dueDate}</td>
                    <td>
                      <span className={billStatusClass(bill.status)} data-testid="bill-status">
                        {t(`bills.statuses.${bill.status}`)}
                      </span>
                    </td>
                    <td>
                      <button
                        type="button"
                        className="button button-small"
                        onClick={() => setOpenId(bill.id)}
                        data-testid={`portal-bill-open-${periodLabel(bill.period)}`}
                      >
                        {t('bills.view')}
                      </button>
                      {bill.outstandingFen > 0 && (
                        <>
                          {' '}
                          <Link
                            to={`/portal/pay?purpose=bill&billId=${bill.id}&period=${bill.period}`}
                            className="button button-small button-primary"
                            data-testid={`portal-bill-pay-${periodLabel(bill.period)}`}
                          >
                            {t('payments.payOnline')}
                          </Link>
                        </>
                      )}
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
          </QueryView>
        </section>
        {openId && <BillDetailCard path={`/api/portal/bills/${openId}`} onClose={() => setOpenId(null)} disputable />}
      </div>
    </PublicLayout>
  );
}

function Figure({ label, fen, testId, danger = false }: { label: string; fen: number; testId: string; danger?: boolean }) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={`numeric${danger ? ' text-danger' : ''}`} data-testid={testId}>
        {formatFen(fen)}
      </dd>
    </div>
  );
}

function UsageFigures({ usage }: { usage: Usage }) {
  const { t } = useTranslation();
  const duration = (seconds: number) => t('bills.minutesSeconds', minutesAndSeconds(seconds));
  return (
    <dl className="billing-figures" data-testid="portal-usage">
      <div>
        <dt>{t('bills.usagePeriod')}</dt>
        <dd>{periodLabel(usage.period)}</dd>
      </div>
      <div>
        <dt>{t('bills.calls')}</dt>
        <dd className="numeric">{usage.calls}</dd>
      </div>
      <div>
        <dt>{t('bills.includedMinutes')}</dt>
        <dd className="numeric">{duration(usage.includedSeconds)}</dd>
      </div>
      <div>
        <dt>{t('bills.chargedMinutes')}</dt>
        <dd className="numeric">{duration(usage.chargedSeconds)}</dd>
      </div>
      <div>
        <dt>{t('bills.usageCharge')}</dt>
        <dd className="numeric" data-testid="usage-charge">
          {formatFen(usage.chargeFen)}
        </dd>
      </div>
    </dl>
  );
}

/**
 * One bill, every line with a plain explanation, the late-fee rule in words, the credits given back
 * since the previous bill, and the PDF. Shared by the portal and the console: `path` names the API
 * (`…/bills/:id`); the PDF is the same path + `/pdf`. In the portal (`disputable`) the bill and each
 * charging line link to the dispute form (clause 6).
 */
export function BillDetailCard({ path, onClose, disputable = false }: { path: string; onClose: () => void; disputable?: boolean }) {
  const { state, reload } = useApiQuery<BillDetail>(path);
  return (
    <section className="card" aria-labelledby="bill-detail-title" data-testid="bill-detail">
      <QueryView state={state} onRetry={reload}>
        {(bill) => <BillDetailView bill={bill} pdfPath={`${path}/pdf`} onClose={onClose} disputable={disputable} />}
      </QueryView>
    </section>
  );
}

/** Kinds of line that charge something: the ones a subscriber may dispute. */
const chargingKinds: ReadonlySet<string> = new Set(['rent', 'usage', 'late_fee', 'adjustment', 'correction']);

/** The dispute form's address (it lives in the disputes feature; the address says what is disputed). */
function disputePath(subject: 'bill' | 'bill-line', id: string, about: Record<string, string | number>): string {
  const query = new URLSearchParams({ subject, id });
  for (const [key, value] of Object.entries(about)) query.set(key, String(value));
  return `/portal/disputes/new?${query.toString()}`;
}

/** A bill already fetched, drawn as BillDetailCard draws it; the console's dispute page shows the bill of its evidence with it. */
export function BillDetailView({
  bill,
  pdfPath,
  onClose,
  disputable = false,
}: {
  bill: BillDetail;
  pdfPath?: string;
  onClose?: () => void;
  disputable?: boolean;
}) {
  const { t, i18n } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const period = periodLabel(bill.period);
  return (
    <div className="stack" data-testid="bill-detail-view">
      <div className="toolbar">
        <h2 id="bill-detail-title">{t('bills.detailTitle', { period })}</h2>
        {pdfPath && (
          <a className="button" href={pdfPath} download data-testid="bill-pdf">
            {t('bills.pdf')}
          </a>
        )}
        {disputable && (
          <Link to={disputePath('bill', bill.id, { period, total: bill.totalFen })} className="button" data-testid="bill-dispute">
            {t('disputes.disputeBill')}
          </Link>
        )}
        {onClose && (
          <button type="button" className="button button-quiet" onClick={onClose}>
            {t('bills.close')}
          </button>
        )}
      </div>
      <dl className="billing-figures">
        <div>
          <dt>{t('bills.issueDate')}</dt>
          <dd>{bill.issueDate}</dd>
        </div>
        <div>
          <dt>{t('bills.dueDate')}</dt>
          <dd>{bill.dueDate}</dd>
        </div>
        {bill.serviceFrom && bill.serviceTo && (
          <div>
            <dt>{t('bills.servicePeriod')}</dt>
            <dd>
              {bill.serviceFrom} – {bill.serviceTo}
            </dd>
          </div>
        )}
        <div>
          <dt>{t('bills.status')}</dt>
          <dd>
            <span className={billStatusClass(bill.status)}>{t(`bills.statuses.${bill.status}`)}</span>
          </dd>
        </div>
      </dl>
      <DataTable
        testId="bill-lines"
        headings={[t('bills.line'), t('bills.explanation'), t('bills.amount'), disputable ? '' : null]}
        emptyMessage={t('app.none')}
        isEmpty={bill.lines.length === 0}
      >
        {bill.lines.map((line) => (
          <tr key={line.position} data-testid={`bill-line-${line.kind}`}>
            <td className="nowrap">{t(`bills.lineKinds.${line.kind}`)}</td>
            <td>{explainLine(t, line)}</td>
            <td className="numeric">{formatFen(line.amountFen)}</td>
            {disputable && (
              <td>
                {chargingKinds.has(line.kind) && line.amountFen > 0 && (
                  <Link
                    to={disputePath('bill-line', line.entryId, { period, kind: line.kind, amount: line.amountFen })}
                    className="button button-small button-quiet"
                    data-testid="bill-line-dispute"
                  >
                    {t('disputes.disputeLine')}
                  </Link>
                )}
              </td>
            )}
          </tr>
        ))}
        <tr className="total-row">
          <th scope="row" colSpan={2}>
            {t('bills.total')}
          </th>
          <td className="numeric" data-testid="bill-detail-total">
            {formatFen(bill.totalFen)}
          </td>
          {disputable && <td />}
        </tr>
      </DataTable>
      <div className="notice" data-testid="bill-late-fee">
        <h3>{t('bills.lateFeeTitle')}</h3>
        <p>{t('bills.lateFeeRule', { rate: rateAsPercent(bill.lateFee.ratePerDay) })}</p>
        <p>
          {bill.lateFee.daysLate > 0 || bill.lateFee.accruedFen > 0
            ? t('bills.lateFeeNow', {
                days: bill.lateFee.daysLate,
                accrued: formatFen(bill.lateFee.accruedFen),
                posted: formatFen(bill.lateFee.postedFen),
              })
            : t('bills.lateFeeNone')}
        </p>
      </div>
      {bill.payments.length > 0 && (
        <div className="stack" data-testid="bill-payments">
          <h3>{t('bills.paymentsTitle')}</h3>
          <ul>
            {bill.payments.map((payment) => (
              <li key={payment.paidAt}>
                {t('bills.paymentLine', { date: formatDateTime(payment.paidAt), amount: formatFen(payment.amountFen) })}
                {payment.backdateReason !== null && (
                  <div className="muted small" data-testid="bill-payment-backdated">
                    {t('bills.backdatedBecause', { reason: payment.backdateReason })}
                  </div>
                )}
              </li>
            ))}
          </ul>
        </div>
      )}
      {bill.credits.length > 0 && (
        <div className="stack" data-testid="bill-credits">
          <h3>{t('bills.creditsTitle')}</h3>
          <p className="muted small">{t('bills.creditsIntro')}</p>
          <ul>
            {bill.credits.map((credit, index) => (
              <li key={`${credit.postedAt}:${index}`} data-testid="bill-credit">
                {t('bills.creditLine', { date: formatDateTime(credit.postedAt), amount: formatFen(credit.amountFen) })}
                <div className="muted small">{explainCredit(t, i18n.language, credit)}</div>
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
