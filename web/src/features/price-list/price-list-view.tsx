import { useTranslation } from 'react-i18next';
import type { Language } from '../../i18n/i18n';
import { Link } from '../../lib/router';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { PriceList, PriceListPlan } from '../../lib/price-list-api';
import './price-list.css';

/**
 * The price list laid out: on the public page, and in the console's preview of a later date, so the
 * administrator sees exactly what /prices will show (without the apply buttons, in the preview).
 */
export function PriceListContent({ list, language, preview = false }: { list: PriceList; language: Language; preview?: boolean }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <>
      <div className="price-list-intro">
        <p>{t('priceList.intro', { provider: list.provider.name, currency: currencyName(list.currency, language) })}</p>
        <p>
          {t('priceList.website')}
          <a href={list.provider.website} rel="noopener">
            {list.provider.website}
          </a>
        </p>
      </div>

      <section aria-labelledby="price-list-plans">
        <h2 id="price-list-plans">{t('priceList.plans')}</h2>
        {list.plans.length === 0 ? (
          <p className="muted">{t('priceList.noPlans')}</p>
        ) : (
          <div className="price-list-plans">
            {list.plans.map((plan) => (
              <PlanCard key={plan.id} plan={plan} preview={preview} />
            ))}
          </div>
        )}
      </section>

      <section aria-labelledby="price-list-credit-limits" className="price-list-section">
        <h2 id="price-list-credit-limits">{t('priceList.creditLimits')}</h2>
        <p className="muted">{t('priceList.creditLimitsIntro')}</p>
        <ul className="price-list-chips" data-testid="credit-limits">
          {list.creditLimits.map((option) => (
            <li key={option.amount.fen} className={option.isDefault ? 'price-list-chip is-default' : 'price-list-chip'}>
              <span className="numeric">{option.amount.formatted}</span>
              {option.isDefault && <span className="badge badge-success">{t('priceList.default')}</span>}
            </li>
          ))}
        </ul>
      </section>

      <section aria-labelledby="price-list-terminals" className="price-list-section">
        <h2 id="price-list-terminals">{t('priceList.terminals')}</h2>
        {list.terminals.length === 0 ? (
          <p className="muted">{t('priceList.noTerminals')}</p>
        ) : (
          <div className="table-wrap">
            <table data-testid="terminals">
              <thead>
                <tr>
                  <th scope="col">{t('priceList.terminal')}</th>
                  <th scope="col">{t('priceList.terminalDescription')}</th>
                  <th scope="col" className="price-list-amount">
                    {t('priceList.price')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {list.terminals.map((terminal) => (
                  <tr key={terminal.code}>
                    <th scope="row">{terminal.name}</th>
                    <td>{terminal.description}</td>
                    <td className="numeric price-list-amount">{terminal.price.formatted}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <footer className="price-list-notes small muted">
        <p>{list.rounding}</p>
        <p>{t('priceList.agreementNote')}</p>
        <p>{t('priceList.asOf', { time: formatDateTime(list.asOf) })}</p>
      </footer>
    </>
  );
}

function PlanCard({ plan, preview }: { plan: PriceListPlan; preview: boolean }) {
  const { t } = useTranslation();
  const { exampleCall } = plan;
  return (
    <article className="card price-list-plan" data-testid={`plan-${plan.code}`}>
      <h3>{plan.name}</h3>
      <p className="price-list-rent">
        <span className="price-list-rent-amount numeric">{plan.monthlyRent.formatted}</span>
        <span className="muted">{t('priceList.perMonth')}</span>
      </p>
      {plan.description && <p className="muted">{plan.description}</p>}
      <dl className="price-list-terms">
        <dt>{t('priceList.includedMinutes')}</dt>
        <dd>{t('priceList.minutes', { value: plan.includedMinutes })}</dd>
        <dt>{t('priceList.overage')}</dt>
        <dd>{t('priceList.perMinute', { rate: plan.perMinuteRate.formatted })}</dd>
        <dt>{t('priceList.billing')}</dt>
        <dd>{plan.billingIncrement.description}</dd>
      </dl>
      <p className="small muted">
        {t('priceList.example', {
          duration: exampleCall.durationSeconds,
          billable: exampleCall.billableSeconds,
          charge: exampleCall.charge.formatted,
        })}
      </p>
      {!preview && (
        <p>
          <Link
            to={`/apply?plan=${encodeURIComponent(plan.code)}`}
            className="button button-primary"
            data-testid={`apply-plan-${plan.code}`}
          >
            {t('publicNav.applyForPlan')}
          </Link>
        </p>
      )}
    </article>
  );
}

/** "人民币 (CNY)" / "Chinese Yuan (CNY)"; just the code where the browser cannot name it. */
function currencyName(currency: string, language: Language): string {
  try {
    const name = new Intl.DisplayNames([language], { type: 'currency' }).of(currency);
    return name && name !== currency ? `${name} (${currency})` : currency;
  } catch {
    return currency;
  }
}
