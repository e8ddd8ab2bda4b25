import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import type { PhoneNotice } from './call-outcomes';

/** One sentence for every way a call can fail, plus what the server said when it explains more. */
export function NoticeBanner({ notice, testId, onDismiss }: { notice: PhoneNotice; testId: string; onDismiss?: () => void }) {
  const { t } = useTranslation();
  const calm = notice.kind === 'answered-elsewhere' || notice.kind === 'moved';
  return (
    <div
      className={`alert ${calm ? '' : 'alert-error'} notice-banner`}
      role={calm ? 'status' : 'alert'}
      data-testid={testId}
      data-kind={notice.kind}
    >
      <p>{t(`softphone.notices.${notice.kind}`, { number: notice.detail })}</p>
      {notice.detail && notice.kind !== 'moved' && (
        <p className="small" data-testid={`${testId}-detail`}>
          {t('softphone.serverSaid', { detail: notice.detail })}
        </p>
      )}
      {notice.kind === 'suspended' && <p className="small">{t('softphone.suspendedAdvice')}</p>}
      {notice.kind === 'credit-limit' && (
        <p className="small">
          <Link to="/portal" data-testid={`${testId}-portal`}>
            {t('softphone.creditLimitLink')}
          </Link>
        </p>
      )}
      {onDismiss && (
        <button type="button" className="button button-quiet button-small" onClick={onDismiss}>
          {t('softphone.dismiss')}
        </button>
      )}
    </div>
  );
}
