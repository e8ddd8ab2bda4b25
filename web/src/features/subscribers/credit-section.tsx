import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CreditGaugeView } from '../../components/credit-gauge';
import { DataTable } from '../../components/data-table';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { TextField } from '../../components/text-field';
import { ApiProblemError, putJson } from '../../lib/api-client';
import { formatFen, parseYuanToFen } from '../../lib/money';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { Staff } from '../../types/api';
import { explainChargingEntry, type LimitChanged, type SubscriberCredit } from './credit-history';

/**
 * A subscriber's credit limit on their console page (clause 9), for staff with `billing.read`: this
 * month's gauge and the charging history; with `billing.manage`, a limit set by staff (audited).
 */
export function SubscriberCreditSection({ id, staff }: { id: string; staff: Staff }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<SubscriberCredit>(`/api/console/charging/subscribers/${id}`);
  const noOrder = state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 404;
  return (
    <div className="stack" data-testid="subscriber-credit">
      <h3>{t('credit.console.title')}</h3>
      {noOrder ? (
        <p className="muted">{t('credit.console.noOrder')}</p>
      ) : (
        <QueryView state={state} onRetry={reload}>
          {({ gauge, history }) => (
            <>
              <CreditGaugeView gauge={gauge} testId="subscriber-credit-gauge" />
              {staff.permissions.includes('billing.manage') && <LimitForm id={id} currentFen={gauge.limitFen} onChanged={reload} />}
              <ChargingHistory history={history} />
            </>
          )}
        </QueryView>
      )}
    </div>
  );
}

function ChargingHistory({ history }: { history: SubscriberCredit['history'] }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <div className="stack">
      <h4>{t('credit.console.historyTitle')}</h4>
      <p className="small muted">{t('credit.console.historyIntro')}</p>
      <DataTable
        testId="charging-history"
        headings={[t('credit.console.at'), t('credit.console.kind'), t('credit.console.detail')]}
        emptyMessage={t('credit.console.historyEmpty')}
        isEmpty={history.length === 0}
      >
        {history.map((entry, index) => (
          <tr key={`${entry.at}:${index}`} data-testid={`charging-history-${entry.kind}`}>
            <td className="nowrap">{formatDateTime(entry.at)}</td>
            <td className="nowrap">
              <span
                className={
                  entry.kind === 'refused' || entry.kind === 'cutoff' || entry.kind === 'exhausted' ? 'badge badge-danger' : 'badge'
                }
              >
                {t(`credit.console.kinds.${entry.kind}`)}
              </span>
            </td>
            <td>{explainChargingEntry(t, entry)}</td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function LimitForm({ id, currentFen, onChanged }: { id: string; currentFen: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const [amount, setAmount] = useState('');
  const [invalid, setInvalid] = useState(false);
  const [changed, setChanged] = useState<LimitChanged | null>(null);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const limitFen = parseYuanToFen(amount, { allowZero: true });
    setInvalid(limitFen === null);
    if (limitFen === null) return;
    const result = await action.run(() => putJson<LimitChanged>(`/api/console/charging/subscribers/${id}/credit-limit`, { limitFen }));
    if (result) {
      setChanged(result);
      setAmount('');
      onChanged();
    }
  }

  return (
    <FormProblem error={action.error}>
      <form className="form" onSubmit={submit} data-testid="credit-limit-form">
        <h4>{t('credit.console.changeTitle')}</h4>
        <p className="small muted">{t('credit.console.changeIntro')}</p>
        <TextField
          id="credit-limit-amount"
          label={`${t('credit.console.newLimit')} — ${t('credit.gauge.limit')}: ${formatFen(currentFen)}`}
          value={amount}
          onValueChange={setAmount}
          inputMode="decimal"
          required
          hint={invalid ? <span className="text-danger">{t('credit.console.amountInvalid')}</span> : t('credit.console.amountHint')}
        />
        <div>
          <button type="submit" className="button button-primary" disabled={action.busy} data-testid="credit-limit-submit">
            {t('credit.console.submit')}
          </button>
        </div>
        {action.error !== null && <ProblemAlert error={action.error} testId="credit-limit-error" />}
        {changed && (
          <p className="text-success" role="status" data-testid="credit-limit-changed">
            {t('credit.console.changed', { from: formatFen(changed.previousFen ?? 0), to: formatFen(changed.limitFen) })}{' '}
            {changed.restored && t('credit.console.restored')}
          </p>
        )}
      </form>
    </FormProblem>
  );
}
