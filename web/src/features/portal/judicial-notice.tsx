import { useTranslation } from 'react-i18next';
import { QueryView } from '../../components/query-view';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { ApiResponse } from '../../types/api';

type Restrictions = ApiResponse<'/api/portal/service-restrictions'>;

/**
 * What a subscriber suspended by a judicial order reads (clause 10): a neutral sentence and the
 * support contact; the order's authority, case and basis only for orders the legal officer allowed
 * to be disclosed.
 */
export function JudicialNotice() {
  const { t } = useTranslation();
  const when = useDateTimeFormat();
  const { state, reload } = useApiQuery<Restrictions>('/api/portal/service-restrictions');
  return (
    <QueryView state={state} onRetry={reload}>
      {({ supportContact, disclosedOrders }) => (
        <div data-testid="portal-judicial-notice">
          <p className="small">{t('judicialNotice.body', { contact: supportContact })}</p>
          {disclosedOrders.length > 0 && (
            <>
              <p className="small">
                <strong>{t('judicialNotice.detailsTitle')}</strong>
              </p>
              {disclosedOrders.map((order) => (
                <ul key={order.caseNumber + order.from} className="small" data-testid="portal-judicial-order">
                  <li>{t('judicialNotice.authority', { value: order.authority })}</li>
                  <li>{t('judicialNotice.caseNumber', { value: order.caseNumber })}</li>
                  <li>{t('judicialNotice.legalBasis', { value: order.legalBasis })}</li>
                  <li>
                    {t('judicialNotice.period', {
                      from: when(order.from),
                      until: order.until ? when(order.until) : t('judicialNotice.untilLifted'),
                    })}
                  </li>
                </ul>
              ))}
            </>
          )}
        </div>
      )}
    </QueryView>
  );
}
