import { ConsoleShell } from './app/console-shell';
import { NotFoundPage } from './app/not-found-page';
import { LoginPage } from './features/auth/login-page';
import { HomePage } from './features/home/home-page';
import { PriceListPage } from './features/price-list/price-list-page';
import { usePathname } from './lib/router';

export function App() {
  const pathname = usePathname();
  if (pathname === '/') return <HomePage />;
  if (pathname === '/prices') return <PriceListPage />;
  if (pathname === '/console/login') return <LoginPage />;
  if (pathname === '/console' || pathname.startsWith('/console/')) return <ConsoleShell pathname={pathname} />;
  return <NotFoundPage />;
}
