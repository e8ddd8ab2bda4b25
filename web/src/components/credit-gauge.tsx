import { useTranslation } from 'react-i18next';
import { formatFen } from '../lib/money';
import { useDateTimeFormat } from '../lib/use-date-time-format';
import type { CreditGauge } from '../types/api';

/**
 * This month's fees against the credit limit (clause 9), the same for the subscriber and for staff:
 * a bar of what finished calls cost and what calls in progress hold, with marks at the 80 % alert and
 * the limit; the figures beside it; and, once blocked, how calling comes back.
 */
export function CreditGaugeView({ gauge, testId }: { gauge: CreditGauge; testId: string }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const feesFen = gauge.settledFen + gauge.reservedFen;
  // The bar spans the limit, or the fees when they went past it (a call settled past its hold).
  const scale = Math.max(gauge.limitFen, feesFen, 1);
  const share = (fen: number) => `${Math.round((fen * 1000) / scale) / 10}%`;
  const near = !gauge.blocked && gauge.percent >= 80;
  return (
    <div className="stack" data-testid={testId}>
      <div
        className={`credit-meter${gauge.blocked ? ' credit-meter-blocked' : near ? ' credit-meter-near' : ''}`}
        role="meter"
        aria-label={t('credit.gauge.meterLabel')}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={Math.min(gauge.percent, 100)}
        aria-valuetext={t('credit.gauge.used', { percent: gauge.percent })}
      >
        <span className="credit-meter-settled" style={{ width: share(gauge.settledFen) }} />
        <span className="credit-meter-held" style={{ width: share(gauge.reservedFen) }} />
        {gauge.limitFen > 0 && (
          <span className="credit-meter-mark" style={{ left: share((gauge.limitFen * 80) / 100) }} aria-hidden="true" />
        )}
        {gauge.limitFen > 0 && feesFen > gauge.limitFen && (
          <span className="credit-meter-mark credit-meter-mark-limit" style={{ left: share(gauge.limitFen) }} aria-hidden="true" />
        )}
      </div>
      <p className="credit-percent" data-testid={`${testId}-percent`}>
        {t('credit.gauge.used', { percent: gauge.percent })}
      </p>
      <dl className="billing-figures">
        <Figure label={t('credit.gauge.limit')} value={formatFen(gauge.limitFen)} testId={`${testId}-limit`} />
        <Figure label={t('credit.gauge.settled')} value={formatFen(gauge.settledFen)} testId={`${testId}-settled`} />
        <Figure
          label={t('credit.gauge.reserved')}
          value={formatFen(gauge.reservedFen)}
          note={gauge.callsInProgress > 0 ? t('credit.gauge.callsInProgress', { count: gauge.callsInProgress }) : undefined}
          testId={`${testId}-reserved`}
        />
        {gauge.creditFen > 0 && <Figure label={t('credit.gauge.credit')} value={formatFen(gauge.creditFen)} testId={`${testId}-credit`} />}
        <Figure
          label={t('credit.gauge.headroom')}
          value={formatFen(gauge.headroomFen)}
          testId={`${testId}-headroom`}
          danger={gauge.blocked || gauge.headroomFen === 0}
        />
      </dl>
      {gauge.callsInProgress > 0 && <p className="small muted">{t('credit.gauge.heldExplained')}</p>}
      {gauge.blocked ? (
        <div className="alert alert-error" role="alert" data-testid={`${testId}-blocked`}>
          <p>
            <strong>{t('credit.gauge.blockedTitle')}</strong>
          </p>
          <p>{t('credit.gauge.blockedHelp')}</p>
        </div>
      ) : (
        near && (
          <div className="notice" data-testid={`${testId}-near`}>
            <p>
              <strong>{t('credit.gauge.nearTitle')}</strong>
            </p>
            <p className="small">{t('credit.gauge.nearHelp')}</p>
          </div>
        )
      )}
      {gauge.alerts.length > 0 && (
        <div>
          <h3>{t('credit.gauge.alertsTitle')}</h3>
          <ul data-testid={`${testId}-alerts`}>
            {gauge.alerts.map((alert) => (
              <li key={alert.percent} data-testid={`${testId}-alert-${alert.percent}`}>
                {t(alert.percent === 80 ? 'credit.gauge.alert80' : 'credit.gauge.alert100', { time: formatDateTime(alert.at) })}
              </li>
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}

function Figure({
  label,
  value,
  note,
  testId,
  danger = false,
}: {
  label: string;
  value: string;
  note?: string;
  testId: string;
  danger?: boolean;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={`numeric${danger ? ' text-danger' : ''}`} data-testid={testId}>
        {value}
      </dd>
      {note && <dd className="credit-figure-note">{note}</dd>}
    </div>
  );
}
