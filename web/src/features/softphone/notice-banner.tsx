import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import type { PhoneNotice } from './call-outcomes';

/** One sentence for every way a call can fail, plus what the server said when it explains more. */
export function NoticeBanner({
  notice,
  testId,
  onDismiss,
  contactName,
}: {
  notice: PhoneNotice;
  testId: string;
  onDismiss?: () => void;
  /** The subscriber's contact name for the number in the notice (a missed call), if any. */
  contactName?: string | undefined;
}) {
  const { t } = useTranslation();
  const calm = notice.kind === 'answered-elsewhere' || notice.kind === 'moved';
  // A missed call's detail is the caller's number, not words from the server: say who called instead.
  const caller = notice.kind === 'missed' ? callerLabel(contactName ?? notice.peerName, notice.detail) : undefined;
  return (
    <div
      className={`alert ${calm ? '' : 'alert-error'} notice-banner`}
      role={calm ? 'status' : 'alert'}
      data-testid={testId}
      data-kind={notice.kind}
    >
      <p>{t(`softphone.notices.${notice.kind}`, { number: notice.detail, caller })}</p>
      {notice.detail && notice.kind !== 'moved' && notice.kind !== 'missed' && (
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

function callerLabel(name: string | undefined, number: string | undefined): string {
  if (name && number) return `${name} (${number})`;
  return name ?? number ?? '';
}
