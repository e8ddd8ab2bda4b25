import { FormProblem } from '../../components/form-errors';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { CreditGaugeView } from '../../components/credit-gauge';
import { ProblemAlert } from '../../components/problem-alert';
import { QueryView } from '../../components/query-view';
import { ApiProblemError, putJson } from '../../lib/api-client';
import { formatFen } from '../../lib/money';
import { Link } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

type Credit = ApiResponse<'/api/portal/credit'>;
type LimitChanged = ApiResponse<'/api/portal/credit-limit', 'put'>;

/**
 * Clause 9 in the portal: this month's fees against the credit limit, and the limits the subscriber
 * may choose instead. A higher limit restores calling at once when the month had reached the old one.
 */
export function CreditSection({ onChanged }: { onChanged: () => void }) {
  const { t } = useTranslation();
  const { state, reload } = useApiQuery<Credit>('/api/portal/credit');
  return (
    <section className="card stack" aria-labelledby="portal-credit">
      <h2 id="portal-credit">{t('credit.portal.title')}</h2>
      <p className="muted">{t('credit.portal.intro')}</p>
      <QueryView state={state} onRetry={reload}>
        {({ gauge, options }) =>
          gauge === null ? (
            <p className="muted">{t('credit.portal.noLimit')}</p>
          ) : (
            <>
              <p className="small muted">{t('credit.portal.period', { period: gauge.period.slice(0, 7) })}</p>
              <CreditGaugeView gauge={gauge} testId="portal-credit-gauge" />
              {gauge.blocked && (
                <p>
                  <Link to="/portal/bills" className="button" data-testid="portal-credit-pay">
                    {t('credit.portal.payLink')}
                  </Link>
                </p>
              )}
              <LimitChoice
                currentFen={gauge.limitFen}
                options={options}
                onChanged={() => {
                  reload();
                  // A restored service changes the status card too.
                  onChanged();
                }}
              />
            </>
          )
        }
      </QueryView>
    </section>
  );
}

function LimitChoice({ currentFen, options, onChanged }: { currentFen: number; options: Credit['options']; onChanged: () => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(currentFen);
  const [changed, setChanged] = useState<LimitChanged | null>(null);
  const action = useAction();

  async function submit(event: FormEvent<HTMLFormElement>): Promise<void> {
    event.preventDefault();
    const result = await action.run(() => putJson<LimitChanged>('/api/portal/credit-limit', { limitFen: chosen }));
    if (result) {
      setChanged(result);
      onChanged();
    }
  }

  // The catalogue may have withdrawn a limit the subscriber still has: it stays visible as the current one.
  const choices = options.some((option) => option.amountFen === currentFen)
    ? options
    : [{ amountFen: currentFen, isDefault: false }, ...options].sort((a, b) => a.amountFen - b.amountFen);
  const refusedChoice =
    action.error instanceof ApiProblemError && (action.error.problem.errors ?? []).some((error) => error.field === 'limitFen');
  return (
    <FormProblem error={action.error}>
      <form className="form" onSubmit={submit}>
        <h3 id="portal-credit-choose">{t('credit.portal.chooseTitle')}</h3>
        <p className="small muted">{t('credit.portal.chooseIntro')}</p>
        <fieldset className="limit-choices" aria-labelledby="portal-credit-choose" data-testid="portal-credit-options">
          {choices.map((option) => (
            <label key={option.amountFen} className="checkbox">
              <input
                type="radio"
                name="credit-limit"
                value={option.amountFen}
                checked={chosen === option.amountFen}
                onChange={() => setChosen(option.amountFen)}
                data-testid={`portal-credit-option-${option.amountFen}`}
              />
              <span className="numeric">{formatFen(option.amountFen)}</span>
              {option.amountFen === currentFen && <span className="badge">{t('credit.portal.current')}</span>}
              {option.isDefault && <span className="muted small">{t('credit.portal.default')}</span>}
            </label>
          ))}
        </fieldset>
        <div>
          <button
            type="submit"
            className="button button-primary"
            disabled={action.busy || chosen === currentFen}
            data-testid="portal-credit-change"
          >
            {action.busy ? t('credit.portal.changing') : t('credit.portal.change')}
          </button>
        </div>
        {refusedChoice && <p className="text-danger">{t('credit.portal.notOffered')}</p>}
        {action.error !== null && <ProblemAlert error={action.error} testId="portal-credit-error" />}
        {changed && (
          <p className="text-success" role="status" data-testid="portal-credit-changed">
            {t('credit.portal.changed', { limit: formatFen(changed.limitFen) })} {changed.restored && t('credit.portal.restored')}
          </p>
        )}
      </form>
    </FormProblem>
  );
}
