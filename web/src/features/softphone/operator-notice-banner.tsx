import { useTranslation } from 'react-i18next';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { OperatorNotice } from './phone-engine';

/**
 * A notice the operator sent to this device (maintenance, suspension, a change of terms): its text
 * exactly as sent, under a heading in the page's language, until the person dismisses it.
 */
export function OperatorNoticeBanner({ notice, onDismiss }: { notice: OperatorNotice; onDismiss: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  return (
    <section
      className={`alert operator-notice ${notice.urgent ? 'operator-notice-urgent' : ''}`}
      role={notice.urgent ? 'alert' : 'status'}
      aria-label={t('softphone.operatorNotice.title')}
      data-testid="operator-notice"
      data-urgent={notice.urgent}
    >
      <p className="operator-notice-heading">
        <strong>{t(notice.urgent ? 'softphone.operatorNotice.urgentTitle' : 'softphone.operatorNotice.title')}</strong>{' '}
        <span className="muted small">{formatDateTime(new Date(notice.receivedAt).toISOString())}</span>
      </p>
      <p className="operator-notice-text" data-testid="operator-notice-text">
        {notice.text}
      </p>
      <p className="small muted">{t('softphone.operatorNotice.inbox')}</p>
      <button type="button" className="button button-quiet button-small" data-testid="operator-notice-dismiss" onClick={onDismiss}>
        {t('softphone.operatorNotice.dismiss')}
      </button>
    </section>
  );
}
