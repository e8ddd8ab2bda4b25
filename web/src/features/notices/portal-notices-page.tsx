import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert';
import { PublicLayout } from '../../components/public-layout';
import { QueryView } from '../../components/query-view';
import { ApiProblemError, getJson, postJson } from '../../lib/api-client';
import { Link, navigate } from '../../lib/router';
import { useAction } from '../../lib/use-action';
import { useApiQuery } from '../../lib/use-api-query';
import { useDateTimeFormat } from '../../lib/use-date-time-format';
import type { NoticeFull, NoticeSummary } from './notices-api';

/** The portal inbox: notices newest first, unread ones marked; opening one shows its full text and marks it read. */
export function PortalNoticesPage() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const { state, reload } = useApiQuery<{ unreadCount: number; notices: NoticeSummary[] }>(`/api/portal/notices?lang=${lang}`);

  useEffect(() => {
    if (state.status === 'error' && state.error instanceof ApiProblemError && state.error.problem.status === 401) {
      navigate(`/portal/login?next=${encodeURIComponent(window.location.pathname)}`, { replace: true });
    }
  }, [state]);

  return (
    <PublicLayout>
      <div className="portal stack" data-testid="portal-notices-page">
        <div className="toolbar">
          <h1>{t('notices.title')}</h1>
          <Link to="/portal" className="button button-quiet">
            {t('notices.backToPortal')}
          </Link>
        </div>
        <p className="muted">{t('notices.intro')}</p>
        <QueryView state={state} onRetry={reload}>
          {({ notices }) =>
            notices.length === 0 ? (
              <p className="muted">{t('notices.empty')}</p>
            ) : (
              <>
                {notices.map((notice) => (
                  <NoticeCard key={notice.id} notice={notice} lang={lang} onRead={reload} />
                ))}
              </>
            )
          }
        </QueryView>
      </div>
    </PublicLayout>
  );
}

function NoticeCard({ notice, lang, onRead }: { notice: NoticeSummary; lang: 'zh-CN' | 'en'; onRead: () => void }) {
  const { t } = useTranslation();
  const formatDateTime = useDateTimeFormat();
  const [full, setFull] = useState<NoticeFull | null>(null);
  const action = useAction();

  async function open(): Promise<void> {
    await action.run(async () => {
      const path = `/api/portal/notices/${encodeURIComponent(notice.id)}`;
      // Opening it is reading it: the receipt is sent with the first opening only.
      const text = notice.readAt
        ? await getJson<NoticeFull>(`${path}?lang=${lang}`)
        : await postJson<NoticeFull>(`${path}/read?lang=${lang}`, {});
      setFull(text);
      if (!notice.readAt) onRead();
    });
  }

  return (
    <section className="card stack" data-testid="portal-notice" data-read={notice.readAt ? 'true' : 'false'} data-kind={notice.kind}>
      <div className="toolbar">
        <h2>{notice.title}</h2>
        {notice.urgency === 'urgent' && <span className="badge badge-danger">{t('notices.urgent')}</span>}
        {!notice.readAt && (
          <span className="badge" data-testid="notice-unread">
            {t('notices.unread')}
          </span>
        )}
      </div>
      <p className="muted">
        {t('notices.received')}: {formatDateTime(notice.createdAt)}
        {notice.readAt && <> · {t('notices.readAt', { time: formatDateTime(notice.readAt) })}</>}
      </p>
      {full ? (
        <>
          <p data-testid="notice-body" style={{ whiteSpace: 'pre-line' }}>
            {full.body}
          </p>
          <div className="toolbar">
            {full.link && (
              <Link to={full.link} className="button">
                {t('notices.more')}
              </Link>
            )}
            <button type="button" className="button button-quiet" onClick={() => setFull(null)}>
              {t('notices.close')}
            </button>
          </div>
        </>
      ) : (
        <div>
          <button type="button" className="button" onClick={() => void open()} disabled={action.busy} data-testid="notice-open">
            {t('notices.open')}
          </button>
        </div>
      )}
      <ProblemAlert error={action.error} />
    </section>
  );
}
