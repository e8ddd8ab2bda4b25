import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { ApiProblemError, postJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { NewPayment, PaymentIntent, PaymentOptions, PaymentPurpose } from './payments-api';

/** How often the page asks whether the provider's notification has arrived. */
const POLL_MS = 2000;

function useSignInOn401(state: { status: string; error?: unknown }): void {
  useEffect(() => {
    if (state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname + window.location.search)}`, { replace: true });
    }
  }, [state]);
}

/**
 * `/portal/pay`: what can be paid now (the balance, this month's fees, a termination's settlement, or
 * the bill named by `?purpose=bill&billId=`), each with the amount the server decided.
 */
export function PortalPayPage() {
  const { t } = useTranslation();
  const params = new URLSearchParams(window.location.search);
  const billId = params.get('purpose') === 'bill' ? params.get('billId') : null;
  const period = params.get('period') ?? '';
  const { state, reload } = useApiQuery<PaymentOptions>('/api/portal/payments/options');
  useSignInOn401(state as { status: string; error?: unknown });
  const [provider, setProvider] = useState<string | null>(null);
  const action = useAction();

  async function start(purpose: PaymentPurpose, chosen: string): Promise<void> {
    const body: NewPayment = { purpose, provider: chosen, ...(purpose === 'bill' && billId ? { billId } : {}) };
    const intent = await action.run(() => postJson<PaymentIntent>('/api/portal/payments', body));
    if (intent) navigate(`/portal/payments/${intent.id}`);
  }

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-pay-page">
        <div className="toolbar">
          <h1>{t('payments.title')}</h1>
          <Link to="/portal" className="button button-quiet">
            {t('payments.backToPortal')}
          </Link>
        </div>
        <p className="muted">{t('payments.intro')}</p>
        <QueryView state={state} onRetry={reload}>
          {(options) => {
            const chosen = provider ?? options.providers[0] ?? null;
            const choices: { purpose: PaymentPurpose; amountFen: number | null; label: string; hint: string | null }[] = billId
              ? [{ purpose: 'bill', amountFen: null, label: t('payments.purposes.bill', { period: period.slice(0, 7) }), hint: null }]
              : [
                  {
                    purpose: 'settlement' as const,
                    amountFen: options.amounts.settlement,
                    label: t('payments.purposes.settlement'),
                    hint: t('payments.purposeHints.settlement'),
                  },
                  {
                    purpose: 'balance' as const,
                    amountFen: options.amounts.balance,
                    label: t('payments.purposes.balance'),
                    hint: t('payments.purposeHints.balance'),
                  },
                  {
                    purpose: 'month-fees' as const,
                    amountFen: options.amounts.monthFees,
                    label: t('payments.purposes.month-fees'),
                    hint: t('payments.purposeHints.month-fees'),
                  },
                ].filter((choice) => choice.amountFen !== null);
            return (
              <>
                {options.providers.length > 1 && (
                  <fieldset className="stack">
                    <legend>{t('payments.provider')}</legend>
                    {options.providers.map((id) => (
                      <label key={id}>
                        <input type="radio" name="provider" checked={chosen === id} onChange={() => setProvider(id)} />{' '}
                        {t(`payments.providers.${id}`, { defaultValue: id })}
                      </label>
                    ))}
                  </fieldset>
                )}
                {choices.length === 0 && <p data-testid="pay-nothing">{t('payments.nothingToPay')}</p>}
                {choices.map((choice) => (
                  <section key={choice.purpose} className="card stack" data-testid={`pay-choice-${choice.purpose}`}>
                    <h2>{choice.label}</h2>
                    {choice.hint && <p className="muted">{choice.hint}</p>}
                    {choice.amountFen !== null && (
                      <p>
                        {t('payments.amount')}: <strong data-testid="pay-amount">{formatFen(choice.amountFen)}</strong>
                      </p>
                    )}
                    <button
                      type="button"
                      className="button button-primary"
                      disabled={action.busy || chosen === null}
                      onClick={() => chosen && void start(choice.purpose, chosen)}
                      data-testid={`pay-start-${choice.purpose}`}
                    >
                      {t('payments.pay')}
                    </button>
                  </section>
                ))}
                {action.error !== null && <ProblemAlert error={action.error} testId="pay-error" />}
              </>
            );
          }}
        </QueryView>
      </div>
    </PublicLayout>
  );
}

/** `/portal/payments/:id`: the provider's QR code and link while open (polled until the outcome), then the receipt. */
export function PortalPaymentPage({ intentId }: { intentId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const { state, reload } = useApiQuery<PaymentIntent>(`/api/portal/payments/${encodeURIComponent(intentId)}`);
  useSignInOn401(state as { status: string; error?: unknown });
  const open = state.status === 'success' && (state.data.status === 'pending' || state.data.status === 'created');
  useEffect(() => {
    if (!open) return;
    const timer = setInterval(reload, POLL_MS);
    return () => clearInterval(timer);
  }, [open, reload]);

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-payment-page">
        <div className="toolbar">
          <h1>{t('payments.title')}</h1>
          <Link to="/portal" className="button button-quiet">
            {t('payments.backToPortal')}
          </Link>
        </div>
        <QueryView state={state} onRetry={reload}>
          {(intent) => (
            <section className="card stack" data-testid="payment-intent" data-status={intent.status}>
              <p>
                <span className="badge" data-testid="payment-status">
                  {t(`payments.statuses.${intent.status}`)}
                </span>{' '}
                {t(`payments.purposes.${intent.purpose}`, { period: '' })} · {t('payments.amount')}:{' '}
                <strong data-testid="payment-amount">{formatFen(intent.amountFen)}</strong>
              </p>
              {intent.action && (
                <div className="stack">
                  <p>{t('payments.scanHint')}</p>
                  {intent.action.qrDataUrl && (
                    <img src={intent.action.qrDataUrl} alt="QR" width={240} height={240} data-testid="payment-qr" />
                  )}
                  <a href={intent.action.content} target="_blank" rel="noreferrer" data-testid="payment-link">
                    {t('payments.openLink')}
                  </a>
                  <p className="muted">{t('payments.expiresAt', { time: formatDateTime(intent.expiresAt) })}</p>
                  <p className="muted" aria-live="polite">
                    {t('payments.waiting')}
                  </p>
                </div>
              )}
              {intent.status === 'succeeded' && (
                <div className="stack" data-testid="payment-receipt">
                  <h2>{t('payments.receiptTitle')}</h2>
                  <dl className="billing-figures">
                    <dt>{t('payments.receiptPaid')}</dt>
                    <dd data-testid="receipt-amount">{formatFen(intent.amountFen)}</dd>
                    <dt>{t('payments.receiptFor')}</dt>
                    <dd>{t(`payments.purposes.${intent.purpose}`, { period: '' })}</dd>
                    <dt>{t('payments.receiptProvider')}</dt>
                    <dd data-testid="receipt-provider">{t(`payments.providers.${intent.provider}`, { defaultValue: intent.provider })}</dd>
                    <dt>{t('payments.receiptReference')}</dt>
                    <dd data-testid="receipt-reference">{intent.providerReference}</dd>
                    <dt>{t('payments.receiptMerchantReference')}</dt>
                    <dd>{intent.merchantReference}</dd>
                    <dt>{t('payments.receiptTime')}</dt>
                    <dd data-testid="receipt-time">{intent.paidAt ? formatDateTime(intent.paidAt) : ''}</dd>
                  </dl>
                </div>
              )}
              {(intent.status === 'failed' || intent.status === 'expired' || intent.status === 'closed') && (
                <div className="stack">
                  <p>{t('payments.failedHint')}</p>
                  <Link to="/portal/pay" className="button" data-testid="payment-try-again">
                    {t('payments.tryAgain')}
                  </Link>
                </div>
              )}
            </section>
          )}
        </QueryView>
      </div>
    </PublicLayout>
  );
}
