import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { DataTable } from '../../components/data-table';
import { FormProblem } from '../../components/form-errors';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { fenToYuanText, formatFen, parseYuanToFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse, Staff } from '../../types/api';

type MismatchList = ApiResponse<'/api/console/payments/mismatches'>;
type OnlinePaymentPage = ApiResponse<'/api/console/payments/online'>;
type OnlinePayment = OnlinePaymentPage['payments'][number];

const PAGE_SIZE = 50;
const statuses = ['succeeded', 'pending', 'failed', 'expired', 'closed', 'created'] as const;

/**
 * Online payments for the billing desk: what reconciliation could not settle by itself (each closed by
 * a person who says what was done), and the payments themselves, where credit is refunded through the
 * provider it came from.
 */
export function OnlinePaymentsConsolePage({ staff }: { staff: Staff }) {
  const { t } = useTranslation();
  return (
    <div className="page stack" data-testid="online-payments-page">
      <h1>{t('paymentsConsole.title')}</h1>
      <p className="muted">{t('paymentsConsole.intro')}</p>
      <Mismatches mayResolve={staff.permissions.includes('payments.record')} />
      <Payments mayRefund={staff.permissions.includes('billing.manage')} />
    </div>
  );
}

function Mismatches({ mayResolve }: { mayResolve: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [onlyOpen, setOnlyOpen] = useState(true);
  const { state, reload } = useApiQuery<MismatchList>(`/api/console/payments/mismatches${onlyOpen ? '?open=true' : ''}`);
  const [resolving, setResolving] = useState<string | null>(null);
  return (
    <section className="stack" aria-labelledby="mismatches-heading">
      <h2 id="mismatches-heading">{t('paymentsConsole.mismatches')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={onlyOpen}
          onChange={(event) => setOnlyOpen(event.target.checked)}
          data-testid="mismatches-open-only"
        />
        {t('paymentsConsole.openOnly')}
      </label>
      <QueryView state={state} onRetry={reload}>
        {({ openCount, mismatches }) => (
          <>
            <p data-testid="mismatches-open-count">{t('paymentsConsole.openCount', { count: openCount })}</p>
            <DataTable
              testId="payment-mismatches"
              isEmpty={mismatches.length === 0}
              emptyMessage={t('paymentsConsole.noMismatches')}
              headings={[
                t('paymentsConsole.found'),
                t('paymentsConsole.kind'),
                t('paymentsConsole.provider'),
                t('paymentsConsole.reference'),
                t('paymentsConsole.customer'),
                t('paymentsConsole.resolved'),
                '',
              ]}
            >
              {mismatches.map((m) => (
                <tr key={m.id} data-testid="payment-mismatch" data-kind={m.kind}>
                  <td>{formatDateTime(m.foundAt)}</td>
                  <td>{t(`paymentsConsole.kinds.${m.kind}`)}</td>
                  <td>
                    <ProviderName provider={m.provider} />
                  </td>
                  <td>
                    <code>{m.merchantReference}</code>
                  </td>
                  <td>
                    {m.subscriberId ? (
                      <Link to={`/console/customers/${m.subscriberId}`}>{t('paymentsConsole.openCustomer')}</Link>
                    ) : (
                      t('app.none')
                    )}
                  </td>
                  <td>
                    {m.resolvedAt
                      ? t('paymentsConsole.resolvedBy', {
                          name: m.resolvedBy?.name ?? '',
                          time: formatDateTime(m.resolvedAt),
                          what: m.resolution ?? '',
                        })
                      : t('paymentsConsole.open')}
                  </td>
                  <td>
                    {!m.resolvedAt && mayResolve && resolving !== m.id && (
                      <button type="button" className="button" onClick={() => setResolving(m.id)} data-testid="mismatch-resolve">
                        {t('paymentsConsole.resolve')}
                      </button>
                    )}
                    {resolving === m.id && (
                      <ResolveForm
                        mismatchId={m.id}
                        onDone={() => {
                          setResolving(null);
                          reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          </>
        )}
      </QueryView>
    </section>
  );
}

function ResolveForm({ mismatchId, onDone }: { mismatchId: string; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [resolution, setResolution] = useState('');
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const done = await action.run(() =>
      postJson(`/api/console/payments/mismatches/${encodeURIComponent(mismatchId)}/resolve`, { resolution }),
    );
    if (done !== undefined) onDone();
  }
  return (
    <FormProblem error={action.error}>
      <form className="form" onSubmit={(event) => void submit(event)} data-testid="mismatch-resolve-form">
        <TextField
          id="mismatch-resolution"
          name="resolution"
          label={t('paymentsConsole.resolution')}
          hint={t('paymentsConsole.resolutionHint')}
          value={resolution}
          onValueChange={setResolution}
          maxLength={1000}
          required
        />
        {action.error !== null && <ProblemAlert error={action.error} />}
        <button type="submit" disabled={action.busy} data-testid="mismatch-resolve-submit">
          {t('paymentsConsole.resolve')}
        </button>
      </form>
    </FormProblem>
  );
}

function Payments({ mayRefund }: { mayRefund: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [status, setStatus] = useState<(typeof statuses)[number] | ''>('succeeded');
  const [offset, setOffset] = useState(0);
  const query = new URLSearchParams({ offset: String(offset), limit: String(PAGE_SIZE), ...(status ? { status } : {}) });
  const { state, reload } = useApiQuery<OnlinePaymentPage>(`/api/console/payments/online?${query.toString()}`);
  const [refunding, setRefunding] = useState<string | null>(null);
  return (
    <section className="stack" aria-labelledby="online-payments-heading">
      <h2 id="online-payments-heading">{t('paymentsConsole.payments')}</h2>
      <div className="toolbar">
        <label htmlFor="online-payment-status">{t('paymentsConsole.status')}</label>
        <select
          id="online-payment-status"
          data-testid="online-payment-status"
          value={status}
          onChange={(event) => {
            setStatus(event.target.value as (typeof statuses)[number] | '');
            setOffset(0);
          }}
        >
          <option value="">{t('paymentsConsole.allStatuses')}</option>
          {statuses.map((s) => (
            <option key={s} value={s}>
              {t(`payments.statuses.${s}`)}
            </option>
          ))}
        </select>
      </div>
      <QueryView state={state} onRetry={reload}>
        {({ total, payments }) => (
          <>
            <DataTable
              testId="online-payments"
              isEmpty={payments.length === 0}
              emptyMessage={t('paymentsConsole.noPayments')}
              headings={[
                t('paymentsConsole.created'),
                t('paymentsConsole.customer'),
                t('paymentsConsole.purpose'),
                t('paymentsConsole.amount'),
                t('paymentsConsole.refunded'),
                t('paymentsConsole.provider'),
                t('paymentsConsole.status'),
                t('paymentsConsole.reference'),
                '',
              ]}
            >
              {payments.map((p) => (
                <tr key={p.id} data-testid="online-payment" data-status={p.status}>
                  <td>{formatDateTime(p.createdAt)}</td>
                  <td>
                    <Link to={`/console/customers/${p.subscriberId}`}>{t('paymentsConsole.openCustomer')}</Link>
                  </td>
                  <td>{t(`paymentsConsole.purposes.${p.purpose}`)}</td>
                  <td>{formatFen(p.amountFen)}</td>
                  <td data-testid="online-payment-refunded">{p.refundedFen > 0 ? formatFen(p.refundedFen) : t('app.none')}</td>
                  <td>
                    <ProviderName provider={p.provider} />
                  </td>
                  <td>{t(`payments.statuses.${p.status}`)}</td>
                  <td>
                    <code>{p.merchantReference}</code>
                  </td>
                  <td>
                    {mayRefund && p.status === 'succeeded' && p.refundedFen < p.amountFen && refunding !== p.id && (
                      <button type="button" className="button" onClick={() => setRefunding(p.id)} data-testid="online-payment-refund">
                        {t('paymentsConsole.refund')}
                      </button>
                    )}
                    {refunding === p.id && (
                      <RefundForm
                        payment={p}
                        onDone={() => {
                          setRefunding(null);
                          reload();
                        }}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
            <div className="toolbar">
              <span>{t('queues.page', { from: payments.length ? offset + 1 : 0, to: offset + payments.length, total })}</span>
              <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}>
                {t('queues.previous')}
              </button>
              <button type="button" disabled={offset + PAGE_SIZE >= total} onClick={() => setOffset(offset + PAGE_SIZE)}>
                {t('queues.next')}
              </button>
            </div>
          </>
        )}
      </QueryView>
    </section>
  );
}

function RefundForm({ payment, onDone }: { payment: OnlinePayment; onDone: () => void }) {
  const { t } = useTranslation();
  const action = useAction();
  const [amount, setAmount] = useState(fenToYuanText(payment.amountFen - payment.refundedFen));
  const [reason, setReason] = useState('');
  async function submit(event: FormEvent): Promise<void> {
    event.preventDefault();
    const amountFen = parseYuanToFen(amount);
    if (amountFen === null) {
      action.setError(new Error(t('paymentsConsole.amountInvalid')));
      return;
    }
    const done = await action.run(() =>
      postJson(`/api/console/payments/online/${encodeURIComponent(payment.id)}/refunds`, { amountFen, reason }),
    );
    if (done !== undefined) onDone();
  }
  return (
    <FormProblem error={action.error}>
      <form className="form" onSubmit={(event) => void submit(event)} data-testid="online-refund-form">
        <TextField
          id="online-refund-amount"
          name="amountFen"
          label={t('paymentsConsole.refundAmount')}
          value={amount}
          onValueChange={setAmount}
          inputMode="decimal"
          maxLength={12}
          required
        />
        <TextField
          id="online-refund-reason"
          name="reason"
          label={t('paymentsConsole.refundReason')}
          value={reason}
          onValueChange={setReason}
          maxLength={500}
          required
        />
        {action.error !== null && <ProblemAlert error={action.error} />}
        <button type="submit" disabled={action.busy} data-testid="online-refund-submit">
          {t('paymentsConsole.refund')}
        </button>
      </form>
    </FormProblem>
  );
}

function ProviderName({ provider }: { provider: string }) {
  const { t } = useTranslation();
  return provider === 'alipay' || provider === 'wechatpay' || provider === 'simulator' ? t(`payments.providers.${provider}`) : provider;
}
