import { FormProblem } from '../../components/form-errors';
import { useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { TextField } from '../../components/text-field';
import { postJson } from '../../lib/api-client';
import { useAction } from '../../lib/use-action';
import {
  periodLabel,
  type AdjustmentKind,
  type AdjustmentRequest,
  type BillSummary,
  type PostedAdjustment,
  type RecordedRefund,
  type RefundRequest,
} from './billing-api';
import { formatFen, parseYuanToFen } from './money';
import { YuanField } from './yuan-field';

const adjustmentKinds: readonly AdjustmentKind[] = ['credit_note', 'adjustment'];

/**
 * A correction decided by staff (`billing.manage`): an adjustment charged on the next bill, or a credit
 * note given back at once. Issued bills stay as they are; the new entry may name the bill it corrects.
 */
export function AdjustmentForm({
  subscriberId,
  bills,
  onPosted,
}: {
  subscriberId: string;
  bills: readonly BillSummary[];
  onPosted: () => void;
}) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<AdjustmentKind>('credit_note');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [billId, setBillId] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [result, setResult] = useState<{ kind: AdjustmentKind; amountFen: number; posted: PostedAdjustment } | null>(null);
  const action = useAction();
  // One key per document the clerk means to post: sending the same form again after a lost answer
  // cannot post it twice, while any edit (or a success) makes the next submission a new document.
  const idempotencyKey = useRef<string | null>(null);

  function edit<T>(set: (value: T) => void): (value: T) => void {
    return (value) => {
      idempotencyKey.current = null;
      set(value);
    };
  }

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    // Yuan typed by the clerk become integer fen by parsing the digits, never by multiplying a float.
    const amountFen = parseYuanToFen(amount);
    setInvalid(amountFen === null);
    if (amountFen === null) return;
    setResult(null);
    await action.run(async () => {
      idempotencyKey.current ??= crypto.randomUUID();
      const body: AdjustmentRequest = {
        kind,
        amountFen,
        reason: reason.trim(),
        idempotencyKey: idempotencyKey.current,
        ...(billId ? { billId } : {}),
      };
      const posted = await postJson<PostedAdjustment>(`/api/console/billing/subscribers/${subscriberId}/adjustments`, body);
      idempotencyKey.current = null;
      setResult({ kind, amountFen, posted });
      setAmount('');
      setReason('');
      setBillId('');
      onPosted();
    });
  }

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={submit} data-testid="adjustment-form">
        <h3>{t('billingConsole.adjustmentTitle')}</h3>
        <p className="muted small">{t('billingConsole.adjustmentIntro')}</p>
        <div className="field">
          <label htmlFor="adjustment-kind">{t('billingConsole.adjustmentKind')}</label>
          <select
            id="adjustment-kind"
            data-testid="adjustment-kind"
            value={kind}
            onChange={(event) => edit(setKind)(event.target.value as AdjustmentKind)}
          >
            {adjustmentKinds.map((value) => (
              <option key={value} value={value}>
                {t(`billingConsole.adjustmentKinds.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <YuanField
          id="adjustment-amount"
          label={t('billingConsole.adjustmentAmount')}
          value={amount}
          onValueChange={edit((value: string) => {
            setInvalid(false);
            setAmount(value);
          })}
          error={invalid ? t('billingConsole.amountInvalid') : null}
        />
        <TextField
          id="adjustment-reason"
          label={t('billingConsole.adjustmentReason')}
          value={reason}
          onValueChange={edit(setReason)}
          maxLength={500}
          required
        />
        <div className="field">
          <label htmlFor="adjustment-bill">{t('billingConsole.adjustmentBill')}</label>
          <select
            id="adjustment-bill"
            data-testid="adjustment-bill"
            value={billId}
            onChange={(event) => edit(setBillId)(event.target.value)}
          >
            <option value="">{t('billingConsole.adjustmentNoBill')}</option>
            {bills.map((bill) => (
              <option key={bill.id} value={bill.id}>
                {periodLabel(bill.period)} — {formatFen(bill.totalFen)}
              </option>
            ))}
          </select>
        </div>
        <div>
          <button type="submit" className="button button-primary" disabled={action.busy} data-testid="adjustment-submit">
            {action.busy ? t('billingConsole.working') : t('billingConsole.adjustmentSubmit')}
          </button>
        </div>
        {action.error !== null && <ProblemAlert error={action.error} testId="adjustment-error" />}
        {result && (
          <p className="notice" role="status" data-testid="adjustment-result">
            {result.posted.duplicate
              ? t('billingConsole.adjustmentDuplicate')
              : t(`billingConsole.adjustmentPosted.${result.kind}`, { amount: formatFen(result.amountFen) })}
          </p>
        )}
      </form>
    </FormProblem>
  );
}

/** Pays unapplied credit back (`billing.manage`); the server refuses more than there is, this form says so first. */
export function RefundForm({ subscriberId, creditFen, onRefunded }: { subscriberId: string; creditFen: number; onRefunded: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [fieldError, setFieldError] = useState<'invalid' | 'too-much' | null>(null);
  const [result, setResult] = useState<{ amountFen: number; refund: RecordedRefund } | null>(null);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const amountFen = parseYuanToFen(amount);
    const problem = amountFen === null ? 'invalid' : amountFen > creditFen ? 'too-much' : null;
    setFieldError(problem);
    if (amountFen === null || problem !== null) return;
    setResult(null);
    const body: RefundRequest = { amountFen, reason: reason.trim() };
    await action.run(async () => {
      const refund = await postJson<RecordedRefund>(`/api/console/billing/subscribers/${subscriberId}/refunds`, body);
      setResult({ amountFen, refund });
      setAmount('');
      setReason('');
      onRefunded();
    });
  }

  const amountError =
    fieldError === 'invalid'
      ? t('billingConsole.amountInvalid')
      : fieldError === 'too-much'
        ? t('billingConsole.refundTooMuch', { credit: formatFen(creditFen) })
        : null;

  return (
    <FormProblem error={action.error}>
      <form className="form card" onSubmit={submit} data-testid="refund-form">
        <h3>{t('billingConsole.refundTitle')}</h3>
        <p className="muted small">{t('billingConsole.refundIntro')}</p>
        <p data-testid="refund-available">
          {creditFen > 0 ? t('billingConsole.refundAvailable', { credit: formatFen(creditFen) }) : t('billingConsole.refundNone')}
        </p>
        <YuanField
          id="refund-amount"
          label={t('billingConsole.refundAmount')}
          value={amount}
          onValueChange={(value) => {
            setFieldError(null);
            setAmount(value);
          }}
          error={amountError}
        />
        <TextField
          id="refund-reason"
          label={t('billingConsole.refundReason')}
          value={reason}
          onValueChange={setReason}
          maxLength={500}
          required
        />
        <div>
          <button type="submit" className="button button-primary" disabled={action.busy || creditFen <= 0} data-testid="refund-submit">
            {action.busy ? t('billingConsole.working') : t('billingConsole.refundSubmit')}
          </button>
        </div>
        {action.error !== null && <ProblemAlert error={action.error} testId="refund-error" />}
        {result && (
          <p className="notice" role="status" data-testid="refund-result">
            {t('billingConsole.refundRecorded', { amount: formatFen(result.amountFen), credit: formatFen(result.refund.creditFen) })}
          </p>
        )}
      </form>
    </FormProblem>
  );
}
