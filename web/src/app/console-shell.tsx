import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Brand } from '../components/brand';
import { LanguageSwitch } from '../components/language-switch';
import { ProblemAlert } from '../components/problem-alert';
import { PublicLayout } from '../components/public-layout';
import { fetchSession, logOut } from '../features/auth/auth-api';
import { CustomerSearchBox } from '../features/search/customer-search-box';
import { ApiProblemError, onUnauthenticated } from '../lib/api-client';
import { Link, navigate } from '../lib/router';
import { useRoleLabel } from '../lib/use-role-label';
import type { Staff } from '../types/api';
import { consolePageAt, consolePages, mayOpen } from './console-pages';

type Session = { status: 'loading' } | { status: 'error'; error: unknown } | { status: 'ready'; staff: Staff };

function goToLogin(): void {
  // Remember the page so signing in again lands where the member was.
  const next = encodeURIComponent(window.location.pathname);
  navigate(`/console/login?next=${next}`, { replace: true });
}

function isUnauthenticated(error: unknown): boolean {
  return error instanceof ApiProblemError && error.problem.status === 401;
}

export function ConsoleShell({ pathname }: { pathname: string }) {
  const { t } = useTranslation();
  const [session, setSession] = useState<Session>({ status: 'loading' });
  const [attempt, setAttempt] = useState(0);

  useEffect(() => {
    let current = true;
    fetchSession().then(
      (staff) => {
        if (current) setSession({ status: 'ready', staff });
      },
      (error: unknown) => {
        if (!current) return;
        if (isUnauthenticated(error)) goToLogin();
        else setSession({ status: 'error', error });
      },
    );
    return () => {
      current = false;
    };
  }, [attempt]);

  // A session can expire while a page is open; any request that finds it gone brings the member here.
  useEffect(() => onUnauthenticated(goToLogin), []);

  if (session.status === 'loading') {
    return (
      <p className="splash" role="status">
        {t('app.loading')}
      </p>
    );
  }
  if (session.status === 'error') {
    return (
      <PublicLayout>
        <section className="card stack">
          <ProblemAlert error={session.error} />
          <div>
            <button
              type="button"
              className="button"
              onClick={() => {
                setSession({ status: 'loading' });
                setAttempt((value) => value + 1);
              }}
            >
              {t('app.retry')}
            </button>
          </div>
        </section>
      </PublicLayout>
    );
  }
  return <ConsoleFrame staff={session.staff} pathname={pathname} />;
}

function ConsoleFrame({ staff, pathname }: { staff: Staff; pathname: string }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const [logoutError, setLogoutError] = useState<unknown>(null);
  const [loggingOut, setLoggingOut] = useState(false);
  const visiblePages = consolePages.filter((page) => !page.detail && mayOpen(staff, page));
  const page = consolePageAt(pathname);

  async function handleLogout(): Promise<void> {
    setLoggingOut(true);
    setLogoutError(null);
    try {
      await logOut();
    } catch (error) {
      // Already signed out is the outcome we wanted; anything else leaves the session alive, so say so.
      if (!isUnauthenticated(error)) {
        setLogoutError(error);
        setLoggingOut(false);
        return;
      }
    }
    navigate('/console/login', { replace: true });
  }

  return (
    <div className="console-layout">
      <header className="topbar console-topbar">
        <div className="topbar-title">
          <Brand to="/console" />
          <span className="topbar-section">{t('app.console')}</span>
        </div>
        {staff.permissions.includes('subscribers.read') && <CustomerSearchBox />}
        <div className="topbar-tools">
          <div className="topbar-user" aria-label={t('console.signedInAs')}>
            <span className="user-name" data-testid="staff-name">
              {staff.displayName}
            </span>
            <span className="user-roles" data-testid="staff-roles">
              {staff.roles.map(roleLabel).join(' · ')}
            </span>
          </div>
          <LanguageSwitch />
          <button
            type="button"
            className="button button-quiet"
            data-testid="logout"
            disabled={loggingOut}
            onClick={() => void handleLogout()}
          >
            {t('console.logout')}
          </button>
        </div>
      </header>
      <div className="console-body">
        <nav className="console-nav" data-testid="console-nav" aria-label={t('console.navLabel')}>
          <ul>
            {visiblePages.map((entry) => (
              <li key={entry.path}>
                <Link to={entry.path} data-testid={`nav-${entry.name}`} aria-current={entry.path === pathname ? 'page' : undefined}>
                  {t(entry.labelKey)}
                  {entry.badge && <entry.badge />}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <main className="console-content">
          {logoutError !== null && <ProblemAlert error={logoutError} />}
          {!page ? (
            <p className="notice">{t('console.pageNotFound')}</p>
          ) : !mayOpen(staff, page) ? (
            <p className="notice">{t('console.forbiddenPage')}</p>
          ) : (
            <page.component staff={staff} />
          )}
        </main>
      </div>
    </div>
  );
}
