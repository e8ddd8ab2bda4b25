import { useTranslation } from 'react-i18next';
import { Link } from '../../lib/router';
import { useApiQuery } from '../../lib/use-api-query';
import type { ApiResponse } from '../../types/api';

type Inbox = ApiResponse<'/api/portal/notices'>;

/** The way to the inbox, with how many notices are unread (the notices feature draws the inbox itself). */
export function NoticesLink() {
  const { t } = useTranslation();
  const { state } = useApiQuery<Inbox>('/api/portal/notices');
  const unread = state.status === 'success' ? state.data.unreadCount : 0;
  return (
    <section className="card" aria-labelledby="portal-notices">
      <h2 id="portal-notices">
        {t('portal.noticesTitle')}{' '}
        {unread > 0 && (
          <span
            className="badge badge-danger"
            data-testid="portal-unread-notices"
            aria-label={t('portal.unreadNotices', { count: unread })}
          >
            {unread}
          </span>
        )}
      </h2>
      <p className="muted">{t('portal.noticesIntro')}</p>
      <Link to="/portal/notices" className="button" data-testid="portal-notices-link">
        {t('portal.noticesLink')}
      </Link>
    </section>
  );
}
