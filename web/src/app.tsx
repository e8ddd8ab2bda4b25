import { ConsoleShell } from './app/console-shell';
import { NotFoundPage } from './app/not-found-page';
import { LoginPage } from './features/auth/login-page';
import { PasswordResetPage } from './features/staff/password-reset-page';
import { PortalBillsPage } from './features/billing/portal-bills-page';
import { StatusPage } from './features/assurance/status-page';
import { NewDisputePage } from './features/disputes/new-dispute-page';
import { PortalDisputesPage } from './features/disputes/portal-disputes-page';
import { HomePage } from './features/home/home-page';
import { PortalNoticesPage } from './features/notices/portal-notices-page';
import { PortalPaymentPage, PortalPayPage } from './features/payments/pay-page';
import { PortalTerminalsPage } from './features/terminals/portal-terminals-page';
import { PriceListPage } from './features/price-list/price-list-page';
import { ApplyPage } from './features/portal/apply-page';
import { PortalLoginPage } from './features/portal/portal-login-page';
import { PortalPage } from './features/portal/portal-page';
import { usePathname } from './lib/router';
import { lazy, Suspense } from 'react';

// The softphone brings the SIP stack (JsSIP): it loads only on /phone, so public pages and the console stay small.
const SoftphonePage = lazy(() => import('./features/softphone/softphone-page').then((module) => ({ default: module.SoftphonePage })));

export function App() {
  const pathname = usePathname();
  if (pathname === '/') return <HomePage />;
  if (pathname === '/prices') return <PriceListPage />;
  if (pathname === '/status') return <StatusPage />;
  if (pathname === '/console/login') return <LoginPage />;
  // Public: the person holding a reset link is not signed in (and may never have been).
  if (pathname.startsWith('/console/reset/'))
    return <PasswordResetPage token={decodeURIComponent(pathname.slice('/console/reset/'.length))} />;
  if (pathname === '/apply') return <ApplyPage />;
  if (pathname === '/portal/login') return <PortalLoginPage />;
  if (pathname === '/portal') return <PortalPage />;
  if (pathname === '/portal/bills') return <PortalBillsPage />;
  if (pathname === '/portal/disputes') return <PortalDisputesPage />;
  if (pathname === '/portal/disputes/new') return <NewDisputePage />;
  if (pathname === '/portal/notices') return <PortalNoticesPage />;
  if (pathname === '/portal/terminals') return <PortalTerminalsPage />;
  if (pathname === '/portal/pay') return <PortalPayPage />;
  if (pathname.startsWith('/portal/payments/')) return <PortalPaymentPage intentId={pathname.slice('/portal/payments/'.length)} />;
  if (pathname === '/console' || pathname.startsWith('/console/')) return <ConsoleShell pathname={pathname} />;
  if (pathname === '/phone')
    return (
      <Suspense fallback={null}>
        <SoftphonePage />
      </Suspense>
    );
  return <NotFoundPage />;
}
